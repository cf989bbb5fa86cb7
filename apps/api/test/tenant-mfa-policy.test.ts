import { totpCodeAt } from '../src/auth/totp';
import { Client, startTestApp, TestApp } from './harness';
import { awayFromTotpStepEdge } from './totp-step-edge';

// Codes are computed here and judged by the server a moment later: keep both in one TOTP step.
beforeEach(() => awayFromTotpStepEdge());

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

async function turnOnTotp(client: Client): Promise<string> {
  const setup = await client.post('/api/auth/mfa/totp/setup');
  expect(setup.status).toBe(200);
  const secret = (setup.body as { secret: string }).secret;
  await awayFromTotpStepEdge();
  const enable = await client.post('/api/auth/mfa/totp/enable', { code: totpCodeAt(secret, Date.now() - 30_000) });
  expect(enable.status).toBe(200);
  return secret;
}

async function tenantWithTwoAdmins() {
  const tenant = await t.newTenant(`policy-${Math.random().toString(36).slice(2, 8)}`);
  const owner = await t.newTenantAdmin(tenant.id);
  const other = await t.newTenantAdmin(tenant.id);
  return { tenant, owner, other };
}

describe("a tenant's two-factor requirement", () => {
  test('members list says who uses two-factor sign-in', async () => {
    const { tenant, owner, other } = await tenantWithTwoAdmins();
    await turnOnTotp(owner.client);
    const res = await owner.client.get(`/api/tenants/${tenant.id}/members`);
    expect(res.status).toBe(200);
    const byEmail = new Map((res.body.items as Array<{ email: string; mfaEnabled: boolean }>).map((m) => [m.email, m]));
    expect(byEmail.get(owner.email)?.mfaEnabled).toBe(true);
    expect(byEmail.get(other.email)?.mfaEnabled).toBe(false);
    expect(Object.keys(res.body.items[0]).sort()).toEqual(['email', 'joinedAt', 'mfaEnabled', 'role', 'userId']);
  });

  test('an admin without two-factor cannot require it (409) and nothing changes', async () => {
    const { tenant, owner } = await tenantWithTwoAdmins();
    const res = await owner.client.put(`/api/tenants/${tenant.id}/mfa-policy`, { requireMfa: true });
    expect(res.status).toBe(409);
    expect(res.body.message).toMatch(/your own account first/);
    expect((await owner.client.get(`/api/tenants/${tenant.id}`)).body.requireMfa).toBe(false);
  });

  test('once required, a member without it is turned away with 403 tenant_requires_mfa until they turn it on', async () => {
    const { tenant, owner, other } = await tenantWithTwoAdmins();
    await turnOnTotp(owner.client);
    const on = await owner.client.put(`/api/tenants/${tenant.id}/mfa-policy`, { requireMfa: true });
    expect(on.status).toBe(200);
    expect(on.body.requireMfa).toBe(true);

    for (const path of [`/api/tenants/${tenant.id}`, `/api/tenants/${tenant.id}/intercom`]) {
      const refused = await other.client.get(path);
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('tenant_requires_mfa');
      expect(refused.body.message).toMatch(/Account security/);
    }
    // The tenant still shows in their list, so the web app can say why it is closed.
    const list = await other.client.get('/api/tenants');
    expect(list.body.items.map((x: { id: string }) => x.id)).toContain(tenant.id);
    // The owner (with TOTP) still reaches it.
    expect((await owner.client.get(`/api/tenants/${tenant.id}/intercom`)).status).toBe(200);

    await turnOnTotp(other.client);
    expect((await other.client.get(`/api/tenants/${tenant.id}`)).status).toBe(200);
  });

  test('turning it on and off is audited with how many members it affects; setting the same value is a no-op', async () => {
    const { tenant, owner } = await tenantWithTwoAdmins();
    await turnOnTotp(owner.client);
    expect((await owner.client.put(`/api/tenants/${tenant.id}/mfa-policy`, { requireMfa: true })).status).toBe(200);
    expect((await owner.client.put(`/api/tenants/${tenant.id}/mfa-policy`, { requireMfa: true })).status).toBe(200);
    expect((await owner.client.put(`/api/tenants/${tenant.id}/mfa-policy`, { requireMfa: false })).status).toBe(200);
    const rows: Array<{ metadata: { requireMfa: boolean; membersWithoutMfa: number } }> = await t.db.query(
      `SELECT metadata FROM audit_events WHERE tenant_id = $1 AND action = 'tenant.mfa_policy.changed' ORDER BY seq`,
      [tenant.id],
    );
    expect(rows.map((r) => r.metadata)).toEqual([
      { requireMfa: true, membersWithoutMfa: 1 },
      { requireMfa: false, membersWithoutMfa: 1 },
    ]);
  });

  test('staff reach a tenant that requires it whatever their own factor (REQUIRE_STAFF_MFA governs staff)', async () => {
    const { tenant, owner } = await tenantWithTwoAdmins();
    await turnOnTotp(owner.client);
    await owner.client.put(`/api/tenants/${tenant.id}/mfa-policy`, { requireMfa: true });
    const staff = await t.staff();
    expect((await staff.get(`/api/tenants/${tenant.id}`)).status).toBe(200);
    expect((await staff.get(`/api/tenants/${tenant.id}/members`)).status).toBe(200);
  });

  test('bad input is a 400 naming the field', async () => {
    const { tenant, owner } = await tenantWithTwoAdmins();
    for (const body of [{}, { requireMfa: 'yes' }, { requireMfa: true, extra: 1 }]) {
      const res = await owner.client.put(`/api/tenants/${tenant.id}/mfa-policy`, body);
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body.message)).toMatch(/requireMfa|extra/);
    }
  });

  test("an admin of tenant A can neither read B's members nor change B's policy (404, nothing changes)", async () => {
    const a = await tenantWithTwoAdmins();
    const b = await tenantWithTwoAdmins();
    await turnOnTotp(a.owner.client);
    expect((await a.owner.client.get(`/api/tenants/${b.tenant.id}/members`)).status).toBe(404);
    expect((await a.owner.client.put(`/api/tenants/${b.tenant.id}/mfa-policy`, { requireMfa: true })).status).toBe(404);
    const staff = await t.staff();
    expect((await staff.get(`/api/tenants/${b.tenant.id}`)).body.requireMfa).toBe(false);
  });
});
