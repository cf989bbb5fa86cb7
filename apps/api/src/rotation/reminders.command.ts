import type { KeyEncryptionProvider } from '@messenger-vault/vault';
import type { CliCommand } from '../cli/command';
import { CliError, parseFlags } from '../cli/command';
import { KeyringUnavailable, loadKeyring } from '../vault/keyring-source';
import { createReminderRunner } from './reminder-runner';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A strict ISO 8601 time with a date; `Date.parse` alone accepts "1" and "March 3". */
function parseAt(value: string): Date {
  const at = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value) || Number.isNaN(at.getTime())) {
    throw new CliError(`--at must be an ISO 8601 time, like 2025-03-01T09:00:00Z (got "${value.slice(0, 60)}").`);
  }
  return at;
}

/**
 * `npm run cli -- reminders:run`: the same run as the API's scheduled job. Safe to repeat and to
 * run beside the API: a reminder already recorded is never recorded again.
 */
export const remindersRunCommand: CliCommand = {
  name: 'reminders:run',
  summary: 'Record the rotation reminders owed now (or at --at) and deliver what is due; safe to run again.',
  usage: '[--at <ISO 8601 time>] [--tenant <tenant id>]',
  async run(args, ctx) {
    const flags = parseFlags(args, { at: 'string', tenant: 'string' });
    const at = flags.at === undefined ? new Date() : parseAt(String(flags.at));
    const tenantId = flags.tenant === undefined ? undefined : String(flags.tenant);
    if (tenantId !== undefined && !UUID.test(tenantId)) throw new CliError('--tenant must be a tenant id (a UUID).');
    let provider: KeyEncryptionProvider | null = null;
    try {
      provider = loadKeyring(ctx.config, (m) => process.stderr.write(`${m}\n`), { createDevKeyring: false }).provider;
    } catch (err) {
      if (!(err instanceof KeyringUnavailable)) throw err;
      process.stderr.write(`Webhooks are left to the API's delivery worker: ${err.message}\n`);
    }
    const db = await ctx.db();
    const runner = createReminderRunner(db, ctx.config, provider && (() => provider), (level, message) =>
      ctx.logger[level](message),
    );
    try {
      const { recorded, delivery } = await runner.run({ at, tenantId });
      ctx.out(`Reminders owed at ${at.toISOString()}: ${recorded.length} new.`);
      for (const r of recorded) {
        const occurrence = r.stage === 'overdue' ? ` #${r.occurrence + 1}` : '';
        ctx.out(`  tenant ${r.tenantId} version ${r.secretVersion}: ${r.stage}${occurrence}`);
      }
      ctx.out(
        `Deliveries: ${delivery.delivered} sent, ${delivery.retrying} to retry, ${delivery.failed} given up, ` +
          `${delivery.cancelled} dropped.`,
      );
    } finally {
      runner.close();
    }
  },
};
