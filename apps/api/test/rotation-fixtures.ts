import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ReminderRunner } from '../src/rotation/reminder-runner';
import type { Client, TestApp } from './harness';

export const DAY = 86_400_000;

/** A plausible Messenger API secret key: 40 printable characters with no whitespace. */
export const newSecret = () => `sk_${randomBytes(24).toString('base64url')}`;

export const runnerOf = (t: TestApp) => t.app.get(ReminderRunner);

export interface TenantWithSecret {
  tenantId: string;
  admin: Client;
  adminEmail: string;
  secret: string;
  /** When version 1 was saved: reminder times are offsets from it. */
  createdAt: Date;
  /** createdAt + n days. */
  day(n: number): Date;
}

/** A fresh tenant with an admin and one saved secret version (all platforms). */
export async function tenantWithSecret(t: TestApp, secret = newSecret()): Promise<TenantWithSecret> {
  const tenant = await t.newTenant();
  const { client: admin, email: adminEmail } = await t.newTenantAdmin(tenant.id);
  const saved = await admin.put(`/api/tenants/${tenant.id}/intercom/secret`, { secret });
  if (saved.status !== 201) throw new Error(`secret save failed: ${saved.status} ${JSON.stringify(saved.body)}`);
  const createdAt = new Date(saved.body.createdAt);
  return {
    tenantId: tenant.id,
    admin,
    adminEmail,
    secret,
    createdAt,
    day: (n) => new Date(createdAt.getTime() + n * DAY),
  };
}

export async function notificationsOf(t: TestApp, tenantId: string) {
  return (await t.db.query(
    `SELECT secret_version, stage, occurrence FROM rotation_notifications WHERE tenant_id = $1
      ORDER BY created_at, secret_version, stage, occurrence`,
    [tenantId],
  )) as Array<{ secret_version: number; stage: string; occurrence: number }>;
}

export interface ReceivedHook {
  headers: IncomingHttpHeaders;
  body: string;
}

/** What the receiver does with the next request: answer a status, or never answer. */
export type HookBehaviour = number | 'hang';

/** A real HTTP receiver on port 0. Answers `behaviours` in order, then 200. */
export interface HookReceiver {
  url: string;
  received: ReceivedHook[];
  behave(...behaviours: HookBehaviour[]): void;
  close(): Promise<void>;
}

export async function startHookReceiver(path = '/hooks/mv'): Promise<HookReceiver> {
  const received: ReceivedHook[] = [];
  const queue: HookBehaviour[] = [];
  const hanging: ServerResponse[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const next = queue.shift() ?? 200;
      if (next === 'hang') {
        hanging.push(res);
        return;
      }
      res.writeHead(next, { 'content-type': 'text/plain' }).end(next < 300 ? 'ok' : 'no');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    received,
    behave: (...b) => queue.push(...b),
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Verifies a delivery as a receiver would, written from the contract and not from the API's
 * code: `t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` under the signing secret.
 */
export function verifySignature(signingSecret: string, hook: ReceivedHook, now = Date.now()): boolean {
  const header = String(hook.headers['messenger-vault-signature'] ?? '');
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=', 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || Math.abs(now / 1000 - t) > 300 || !/^[0-9a-f]{64}$/.test(parts.v1 ?? '')) return false;
  const expected = createHmac('sha256', Buffer.from(signingSecret, 'utf8')).update(`${t}.${hook.body}`).digest();
  return timingSafeEqual(expected, Buffer.from(parts.v1!, 'hex'));
}

export async function attemptsOf(t: TestApp, tenantId: string, channel: string) {
  return (await t.db.query(
    `SELECT a.attempt, a.outcome, a.status_code, a.error FROM notification_delivery_attempts a
       JOIN notification_outbox o ON o.id = a.outbox_id
      WHERE o.tenant_id = $1 AND o.channel = $2 ORDER BY a.attempt`,
    [tenantId, channel],
  )) as Array<{ attempt: number; outcome: string; status_code: number | null; error: string | null }>;
}

export async function outboxOf(t: TestApp, tenantId: string) {
  return (await t.db.query(
    `SELECT channel, state, attempts, next_attempt_at FROM notification_outbox WHERE tenant_id = $1 ORDER BY channel`,
    [tenantId],
  )) as Array<{ channel: string; state: string; attempts: number; next_attempt_at: Date }>;
}
