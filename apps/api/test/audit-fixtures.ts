import { Client as PgClient } from 'pg';
import type { Client, TestApp } from './harness';

/** Any constant of its own: taken only by these tests, never by the app (which has 725_511_0xx). */
const CHAIN_TAMPERING_LOCK = 725_519_001;

/**
 * For the test files that edit, delete or forge events of the global chain and then verify all of
 * it (audit-chain, audit-verify-checkpoint): each of their tests runs holding one lock, so a
 * tamper of one file is never what the other's verify finds. Undone before each test ends, a
 * tamper is invisible to a test that waited. A connection of its own, outside the app's pool.
 */
export function oneChainTamperingTestAtATime(): void {
  let lock: PgClient | null = null;
  beforeEach(async () => {
    lock = new PgClient({ connectionString: process.env.DATABASE_URL });
    await lock.connect();
    await lock.query('SELECT pg_advisory_lock($1)', [CHAIN_TAMPERING_LOCK]);
  });
  afterEach(async () => {
    // Closing the connection releases the lock.
    await lock?.end();
    lock = null;
  });
}

export interface AuditRow {
  id: string;
  seq: string;
  action: string;
  actor_kind: string;
  actor_user_id: string | null;
  actor_email: string | null;
  tenant_id: string | null;
  target_type: string | null;
  target_id: string | null;
  metadata: Record<string, any>;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
}

export const auditEventsOf =
  (t: () => TestApp) =>
  (where: string, params: unknown[]): Promise<AuditRow[]> =>
    t().db.query(`SELECT * FROM audit_events WHERE ${where} ORDER BY seq`, params);

/** Every page of a list, following nextCursor. */
export async function allPages(client: Client, query: string): Promise<any[]> {
  const items: any[] = [];
  let cursor: string | null = null;
  do {
    const res: any = await client.get(`/api/audit?${query}&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
    expect(res.status).toBe(200);
    items.push(...res.body.items);
    cursor = res.body.nextCursor;
  } while (cursor);
  return items;
}

/** RFC 4180, enough for the export: quoted cells, doubled quotes, CRLF rows. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') ((cell += '"'), i++);
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') (row.push(cell), (cell = ''));
    else if (ch === '\r' && text[i + 1] === '\n') (row.push(cell), rows.push(row), (row = []), (cell = ''), i++);
    else cell += ch;
  }
  return rows;
}
