import type { CliCommand } from '../cli/command';
import { CliError, parseFlags } from '../cli/command';
import { VERIFY_BATCH_SIZE, verifyAuditChain } from './audit-chain';

/** `npm run cli -- audit:verify`: exits 1 naming the first broken event, so cron or CI can alert on it. */
export const auditVerifyCommand: CliCommand = {
  name: 'audit:verify',
  summary:
    'Verify the audit trail hash chain (all of it, or with --from-checkpoint only what follows the last ' +
    'checkpoint); exits 1 at the first event that was changed or removed.',
  usage: '[--batch-size <n>] [--from-checkpoint]',
  async run(args, ctx) {
    const flags = parseFlags(args, { 'batch-size': 'string', 'from-checkpoint': 'boolean' });
    const batchSize = flags['batch-size'] === undefined ? VERIFY_BATCH_SIZE : Number(flags['batch-size']);
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 100_000) {
      throw new CliError('--batch-size must be a whole number from 1 to 100000.');
    }
    const db = await ctx.db();
    let lastPercent = -1;
    const result = await verifyAuditChain(db, {
      batchSize,
      fromCheckpoint: flags['from-checkpoint'] === true,
      onProgress: (checked, total) => {
        const percent = total ? Math.floor((checked / total) * 100) : 100;
        // One line per batch would flood a terminal on a large trail; one per percent does not.
        if (percent === lastPercent) return;
        lastPercent = percent;
        ctx.out(`checked ${checked} of ${total} events (${percent}%)`);
      },
    });
    if (!result.valid) {
      throw new CliError(
        `The audit trail is broken at event ${result.firstBrokenId} (seq ${result.firstBrokenSeq}): ${result.problem}. ` +
          `${result.checked} event(s) checked. Restore the audit_events table from a backup and investigate who had database access.`,
      );
    }
    const since = result.resumedFromSeq
      ? ` after the checkpoint at event ${result.resumedFromSeq} (run without --from-checkpoint to re-check those too)`
      : '';
    ctx.out(`The audit trail is intact: ${result.checked} event(s) checked${since}.`);
  },
};
