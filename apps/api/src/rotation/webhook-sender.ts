import {
  type KeyEncryptionProvider,
  KeyProviderUnavailable,
  type SecretValue,
  VaultError,
} from '@messenger-vault/vault';
import type { Queryable } from '../core/change-bus.service';
import { OutboundRefused, type OutboundPolicy, outboundRequest } from '../common/outbound';
import { type AttemptResult, cancelled, type ChannelSender, type OutboxItem } from './delivery-channel';
import { describeReminder, WEBHOOK_EVENT_TYPES } from './reminder-message';
import { type NotificationRow, reminderFacts } from './notification-row';
import { openWebhookSecret, type SealedWebhookRow } from './webhook-secret';
import { SIGNATURE_HEADER, signatureHeader } from './webhook-signature';

const USER_AGENT = 'MessengerVault-Webhooks/1';

/** What a receiver gets: `id` is the notification's, the same on every retry, so receivers can drop repeats. */
export function webhookEvent(n: NotificationRow) {
  const facts = reminderFacts(n);
  return {
    id: n.id,
    type: WEBHOOK_EVENT_TYPES[n.stage],
    createdAt: n.created_at.toISOString(),
    data: {
      tenantId: n.tenant_id,
      secretVersion: n.secret_version,
      stage: n.stage,
      occurrence: n.occurrence,
      rotationDueAt: n.rotation_due_at.toISOString(),
      ...(n.rotation
        ? { rotationId: n.rotation.id, newVersions: n.rotation.newVersions, removeByHand: n.rotation.removeByHand }
        : {}),
      ...describeReminder(facts),
    },
  };
}

/** An error code from Node's network stack (ECONNREFUSED, ENOTFOUND, CERT_HAS_EXPIRED, …), never a message. */
function networkReason(err: unknown): string {
  const cause = (err as { cause?: { code?: unknown } }).cause;
  const code = typeof cause?.code === 'string' ? cause.code : (err as { code?: unknown }).code;
  return typeof code === 'string' && /^[A-Z0-9_]{2,40}$/.test(code) ? code : 'network error';
}

/**
 * POSTs the event to the tenant's current webhook, signed with its signing secret. Only a 2xx
 * answer counts; redirects are not followed (the URL was validated, where it points next was not).
 */
export class WebhookSender implements ChannelSender {
  readonly channel = 'webhook' as const;

  constructor(
    private readonly db: Queryable,
    private readonly keyring: () => KeyEncryptionProvider,
    private readonly timeoutMs: number,
    private readonly policy: OutboundPolicy = { refuseSpecialUse: false },
  ) {}

  async send(item: OutboxItem): Promise<AttemptResult> {
    const rows: Array<SealedWebhookRow & { url: string }> = await this.db.query(
      `SELECT id, tenant_id, url, ciphertext, iv, wrapped_key, master_key_id FROM webhook_endpoints WHERE tenant_id = $1`,
      [item.notification.tenant_id],
    );
    const hook = rows[0];
    if (!hook) return cancelled('The tenant removed its webhook before this reminder was delivered.');
    let secret: SecretValue;
    try {
      secret = await openWebhookSecret(this.keyring(), hook);
    } catch (err) {
      // The HSM or KMS being down is not the webhook's fault: the attempt fails as any outage does.
      if (!(err instanceof VaultError) || err instanceof KeyProviderUnavailable) throw err;
      return {
        outcome: 'failed',
        statusCode: null,
        error: `The webhook's signing secret does not open (${err.code}); set the webhook again to get a new one.`,
      };
    }
    const body = JSON.stringify(webhookEvent(item.notification));
    const signature = signatureHeader(secret.reveal(), body, Math.floor(Date.now() / 1000));
    const deadline = AbortSignal.timeout(this.timeoutMs);
    try {
      // In production the connection itself refuses special-use addresses (common/outbound).
      // What the receiver answers is none of our business, and could be anything: never read or stored.
      const res = await outboundRequest(
        hook.url,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': USER_AGENT, [SIGNATURE_HEADER]: signature },
          body,
          signal: deadline,
        },
        this.policy,
      );
      if (res.status >= 200 && res.status < 300) return { outcome: 'delivered', statusCode: res.status, error: null };
      const redirect = res.status >= 300 && res.status < 400;
      return {
        outcome: 'failed',
        statusCode: res.status,
        error: redirect
          ? `The receiver answered HTTP ${res.status}, a redirect; redirects are not followed: set the final URL.`
          : `The receiver answered HTTP ${res.status}.`,
      };
    } catch (err) {
      if (err instanceof OutboundRefused) {
        return {
          outcome: 'failed',
          statusCode: null,
          error: `The webhook host is a special-use address (${err.range}), refused in production; set a public URL.`,
        };
      }
      if (deadline.aborted) {
        return {
          outcome: 'timeout',
          statusCode: null,
          error: `The receiver did not answer within ${this.timeoutMs} ms.`,
        };
      }
      return { outcome: 'failed', statusCode: null, error: `The request did not complete: ${networkReason(err)}.` };
    }
  }
}
