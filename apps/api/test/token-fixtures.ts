import { createHmac, randomBytes } from 'node:crypto';
import { Client, TestApp } from './harness';

export interface ConnectedTenant {
  tenantId: string;
  admin: Client;
  secret: string;
  apiKey: string;
  appId: string;
}

export const randomSecret = () => `sk_${randomBytes(24).toString('base64url')}`;

/** A tenant that finished steps 1 and 2 and has an API key: what a backend integration needs. */
export async function connectedTenant(
  t: TestApp,
  opts: { mode?: 'jwt' | 'hmac'; ttl?: number } = {},
): Promise<ConnectedTenant> {
  const tenant = await t.newTenant();
  const { client: admin } = await t.newTenantAdmin(tenant.id);
  const appId = `app${randomBytes(3).toString('hex')}`;
  const appRes = await admin.put(`/api/tenants/${tenant.id}/intercom/app-id`, { appId });
  if (appRes.status !== 200) throw new Error(`app-id: ${appRes.status} ${JSON.stringify(appRes.body)}`);
  const secret = randomSecret();
  const saved = await admin.put(`/api/tenants/${tenant.id}/intercom/secret`, { secret });
  if (saved.status !== 201) throw new Error(`secret: ${saved.status} ${JSON.stringify(saved.body)}`);
  if (opts.mode || opts.ttl) {
    const res = await admin.patch(`/api/tenants/${tenant.id}/intercom/settings`, {
      ...(opts.mode ? { identityMode: opts.mode } : {}),
      ...(opts.ttl ? { tokenTtlSeconds: opts.ttl } : {}),
    });
    if (res.status !== 200) throw new Error(`settings: ${res.status} ${JSON.stringify(res.body)}`);
  }
  const key = await admin.post(`/api/tenants/${tenant.id}/api-keys`, { name: 'backend' });
  if (key.status !== 201) throw new Error(`api key: ${key.status} ${JSON.stringify(key.body)}`);
  return { tenantId: tenant.id, admin, secret, apiKey: key.body.key, appId };
}

/** HS256 checked by hand with node:crypto, independent of jose and of libs/intercom. */
export function verifyHs256(token: string, secret: string): { header: any; payload: any } | null {
  const [h, p, s] = token.split('.');
  if (!h || !p || !s) return null;
  const expected = createHmac('sha256', secret).update(`${h}.${p}`).digest('base64url');
  if (expected !== s) return null;
  return {
    header: JSON.parse(Buffer.from(h, 'base64url').toString()),
    payload: JSON.parse(Buffer.from(p, 'base64url').toString()),
  };
}

export function signHs256(header: object, payload: object, secret: string): string {
  const h = Buffer.from(JSON.stringify(header)).toString('base64url');
  const p = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${h}.${p}.${createHmac('sha256', secret).update(`${h}.${p}`).digest('base64url')}`;
}
