import { Inject, Injectable, Logger } from '@nestjs/common';
import { SETTINGS_DEFAULTS } from '@messenger-vault/contracts';
import type { Platform } from '@messenger-vault/intercom';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { AuditContext } from '../audit/audit-context';
import { AuditService } from '../audit/audit.service';
import { DomainError, ErrorCode, notFound } from '../common/errors';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { Metrics } from '../core/metrics';
import { recordRotationEvent } from '../rotation/record-rotation-event';
import { inPlatformOrder, signingPlatforms, type SecretState } from '../vault/secret-states';
import type { RotationDto } from './dto/rotation.dto';
import { OVERLAP_MARGIN_SECONDS, type RotationItem, secretName } from './rotation-model';
import { RotationQueue } from './rotation-queue';
import type { RotationRow } from './rotation-runner';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function toRotationDto(r: RotationRow): RotationDto {
  const timeline: RotationDto['timeline'] = [{ state: 'creating', at: r.created_at.toISOString() }];
  if (r.overlapping_at) timeline.push({ state: 'overlapping', at: r.overlapping_at.toISOString() });
  if (r.deleting_old_at) timeline.push({ state: 'deleting_old', at: r.deleting_old_at.toISOString() });
  if (r.finished_at) timeline.push({ state: r.state, at: r.finished_at.toISOString() });
  const live = r.state !== 'done' && r.state !== 'failed';
  return {
    id: r.id,
    state: r.state,
    trigger: r.trigger,
    items: r.items.map((i) => ({
      oldVersion: i.oldVersion,
      platforms: i.platforms,
      newVersion: i.newVersion,
      newIntercomSecretId: i.newIntercomSecretId,
      oldIntercomSecretId: i.oldIntercomSecretId,
      oldDeleted: i.oldDeleted,
      removeByHand: i.removeByHand,
    })),
    reason: r.reason,
    lastError: live ? r.last_error : null,
    attempts: r.attempts,
    nextAttemptAt: live ? r.next_run_at.toISOString() : null,
    overlapSeconds: r.overlap_seconds,
    overlapEndsAt: r.overlap_ends_at?.toISOString() ?? null,
    finishedEarly: r.finished_early,
    timeline,
    createdAt: r.created_at.toISOString(),
    finishedAt: r.finished_at?.toISOString() ?? null,
  };
}

/** Starting, reading and finishing a tenant's automated rotations; the steps run in `RotationRunner`. */
@Injectable()
export class IntercomRotationsService {
  private readonly logger = new Logger('IntercomRotation');

  constructor(
    private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly queue: RotationQueue,
    private readonly metrics: Metrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Starts a run for every active version that signs somewhere; 409 while one runs or without a connection. */
  async start(tenantId: string, trigger: 'manual' | 'auto', ctx: AuditContext): Promise<RotationDto> {
    const id = randomUUID();
    const row = await this.db.transaction(async (tx) => {
      const connected: unknown[] = await tx.query(`SELECT 1 FROM intercom_connections WHERE tenant_id = $1`, [
        tenantId,
      ]);
      if (connected.length === 0) {
        throw new DomainError(
          ErrorCode.IntercomNotConnected,
          'Rotating the secret needs the Intercom connection: connect Intercom with an access token that has the ' +
            'write_secure_mode_secret scope (Intercom page, connection card), then rotate again.',
        );
      }
      // The vault's lock: no version is saved or retired while we read what signs.
      await tx.query(`SELECT 1 FROM vault_secrets WHERE tenant_id = $1 FOR UPDATE`, [tenantId]);
      const versions: Array<{
        version: number;
        state: SecretState;
        platforms: Platform[];
        intercom_secret_id: string | null;
      }> = await tx.query(
        `SELECT version, state, platforms, intercom_secret_id FROM secret_versions
            WHERE tenant_id = $1 AND state = 'active' ORDER BY version`,
        [tenantId],
      );
      const signs = signingPlatforms(versions);
      const items: RotationItem[] = versions
        .filter((v) => (signs.get(v.version) ?? []).length > 0)
        .map((v) => {
          const platforms = inPlatformOrder(signs.get(v.version)!);
          return {
            oldVersion: v.version,
            platforms,
            oldIntercomSecretId: v.intercom_secret_id,
            name: secretName(tenantId, id, { platforms }),
            newVersion: null,
            newIntercomSecretId: null,
            oldDeleted: false,
            removeByHand: false,
          };
        });
      if (items.length === 0) {
        throw new DomainError(
          ErrorCode.NothingToRotate,
          'This tenant has no active secret version to rotate. Save the Messenger secret in step 2 first.',
        );
      }
      const [settings]: Array<{ token_ttl_seconds: number }> = await tx.query(
        `SELECT token_ttl_seconds FROM intercom_settings WHERE tenant_id = $1`,
        [tenantId],
      );
      const overlap = (settings?.token_ttl_seconds ?? SETTINGS_DEFAULTS.tokenTtlSeconds) + OVERLAP_MARGIN_SECONDS;
      let inserted: RotationRow;
      try {
        // A savepoint: the unique index on live runs answers a concurrent start.
        [inserted] = await tx.query(
          `INSERT INTO intercom_rotations (id, tenant_id, trigger, started_by, items, overlap_seconds)
           VALUES ($1, $2, $3, $4, $5::jsonb, $6) RETURNING *`,
          [id, tenantId, trigger, ctx.actor.userId, JSON.stringify(items), overlap],
        );
      } catch (err) {
        if (isUniqueViolation(err)) throw inProgress();
        throw err;
      }
      await recordRotationEvent(tx, {
        tenantId,
        rotationId: id,
        rotationSeq: inserted!.seq,
        stage: 'rotation_started',
        secretVersion: items[0]!.oldVersion,
        email: this.config.reminders.smtpUrl !== null,
      });
      await this.audit.record(
        {
          ...ctx,
          action: 'intercom.rotation.started',
          tenantId,
          target: { type: 'intercom_rotation', id },
          metadata: {
            rotationId: id,
            trigger,
            overlapSeconds: overlap,
            versions: items.map((i) => i.oldVersion),
            unlinked: items.filter((i) => !i.oldIntercomSecretId).map((i) => i.oldVersion),
          },
        },
        tx,
      );
      return inserted!;
    });
    this.metrics.intercomRotations.inc({ outcome: 'started' });
    this.logger.log(`rotation ${id} of tenant ${tenantId} started (${trigger})`);
    await this.queue.enqueue(id);
    return toRotationDto(row);
  }

  async get(tenantId: string, rotationId: string): Promise<RotationDto> {
    return toRotationDto(await this.row(tenantId, rotationId));
  }

  async list(tenantId: string, limit = 10): Promise<RotationDto[]> {
    const rows: RotationRow[] = await this.db.query(
      `SELECT * FROM intercom_rotations WHERE tenant_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2`,
      [tenantId, limit],
    );
    return rows.map(toRotationDto);
  }

  /**
   * Ends the overlap now: the old secret is deleted on the next step. Allowed while creating
   * too (the overlap then ends as soon as it starts); idempotent.
   */
  async finish(tenantId: string, rotationId: string, ctx: AuditContext): Promise<RotationDto> {
    if (!UUID.test(rotationId)) throw notFound('Rotation');
    const row = await this.db.transaction(async (tx) => {
      const [[updated]]: [RotationRow[], number] = await tx.query(
        `UPDATE intercom_rotations SET finished_early = true,
                overlap_ends_at = CASE WHEN state = 'overlapping' THEN least(overlap_ends_at, now()) ELSE overlap_ends_at END,
                next_run_at = CASE WHEN state = 'overlapping' THEN least(next_run_at, now()) ELSE next_run_at END
          WHERE id = $1 AND tenant_id = $2 AND state IN ('creating', 'overlapping') RETURNING *`,
        [rotationId, tenantId],
      );
      if (!updated) {
        const current = await this.row(tenantId, rotationId);
        if (current.finished_early || current.state === 'deleting_old' || current.state === 'done') return current;
        throw new DomainError(
          ErrorCode.RotationNotOverlapping,
          `This rotation is ${current.state}; only a running rotation's overlap can be finished. Start a new rotation instead.`,
        );
      }
      await this.audit.record(
        {
          ...ctx,
          action: 'intercom.rotation.finish_requested',
          tenantId,
          target: { type: 'intercom_rotation', id: rotationId },
          metadata: { rotationId, state: updated.state },
        },
        tx,
      );
      return updated;
    });
    await this.queue.enqueue(rotationId);
    return toRotationDto(row);
  }

  private async row(tenantId: string, rotationId: string): Promise<RotationRow> {
    if (!UUID.test(rotationId)) throw notFound('Rotation');
    const [row]: RotationRow[] = await this.db.query(
      `SELECT * FROM intercom_rotations WHERE id = $1 AND tenant_id = $2`,
      [rotationId, tenantId],
    );
    if (!row) throw notFound('Rotation');
    return row;
  }
}

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: unknown; driverError?: { code?: unknown } };
  return e.code === '23505' || e.driverError?.code === '23505';
}

function inProgress(): DomainError {
  return new DomainError(
    ErrorCode.RotationInProgress,
    "A rotation of this tenant's secret is already running. Follow it on the Intercom page, or finish its overlap; start another once it is done.",
  );
}
