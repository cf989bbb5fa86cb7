import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DAY_MS } from '@messenger-vault/contracts';
import { DataSource } from 'typeorm';
import { SYSTEM_AUDIT_CONTEXT } from '../audit/audit-context';
import { DomainError } from '../common/errors';
import { ReminderRunner } from '../rotation/reminder-runner';
import { IntercomRotationsService } from './intercom-rotations.service';

/**
 * `autoRotate`: after each reminder scan, a run starts for every connected tenant with the
 * setting on and an active version past its rotation date, unless one is live or an automatic
 * one failed in the last day (a failing run is not retried every tick; its notification asks a person).
 */
@Injectable()
export class AutoRotation implements OnModuleInit {
  private readonly logger = new Logger('IntercomRotation');

  constructor(
    private readonly db: DataSource,
    private readonly reminders: ReminderRunner,
    private readonly rotations: IntercomRotationsService,
  ) {}

  onModuleInit(): void {
    this.reminders.onScan((at, tenantId) => this.startDue(at, tenantId).then(() => undefined));
  }

  /** Returns the tenants whose run it started. */
  async startDue(at: Date, tenantId?: string): Promise<string[]> {
    const due: Array<{ tenant_id: string }> = await this.db.query(
      `SELECT DISTINCT v.tenant_id FROM secret_versions v
         JOIN tenants t ON t.id = v.tenant_id AND t.archived_at IS NULL
         JOIN intercom_settings s ON s.tenant_id = v.tenant_id AND s.auto_rotate
         JOIN intercom_connections c ON c.tenant_id = v.tenant_id
        WHERE v.state = 'active' AND ($2::uuid IS NULL OR v.tenant_id = $2::uuid)
          AND date_trunc('milliseconds', v.created_at) + s.rotation_period_days * ($3::bigint * interval '1 millisecond')
              <= $1::timestamptz
          AND NOT EXISTS (SELECT 1 FROM intercom_rotations r WHERE r.tenant_id = v.tenant_id
                           AND (r.state IN ('creating', 'overlapping', 'deleting_old')
                                OR (r.state = 'failed' AND r.trigger = 'auto' AND r.finished_at > now() - interval '1 day')))`,
      [at, tenantId ?? null, DAY_MS],
    );
    const started: string[] = [];
    for (const { tenant_id } of due) {
      try {
        await this.rotations.start(tenant_id, 'auto', SYSTEM_AUDIT_CONTEXT);
        started.push(tenant_id);
      } catch (err) {
        // Another replica's scan or a person started one meanwhile (409): nothing to do.
        if (!(err instanceof DomainError)) throw err;
        this.logger.log(`automatic rotation of tenant ${tenant_id} not started: ${err.code}`);
      }
    }
    return started;
  }
}
