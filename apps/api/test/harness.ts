import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHash, randomInt, randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { DataSource } from 'typeorm';
import { createApp } from '../src/bootstrap/create-app';
import { loadConfig } from '../src/config/config';
import { createDataSource } from '../src/database/data-source';
import { createLogger } from '../src/logging/logger';
import { UsersService } from '../src/users/users.service';

export const STAFF_EMAIL = 'staff@messenger-vault.test';
export const STAFF_PASSWORD = 'staff-password-for-tests-only';

/**
 * The vault keyring every test app uses unless a test passes its own. Fixed, not random: all test
 * files share one database, and its stored key check value must match in every worker.
 */
export const TEST_KEYRING = `test-k1:${createHash('sha256').update('messenger-vault test keyring').digest('base64')}`;

/**
 * A client address for a test that sends it through a trusted proxy hop. Sign-in failures are
 * counted per address in the shared database, so two test files drawing the same one from a /24
 * could lock each other out, or not, by the order they ran in. 198.18.0.0/15 (RFC 2544) holds
 * 130,048 such host addresses, and no test uses it for a fixed one.
 */
export function uniqueIp(): string {
  return `198.${randomInt(18, 20)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
}

export interface HttpResult<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** A browser-like client: keeps cookies, sends its Origin on every request like Chromium does. */
export class Client {
  private cookies = new Map<string, string>();

  constructor(
    readonly baseUrl: string,
    readonly origin: string | null = baseUrl,
  ) {}

  get cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  setCookie(name: string, value: string): void {
    this.cookies.set(name, value);
  }

  async request<T = any>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<HttpResult<T>> {
    const h: Record<string, string> = { ...headers };
    if (this.origin && !('origin' in h)) h.origin = this.origin;
    if (this.cookies.size) h.cookie = this.cookieHeader;
    let payload: string | undefined;
    if (body !== undefined) {
      payload = typeof body === 'string' ? body : JSON.stringify(body);
      h['content-type'] ??= 'application/json';
    }
    const res = await fetch(`${this.baseUrl}${path}`, { method, headers: h, body: payload, redirect: 'manual' });
    for (const raw of res.headers.getSetCookie()) {
      const [pair, ...attrs] = raw.split(';');
      const [name, ...rest] = (pair ?? '').split('=');
      const value = rest.join('=');
      const expired = attrs.some((a) => /expires=Thu, 01 Jan 1970/i.test(a)) || value === '';
      if (name) expired ? this.cookies.delete(name.trim()) : this.cookies.set(name.trim(), value);
    }
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON: keep the text */
    }
    return { status: res.status, headers: res.headers, body: parsed as T };
  }

  get<T = any>(path: string, headers?: Record<string, string>) {
    return this.request<T>('GET', path, undefined, headers);
  }
  post<T = any>(path: string, body?: unknown, headers?: Record<string, string>) {
    return this.request<T>('POST', path, body ?? {}, headers);
  }
  put<T = any>(path: string, body?: unknown, headers?: Record<string, string>) {
    return this.request<T>('PUT', path, body ?? {}, headers);
  }
  patch<T = any>(path: string, body?: unknown, headers?: Record<string, string>) {
    return this.request<T>('PATCH', path, body ?? {}, headers);
  }
  delete<T = any>(path: string, headers?: Record<string, string>) {
    return this.request<T>('DELETE', path, undefined, headers);
  }
}

export interface TestApp {
  url: string;
  app: NestFastifyApplication;
  db: DataSource;
  /** Every JSON log line the app wrote. */
  logs: string[];
  client(origin?: string | null): Client;
  staff(): Promise<Client>;
  newTenant(name?: string): Promise<{ id: string; name: string }>;
  newTenantAdmin(tenantId: string, email?: string): Promise<{ client: Client; email: string; password: string }>;
  /**
   * A staff account of the test's own, signed in. For what would reach every other test file
   * through the shared one (`staff()`): ending all its sessions, turning two-factor sign-in on.
   */
  newStaff(): Promise<{ client: Client; email: string; password: string }>;
  close(): Promise<void>;
}

/** The real app on a real port, against this run's real database. */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: process.env.DATABASE_URL,
    ADMIN_EMAIL: STAFF_EMAIL,
    ADMIN_PASSWORD: STAFF_PASSWORD,
    LOG_LEVEL: 'info',
    // Every test shares 127.0.0.1; tests of the per-IP limit set their own IPs through one trusted hop.
    LOGIN_MAX_FAILURES_PER_IP: '10000',
    WEB_DIST_DIR: '/nonexistent-web-dist',
    VAULT_KEYRING: TEST_KEYRING,
    // Test files share one database: only the rotation tests run the rotation worker, so no other file's app takes their runs.
    INTERCOM_ROTATION_WORKER: 'false',
    ...env,
  });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const db = createDataSource(config.databaseUrl!, 5);
  await db.initialize();
  let app: NestFastifyApplication | undefined;
  try {
    app = await createApp(config, db, createLogger(config.logLevel, sink));
    await app.get(UsersService).ensureFirstStaff(() => undefined);
    // PORT only when a test must know its own origin up front (PUBLIC_URL); otherwise any free port.
    await app.listen({ port: env.PORT ? config.port : 0, host: '127.0.0.1' });
  } catch (err) {
    // A test may expect the start to be refused; leave nothing open behind it.
    await app?.close().catch(() => undefined);
    await db.destroy();
    throw err;
  }
  const address = app.getHttpServer().address() as { port: number };
  const url = `http://127.0.0.1:${address.port}`;

  const api: TestApp = {
    url,
    app,
    db,
    logs,
    client: (origin) => new Client(url, origin === undefined ? url : origin),
    staff: async () => {
      const c = new Client(url);
      const res = await c.post('/api/auth/login', { email: STAFF_EMAIL, password: STAFF_PASSWORD });
      if (res.status !== 200) throw new Error(`staff login failed: ${res.status} ${JSON.stringify(res.body)}`);
      return c;
    },
    newTenant: async (name = `Tenant ${randomUUID().slice(0, 8)}`) => {
      const staff = await api.staff();
      const res = await staff.post('/api/tenants', { name });
      if (res.status !== 201) throw new Error(`tenant create failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    },
    newTenantAdmin: async (tenantId, email = `admin-${randomUUID().slice(0, 8)}@tenant.test`) => {
      const staff = await api.staff();
      const invite = await staff.post(`/api/tenants/${tenantId}/members`, { email, role: 'admin' });
      if (invite.status !== 201) throw new Error(`invite failed: ${invite.status} ${JSON.stringify(invite.body)}`);
      const password = `pw-${randomUUID()}`;
      const client = new Client(url);
      const accepted = await client.post('/api/invitations/accept', { token: invite.body.inviteToken, password });
      if (accepted.status !== 200)
        throw new Error(`accept failed: ${accepted.status} ${JSON.stringify(accepted.body)}`);
      return { client, email, password };
    },
    newStaff: async () => {
      const email = `staff-${randomUUID().slice(0, 8)}@messenger-vault.test`;
      const password = `pw-${randomUUID()}`;
      await app.get(UsersService).create(email, password, true);
      const client = new Client(url);
      const res = await client.post('/api/auth/login', { email, password });
      if (res.status !== 200) throw new Error(`staff login failed: ${res.status} ${JSON.stringify(res.body)}`);
      return { client, email, password };
    },
    close: async () => {
      await app.close();
      await db.destroy();
    },
  };
  return api;
}
