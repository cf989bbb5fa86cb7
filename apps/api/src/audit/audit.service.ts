import { Injectable } from '@nestjs/common';
import type { Page } from '@messenger-vault/contracts';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import type { SessionUser } from '../auth/current-user';
import { notFound } from '../common/errors';
import type { AuditAction, AuditTargetType } from './audit-actions';
import { AUDIT_CHAIN_LOCK, AUDIT_COLUMNS, AuditVerification, verifyAuditChain, VerifyOptions } from './audit-chain';
import type { AuditContext } from './audit-context';
import { AUDIT_CSV_HEADER, auditCsvLine, csvLine } from './audit-csv';
import { AUDIT_EVENT_COLUMNS, type AuditColumn, AuditRow, hashAuditEvent } from './audit-hash';
import { AuditMetadata, cleanText, scrubAuditMetadata } from './audit-metadata';
import {
  assertRange,
  auditConditions,
  AuditFilters,
  AuditScope,
  decodeAuditCursor,
  encodeAuditCursor,
} from './audit-query';
import type { AuditEventDto } from './dto/audit.dto';

/** What a feature records: who and from where (an `AuditContext`), and what happened to what. */
export interface AuditEventInput extends AuditContext {
  action: AuditAction;
  /** The tenant the action concerns; its admins can read the event. Null for sign-ins. */
  tenantId?: string | null;
  target?: { type: AuditTargetType; id: string } | null;
  /** Safe facts only. Keys named like secret/password/token/key are dropped (see audit-metadata.ts). */
  metadata?: AuditMetadata;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EXPORT_BATCH = 500;

function uuidOrNull(value: string | null | undefined, field: string): string | null {
  if (value === null || value === undefined) return null;
  if (!UUID.test(value)) throw new Error(`audit ${field} must be a UUID`);
  return value.toLowerCase();
}

const textOrNull = (value: string | null | undefined, max: number) =>
  value === null || value === undefined ? null : cleanText(value, max);

function toDto(row: AuditRow, viewer: SessionUser): AuditEventDto {
  // Tenant admins see what staff did in their tenant, but not where staff work from.
  const hideOrigin = !viewer.isStaff && row.actor_kind === 'staff';
  return {
    id: row.id,
    seq: Number(row.seq),
    occurredAt: row.occurred_at.toISOString(),
    actorKind: row.actor_kind as AuditEventDto['actorKind'],
    actorUserId: row.actor_user_id,
    actorEmail: row.actor_email,
    tenantId: row.tenant_id,
    action: row.action as AuditAction,
    targetType: row.target_type,
    targetId: row.target_id,
    metadata: row.metadata,
    ip: hideOrigin ? null : row.ip,
    userAgent: hideOrigin ? null : row.user_agent,
    requestId: row.request_id,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/**
 * The append-only, hash-chained audit trail. Features call `record` with an `AuditContext`
 * (from `auditContext(request)` in the controller, or `SYSTEM_AUDIT_CONTEXT` in a job):
 *
 *   await this.db.transaction(async (tx) => {
 *     ...the change...
 *     await this.audit.record({ ...ctx, action: 'api_key.created', tenantId, target: { type: 'api_key', id } }, tx);
 *   });
 */
@Injectable()
export class AuditService {
  constructor(private readonly db: DataSource) {}

  /**
   * Appends one event. Pass the transaction's manager so the event commits or rolls back with
   * the change it describes; call it last in that transaction, as it holds the chain's lock
   * until commit. Without a transaction it runs in its own.
   */
  async record(event: AuditEventInput, manager?: EntityManager): Promise<{ id: string; seq: string }> {
    if (manager?.queryRunner?.isTransactionActive) return this.append(event, manager);
    return this.db.transaction((tx) => this.append(event, tx));
  }

  private async append(event: AuditEventInput, tx: EntityManager): Promise<{ id: string; seq: string }> {
    // Held until commit: the next writer reads this event as the head, never the same head as us.
    await tx.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_CHAIN_LOCK]);
    const [head]: Array<{ seq: string | null; hash: string | null; now: Date }> = await tx.query(
      `SELECT h.seq, h.hash, date_trunc('milliseconds', clock_timestamp()) AS now
         FROM (SELECT 1) one
         LEFT JOIN LATERAL (SELECT a.seq::text AS seq, a.hash FROM audit_events a ORDER BY a.seq DESC LIMIT 1) h ON true`,
    );
    const row: Omit<AuditRow, 'hash'> = {
      id: randomUUID(),
      seq: (BigInt(head!.seq ?? 0) + 1n).toString(),
      occurred_at: head!.now,
      actor_kind: event.actor.kind,
      actor_user_id: uuidOrNull(event.actor.userId, 'actor.userId'),
      actor_email: textOrNull(event.actor.email?.trim().toLowerCase(), 320),
      tenant_id: uuidOrNull(event.tenantId, 'tenantId'),
      action: event.action,
      target_type: event.target?.type ?? null,
      target_id: textOrNull(event.target?.id, 200),
      metadata: scrubAuditMetadata(event.metadata),
      ip: textOrNull(event.request?.ip, 100),
      user_agent: textOrNull(event.request?.userAgent, 300),
      request_id: textOrNull(event.request?.requestId, 100),
      prev_hash: head!.hash,
    };
    const stored: AuditRow = { ...row, hash: hashAuditEvent(row) };
    const casts: Partial<Record<AuditColumn, string>> = { seq: '::bigint', metadata: '::jsonb' };
    await tx.query(
      `INSERT INTO audit_events (${AUDIT_EVENT_COLUMNS.join(', ')})
       VALUES (${AUDIT_EVENT_COLUMNS.map((c, i) => `$${i + 1}${casts[c] ?? ''}`).join(', ')})`,
      AUDIT_EVENT_COLUMNS.map((c) => (c === 'metadata' ? JSON.stringify(stored.metadata) : stored[c])),
    );
    return { id: row.id, seq: row.seq };
  }

  /** Newest first. Staff read everything; a tenant admin reads their own live tenants' events. */
  async list(
    viewer: SessionUser,
    query: AuditFilters & { cursor?: string; limit?: number },
  ): Promise<Page<AuditEventDto>> {
    assertRange(query);
    const limit = query.limit ?? 50;
    const before = decodeAuditCursor(query.cursor);
    const rows = await this.page(query, await this.scopeOf(viewer, query.tenantId), before, limit + 1);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => toDto(r, viewer)),
      nextCursor: rows.length > limit && last ? encodeAuditCursor(last.seq) : null,
    };
  }

  /**
   * CSV lines, newest first, read a page at a time so a large trail never sits in memory.
   * Validates before the first line, so a bad filter is still a 400 and not a broken download.
   */
  exportCsv(filters: AuditFilters): AsyncGenerator<string> {
    assertRange(filters);
    return this.csvLines(filters);
  }

  private async *csvLines(filters: AuditFilters): AsyncGenerator<string> {
    yield csvLine([...AUDIT_CSV_HEADER]);
    let before: string | null = null;
    for (;;) {
      const rows = await this.page(filters, { kind: 'all' }, before, EXPORT_BATCH);
      if (rows.length) yield rows.map(auditCsvLine).join('');
      if (rows.length < EXPORT_BATCH) return;
      before = rows[rows.length - 1]!.seq;
    }
  }

  /** One page newest first: events matching the filters and scope, below seq `before` when given. */
  private page(filters: AuditFilters, scope: AuditScope, before: string | null, limit: number): Promise<AuditRow[]> {
    const params: unknown[] = [limit];
    const where = auditConditions(filters, scope, params);
    if (before) {
      params.push(before);
      where.push(`e.seq < $${params.length}::bigint`);
    }
    return this.db.query(
      `SELECT ${AUDIT_COLUMNS} FROM audit_events e ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY e.seq DESC LIMIT $1`,
      params,
    );
  }

  verify(options?: VerifyOptions): Promise<AuditVerification> {
    return verifyAuditChain(this.db, options);
  }

  /** A tenant admin naming a tenant they don't administer gets the same 404 as for no such tenant. */
  private async scopeOf(viewer: SessionUser, tenantId: string | undefined): Promise<AuditScope> {
    if (viewer.isStaff) return { kind: 'all' };
    if (tenantId) {
      const rows: unknown[] = await this.db.query(
        `SELECT 1 FROM memberships m JOIN tenants t ON t.id = m.tenant_id
          WHERE m.tenant_id = $1 AND m.user_id = $2 AND t.archived_at IS NULL`,
        [tenantId, viewer.id],
      );
      if (rows.length === 0) throw notFound('Tenant');
    }
    return { kind: 'memberOf', userId: viewer.id };
  }
}
