import { createTransport, type Transporter } from 'nodemailer';
import type { SecretText } from '../config/secret-text';
import type { Queryable } from '../core/change-bus.service';
import { type AttemptResult, cancelled, type ChannelSender, type OutboxItem } from './delivery-channel';
import { describeReminder } from './reminder-message';
import { reminderFacts } from './notification-row';

// Connect, greeting and idle socket: a stuck server fails the attempt well inside the outbox lease.
const SMTP_TIMEOUT_MS = 15_000;

const oneLine = (text: string) => text.replace(/\p{Cc}+/gu, ' ').trim();

/** Sends a reminder to every admin of the tenant, in one message. */
export class EmailSender implements ChannelSender {
  readonly channel = 'email' as const;
  private readonly transport: Transporter;
  /** The SMTP credentials, so an error message that quotes them is scrubbed before it is stored. */
  private readonly credentials: string[];

  constructor(
    private readonly db: Queryable,
    smtpUrl: SecretText,
    private readonly from: string,
    private readonly publicUrl: string | null,
  ) {
    const url = new URL(smtpUrl.reveal());
    this.credentials = [url.username, url.password, decodeURIComponent(url.password)].filter((c) => c.length >= 3);
    this.transport = createTransport({
      url: smtpUrl.reveal(),
      connectionTimeout: SMTP_TIMEOUT_MS,
      greetingTimeout: SMTP_TIMEOUT_MS,
      socketTimeout: SMTP_TIMEOUT_MS,
    });
  }

  async send(item: OutboxItem): Promise<AttemptResult> {
    const n = item.notification;
    const admins: Array<{ email: string }> = await this.db.query(
      `SELECT u.email FROM memberships m JOIN users u ON u.id = m.user_id
        WHERE m.tenant_id = $1 AND m.role = 'admin' ORDER BY lower(u.email)`,
      [n.tenant_id],
    );
    if (admins.length === 0) return cancelled('The tenant has no admins to email.');
    const { title, message } = describeReminder(reminderFacts(n));
    const tenant = oneLine(n.tenant_name);
    const link = this.publicUrl
      ? `\nOpen the Intercom setup: ${this.publicUrl}/tenants/${n.tenant_id}/integration\n`
      : '';
    try {
      const info = await this.transport.sendMail({
        from: this.from,
        to: admins.map((a) => a.email),
        subject: `[${tenant}] ${title}`,
        text:
          `${title}.\n\n${message}\n\nTenant: ${tenant}\nSecret version: ${n.secret_version}\n` +
          `Rotation date: ${n.rotation_due_at.toISOString().slice(0, 10)}\n${link}\n` +
          `You receive this because you are an admin of ${tenant} in Messenger Vault.\n`,
      });
      const refused = info.rejected?.length ?? 0;
      return {
        outcome: 'delivered',
        statusCode: Number(/^\d{3}/.exec(String(info.response ?? ''))?.[0] ?? 250),
        error: refused ? `The SMTP server refused ${refused} of ${admins.length} recipient(s).` : null,
      };
    } catch (err) {
      const e = err as { code?: unknown; responseCode?: unknown; message?: unknown };
      const code = typeof e.code === 'string' ? e.code : 'SMTP error';
      return {
        outcome: code === 'ETIMEDOUT' ? 'timeout' : 'failed',
        statusCode: typeof e.responseCode === 'number' ? e.responseCode : null,
        error: this.scrub(`${code}: ${oneLine(String(e.message ?? '')).slice(0, 200)}`),
      };
    }
  }

  private scrub(text: string): string {
    return this.credentials.reduce((t, c) => t.split(c).join('***'), text);
  }

  close(): void {
    this.transport.close();
  }
}
