import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import type { AuditContext } from '../audit/audit-context';
import { AuditService } from '../audit/audit.service';
import { DomainError, ErrorCode, validationError } from '../common/errors';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { outboundPolicy } from '../common/outbound';
import type { CreatedWebhookDto, WebhookDto } from './dto/webhook.dto';
import { REMINDER_KEYRING, type ReminderKeyring } from './reminder-keyring';
import { sealWebhookSecret } from './webhook-secret';
import { generateSigningSecret } from './webhook-signature';
import { validateWebhookUrl } from './webhook-url';

interface WebhookRow {
  id: string;
  url: string;
  created_at: Date;
}

const toDto = (r: WebhookRow): WebhookDto => ({ id: r.id, url: r.url, createdAt: r.created_at.toISOString() });

const noWebhook = () =>
  new DomainError(
    ErrorCode.NotFound,
    'This tenant has no webhook. Set one with PUT /api/tenants/{tenantId}/webhook {"url": "https://…"}.',
  );

/**
 * A tenant's one webhook. Setting it always makes a new signing secret (and a new id, which the
 * sealed secret is bound to); the secret is sealed by the vault and shown once.
 */
@Injectable()
export class WebhookService {
  private readonly logger = new Logger('Webhooks');

  constructor(
    private readonly db: DataSource,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(REMINDER_KEYRING) private readonly keyring: ReminderKeyring,
  ) {}

  async get(tenantId: string): Promise<WebhookDto> {
    const rows: WebhookRow[] = await this.db.query(
      `SELECT id, url, created_at FROM webhook_endpoints WHERE tenant_id = $1`,
      [tenantId],
    );
    if (!rows[0]) throw noWebhook();
    return toDto(rows[0]);
  }

  async set(tenantId: string, input: string, context: AuditContext): Promise<CreatedWebhookDto> {
    const checked = await validateWebhookUrl(input, outboundPolicy(this.config));
    if (!checked.ok) throw validationError({ url: [checked.message] });
    const id = randomUUID();
    const signingSecret = generateSigningSecret();
    const sealed = await sealWebhookSecret(this.keyring.provider, tenantId, id, signingSecret);
    const row = await this.db.transaction(async (tx) => {
      await this.keyring.ensureRecorded(tx, sealed.masterKeyId);
      const [saved]: WebhookRow[] = await tx.query(
        `INSERT INTO webhook_endpoints (id, tenant_id, url, ciphertext, iv, wrapped_key, master_key_id, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (tenant_id) DO UPDATE SET id = EXCLUDED.id, url = EXCLUDED.url, ciphertext = EXCLUDED.ciphertext,
           iv = EXCLUDED.iv, wrapped_key = EXCLUDED.wrapped_key, master_key_id = EXCLUDED.master_key_id,
           created_by = EXCLUDED.created_by, created_at = now()
         RETURNING id, url, created_at`,
        [
          id,
          tenantId,
          checked.url,
          sealed.ciphertext,
          sealed.iv,
          sealed.wrappedKey,
          sealed.masterKeyId,
          context.actor.userId,
        ],
      );
      await this.record(tx, context, tenantId, saved!, 'set');
      return saved!;
    });
    this.logger.log(`tenant ${tenantId} set its webhook to ${new URL(row.url).host}`);
    return { ...toDto(row), signingSecret };
  }

  async remove(tenantId: string, context: AuditContext): Promise<WebhookDto> {
    const row = await this.db.transaction(async (tx) => {
      const [rows]: [WebhookRow[], number] = await tx.query(
        `DELETE FROM webhook_endpoints WHERE tenant_id = $1 RETURNING id, url, created_at`,
        [tenantId],
      );
      if (!rows[0]) throw noWebhook();
      await this.record(tx, context, tenantId, rows[0], 'removed');
      return rows[0];
    });
    this.logger.log(`tenant ${tenantId} removed its webhook`);
    return toDto(row);
  }

  /** The host only: a webhook URL's path or query is often a credential of its own (think Slack). */
  private record(tx: EntityManager, context: AuditContext, tenantId: string, row: WebhookRow, change: string) {
    const url = new URL(row.url);
    return this.audit.record(
      {
        ...context,
        action: 'webhook.changed',
        tenantId,
        target: { type: 'webhook', id: row.id },
        metadata: { change, scheme: url.protocol.replace(':', ''), host: url.host },
      },
      tx,
    );
  }
}
