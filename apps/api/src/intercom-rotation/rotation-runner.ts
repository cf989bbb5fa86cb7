import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Region } from '@messenger-vault/intercom';
import { writeSync } from 'node:fs';
import { DataSource, type EntityManager } from 'typeorm';
import { SYSTEM_AUDIT_CONTEXT } from '../audit/audit-context';
import { AuditService } from '../audit/audit.service';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { Metrics } from '../core/metrics';
import { INTERCOM_REST_BASES } from '../intercom/intercom-api';
import { markIntercomConnectionBroken } from '../intercom/intercom-connection.service';
import { openIntercomToken, type SealedIntercomTokenRow } from '../intercom/intercom-token';
import { recordRotationEvent } from '../rotation/record-rotation-event';
import type { RotationEvent } from '../rotation/reminder-message';
import { notifySecretChanged } from '../vault/secret-change';
import { SecretVersionsService } from '../vault/secret-versions.service';
import { SigningKeyService } from '../vault/signing-key.service';
import { VaultKeyring } from '../vault/vault-keyring.service';
import { IntercomSecretsApi, IntercomSecretsError } from './intercom-secrets-api';
import {
  MAX_STEP_ATTEMPTS,
  refusalReason,
  retryDelayMs,
  type RotationItem,
  type RotationState,
} from './rotation-model';

export interface RotationRow {
  id: string;
  seq: number;
  tenant_id: string;
  state: RotationState;
  trigger: 'manual' | 'auto';
  items: RotationItem[];
  reason: string | null;
  attempts: number;
  next_run_at: Date;
  overlap_seconds: number;
  overlap_ends_at: Date | null;
  created_at: Date;
  overlapping_at: Date | null;
  deleting_old_at: Date | null;
  finished_at: Date | null;
  finished_early: boolean;
  last_error: string | null;
}

/** What one locked step did: go on at once, wait until a time, or stop (finished, or not ours). */
type StepResult =
  | { kind: 'continue'; after?: { point: CrashPoint; state: RotationState }; keysChanged?: string }
  | { kind: 'wait'; until: Date }
  | { kind: 'stop'; outcome?: 'done' | 'failed' };

export type CrashPoint = 'after_create' | 'after_store' | 'overlapping' | 'during_delete';

/**
 * The rotation state machine, one step per transaction. Each step locks the run's row
 * (`FOR UPDATE SKIP LOCKED`) for as long as it talks to Intercom: a second worker, on this
 * replica or another, skips the run, and a worker that dies drops the lock with its connection,
 * so a restart resumes at once. The secret Intercom creates is sealed and stored in the
 * transaction of the step that received it; if that step never commits, the secret is an
 * orphan in Intercom, found by its unique name and deleted by the next attempt (decision 0038).
 */
@Injectable()
export class RotationRunner {
  private readonly logger = new Logger('IntercomRotation');

  constructor(
    private readonly db: DataSource,
    private readonly versions: SecretVersionsService,
    private readonly signingKeys: SigningKeyService,
    private readonly keyring: VaultKeyring,
    private readonly audit: AuditService,
    private readonly metrics: Metrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Runs the rotation as far as it can go now; returns when it waits for a time (the next job's start). */
  async advance(rotationId: string): Promise<Date | null> {
    for (;;) {
      const result = await this.db.transaction((tx) => this.step(tx, rotationId));
      if (result.kind === 'continue') {
        // The change bus drops every replica's cached keys on commit; this one's goes now, not a moment later.
        if (result.keysChanged) this.signingKeys.invalidate(result.keysChanged);
        if (result.after) this.crashPoint(result.after.point, rotationId, result.after.state);
        continue;
      }
      if (result.kind === 'stop' && result.outcome) this.metrics.intercomRotations.inc({ outcome: result.outcome });
      return result.kind === 'wait' ? result.until : null;
    }
  }

  private async step(tx: EntityManager, rotationId: string): Promise<StepResult> {
    const [row]: RotationRow[] = await tx.query(
      `SELECT * FROM intercom_rotations
        WHERE id = $1 AND state IN ('creating', 'overlapping', 'deleting_old') FOR UPDATE SKIP LOCKED`,
      [rotationId],
    );
    if (!row) return { kind: 'stop' };
    const [now] = (await tx.query(`SELECT now() AS now`)) as Array<{ now: Date }>;
    if (row.next_run_at > now!.now) return { kind: 'wait', until: row.next_run_at };
    try {
      switch (row.state) {
        case 'creating':
          return await this.creating(tx, row);
        case 'overlapping':
          return await this.endOverlap(tx, row);
        case 'deleting_old':
          return await this.deletingOld(tx, row);
        default:
          return { kind: 'stop' };
      }
    } catch (err) {
      if (!(err instanceof IntercomSecretsError)) throw err;
      return this.intercomFailed(tx, row, err);
    }
  }

  private async creating(tx: EntityManager, row: RotationRow): Promise<StepResult> {
    const index = row.items.findIndex((i) => i.newVersion === null);
    if (index < 0) {
      // Every new secret is stored and signing: the overlap starts now.
      const [[updated]]: [RotationRow[], number] = await tx.query(
        `UPDATE intercom_rotations SET state = 'overlapping', overlapping_at = now(), attempts = 0, last_error = NULL,
                overlap_ends_at = CASE WHEN finished_early THEN now() ELSE now() + overlap_seconds * interval '1 second' END,
                next_run_at = CASE WHEN finished_early THEN now() ELSE now() + overlap_seconds * interval '1 second' END
          WHERE id = $1 RETURNING *`,
        [row.id],
      );
      await this.record(tx, row, 'intercom.rotation.overlapping', { overlapEndsAt: updated!.overlap_ends_at });
      this.logger.log(
        `rotation ${row.id} of tenant ${row.tenant_id}: overlapping until ${updated!.overlap_ends_at?.toISOString()}`,
      );
      return { kind: 'continue', after: { point: 'overlapping', state: 'overlapping' } };
    }
    const item = row.items[index]!;
    const api = await this.api(tx, row.tenant_id);
    if (!api) return this.fail(tx, row, NO_CONNECTION);
    // A secret by this name exists only if an earlier attempt created it and never stored it.
    const orphans = (await api.list()).filter((s) => s.name === item.name);
    for (const orphan of orphans) {
      await api.delete(orphan.id);
      this.logger.warn(`rotation ${row.id}: deleted orphan Intercom secret ${orphan.id} created by an earlier attempt`);
    }
    const created = await api.create(item.name, item.platforms);
    this.crashPoint('after_create', row.id, row.state);
    const saved = await this.versions.saveWithin(
      tx,
      row.tenant_id,
      created.secret,
      item.platforms,
      SYSTEM_AUDIT_CONTEXT,
      {
        intercomSecretId: created.id,
        rotationId: row.id,
      },
    );
    const items = row.items.map((it, i) =>
      i === index ? { ...it, newVersion: saved.version, newIntercomSecretId: created.id } : it,
    );
    await tx.query(`UPDATE intercom_rotations SET items = $2::jsonb, attempts = 0, last_error = NULL WHERE id = $1`, [
      row.id,
      JSON.stringify(items),
    ]);
    // Audit after the calls to Intercom: recording holds the audit chain's lock until commit.
    for (const orphan of orphans) {
      await this.record(tx, row, 'intercom.rotation.orphan_deleted', { intercomSecretId: orphan.id, name: item.name });
    }
    await this.record(tx, row, 'intercom.rotation.secret_created', {
      oldVersion: item.oldVersion,
      newVersion: saved.version,
      platforms: item.platforms,
      intercomSecretId: created.id,
      fingerprint: saved.fingerprint,
    });
    this.logger.log(`rotation ${row.id}: stored version ${saved.version} (Intercom secret ${created.id})`);
    return { kind: 'continue', after: { point: 'after_store', state: 'creating' }, keysChanged: row.tenant_id };
  }

  private async endOverlap(tx: EntityManager, row: RotationRow): Promise<StepResult> {
    await tx.query(
      `UPDATE intercom_rotations SET state = 'deleting_old', deleting_old_at = now(), attempts = 0, last_error = NULL
        WHERE id = $1`,
      [row.id],
    );
    await this.record(tx, row, 'intercom.rotation.deleting_old', { finishedEarly: row.finished_early });
    return { kind: 'continue' };
  }

  private async deletingOld(tx: EntityManager, row: RotationRow): Promise<StepResult> {
    const index = row.items.findIndex((i) => !i.oldDeleted && !i.removeByHand);
    if (index < 0) return this.finish(tx, row);
    const item = row.items[index]!;
    let deleted: 'deleted' | 'already_gone' | 'by_hand' = 'by_hand';
    if (item.oldIntercomSecretId) {
      const api = await this.api(tx, row.tenant_id);
      if (!api) return this.fail(tx, row, NO_CONNECTION);
      deleted = (await api.delete(item.oldIntercomSecretId)) ? 'deleted' : 'already_gone';
      this.crashPoint('during_delete', row.id, row.state);
    }
    const items = row.items.map((it, i) =>
      i === index ? { ...it, oldDeleted: deleted !== 'by_hand', removeByHand: deleted === 'by_hand' } : it,
    );
    await tx.query(`UPDATE intercom_rotations SET items = $2::jsonb, attempts = 0, last_error = NULL WHERE id = $1`, [
      row.id,
      JSON.stringify(items),
    ]);
    const [retired]: Array<{ id: string }> = (
      (await tx.query(
        `UPDATE secret_versions SET state = 'retired', retired_at = now()
          WHERE tenant_id = $1 AND version = $2 AND state = 'previous' RETURNING id`,
        [row.tenant_id, item.oldVersion],
      )) as [Array<{ id: string }>, number]
    )[0];
    if (retired) await notifySecretChanged(tx, [row.tenant_id]);
    await this.record(tx, row, 'intercom.rotation.old_secret_deleted', {
      oldVersion: item.oldVersion,
      intercomSecretId: item.oldIntercomSecretId,
      outcome: deleted,
      retired: Boolean(retired),
    });
    if (retired) {
      await this.audit.record(
        {
          ...SYSTEM_AUDIT_CONTEXT,
          action: 'intercom.secret.retired',
          tenantId: row.tenant_id,
          target: { type: 'secret_version', id: retired.id },
          metadata: { version: item.oldVersion, rotationId: row.id },
        },
        tx,
      );
    }
    return { kind: 'continue', keysChanged: retired ? row.tenant_id : undefined };
  }

  private async finish(tx: EntityManager, row: RotationRow): Promise<StepResult> {
    await tx.query(
      `UPDATE intercom_rotations SET state = 'done', finished_at = now(), attempts = 0, last_error = NULL WHERE id = $1`,
      [row.id],
    );
    await this.event(tx, row, 'rotated');
    await this.record(tx, row, 'intercom.rotation.done', {
      newVersions: row.items.map((i) => i.newVersion),
      removeByHand: row.items.filter((i) => i.removeByHand).map((i) => i.oldVersion),
    });
    this.logger.log(`rotation ${row.id} of tenant ${row.tenant_id}: done`);
    return { kind: 'stop', outcome: 'done' };
  }

  /** Ends the run with a reason; a version stored by it stays (it signs, and Intercom has it). */
  async fail(tx: EntityManager, row: RotationRow, reason: string): Promise<StepResult> {
    await tx.query(`UPDATE intercom_rotations SET state = 'failed', reason = $2, finished_at = now() WHERE id = $1`, [
      row.id,
      reason.slice(0, 1000),
    ]);
    await this.event(tx, row, 'rotation_failed');
    await this.record(tx, row, 'intercom.rotation.failed', { reason: reason.slice(0, 1000), state: row.state });
    this.logger.warn(`rotation ${row.id} of tenant ${row.tenant_id} failed: ${reason}`);
    return { kind: 'stop', outcome: 'failed' };
  }

  private async intercomFailed(tx: EntityManager, row: RotationRow, err: IntercomSecretsError): Promise<StepResult> {
    const action = ACTIONS[row.state] ?? 'a rotation step';
    if (err.kind === 'unauthorized' || err.kind === 'forbidden' || err.kind === 'invalid') {
      // A 401: the token was revoked or the app uninstalled; the connection card and setup say so (decision 0040).
      if (err.kind === 'unauthorized') await markIntercomConnectionBroken(tx, this.audit, row.tenant_id, err.message);
      return this.fail(tx, row, row.state === 'deleting_old' ? leftOver(row, err.message) : refusalReason(err, action));
    }
    const attempts = row.attempts + 1;
    if (err.kind === 'unavailable' && attempts >= MAX_STEP_ATTEMPTS) {
      return this.fail(
        tx,
        row,
        row.state === 'deleting_old'
          ? leftOver(row, `${attempts} attempts; last: ${err.message}`)
          : `Intercom kept failing while ${action} (${attempts} attempts; last: ${err.message}). ` +
              'Start the rotation again later; a secret it created and did not store is cleaned up by then.',
      );
    }
    const [now] = (await tx.query(`SELECT now() AS now`)) as Array<{ now: Date }>;
    const until =
      err.kind === 'rate_limited'
        ? new Date(Math.max(now!.now.getTime() + 1000, err.retryAt?.getTime() ?? now!.now.getTime() + 60_000))
        : new Date(now!.now.getTime() + retryDelayMs(attempts, this.config.intercomRotation.retryMs));
    const note = `${err.status ?? 'no answer'}: ${err.message}`.slice(0, 500);
    await tx.query(`UPDATE intercom_rotations SET attempts = $2, next_run_at = $3, last_error = $4 WHERE id = $1`, [
      row.id,
      attempts,
      until,
      note,
    ]);
    await this.record(tx, row, 'intercom.rotation.retry_scheduled', {
      attempt: attempts,
      kind: err.kind,
      status: err.status,
      retryAt: until.toISOString(),
    });
    this.logger.warn(`rotation ${row.id}: Intercom ${note}; retrying at ${until.toISOString()}`);
    return { kind: 'wait', until };
  }

  private async api(tx: EntityManager, tenantId: string): Promise<IntercomSecretsApi | null> {
    const [conn]: Array<SealedIntercomTokenRow & { region: Region }> = await tx.query(
      `SELECT id, tenant_id, region, ciphertext, iv, wrapped_key, master_key_id FROM intercom_connections WHERE tenant_id = $1`,
      [tenantId],
    );
    if (!conn) return null;
    const token = await openIntercomToken(this.keyring.provider, conn);
    const base = this.config.intercom.apiUrl ?? INTERCOM_REST_BASES[conn.region];
    return new IntercomSecretsApi(base, token.reveal(), this.config.intercom.timeoutMs);
  }

  private event(tx: EntityManager, row: RotationRow, stage: RotationEvent): Promise<string | null> {
    return recordRotationEvent(tx, {
      tenantId: row.tenant_id,
      rotationId: row.id,
      rotationSeq: row.seq,
      stage,
      secretVersion: row.items[0]!.oldVersion,
      email: this.config.reminders.smtpUrl !== null,
    });
  }

  private record(
    tx: EntityManager,
    row: RotationRow,
    action: Parameters<AuditService['record']>[0]['action'],
    metadata: Record<string, unknown>,
  ) {
    return this.audit.record(
      {
        ...SYSTEM_AUDIT_CONTEXT,
        action,
        tenantId: row.tenant_id,
        target: { type: 'intercom_rotation', id: row.id },
        metadata: { rotationId: row.id, ...metadata } as never,
      },
      tx,
    );
  }

  /** Test-only: the crash tests kill the process here. TEST_CRASH_POINTS is refused outside NODE_ENV=test. */
  private crashPoint(point: CrashPoint, rotationId: string, state: RotationState): void {
    if (this.config.nodeEnv !== 'test' || !this.config.testCrashPoints.includes(point)) return;
    // Written synchronously: the logger's buffer dies with the process.
    writeSync(2, `TEST_CRASH_POINTS: killing this process at ${point} (rotation ${rotationId}, state ${state})\n`);
    process.kill(process.pid, 'SIGKILL');
  }
}

/**
 * Failing while deleting: the new secrets already sign, so rotating again would only add another.
 * What is left is removing the old ones by hand.
 */
function leftOver(row: RotationRow, why: string): string {
  const left = row.items.filter((i) => !i.oldDeleted && !i.removeByHand);
  const ids = left.map((i) => i.oldIntercomSecretId).filter((id): id is string => id !== null);
  return (
    `Intercom refused deleting the old secret (${why}). The new secret already signs every token (version ` +
    `${row.items.map((i) => i.newVersion).join(', ')}); do not rotate again. Delete the old secret` +
    `${ids.length ? ` (Intercom id ${ids.join(', ')})` : ''} in Intercom's Messenger security settings, then retire ` +
    `version ${left.map((i) => i.oldVersion).join(', ')} in step 2.`
  ).slice(0, 1000);
}

const NO_CONNECTION =
  'The Intercom connection was removed during the rotation. Connect Intercom again, then start a new rotation.';

const ACTIONS: Partial<Record<RotationState, string>> = {
  creating: 'creating the new secret',
  overlapping: 'ending the overlap',
  deleting_old: 'deleting the old secret',
};
