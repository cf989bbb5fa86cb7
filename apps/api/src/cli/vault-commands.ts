import { SingleBar } from 'cli-progress';
import {
  generateKeyring,
  InvalidInput,
  KeyCheckMismatch,
  type KeyEncryptionProvider,
  KeyProviderUnavailable,
  type MixedKeyringProvider,
  parseKeyringSpec,
  verifyKeyCheck,
} from '@messenger-vault/vault';
import { loadKeyring, KeyringUnavailable, pkcs11TokenFromConfig } from '../vault/keyring-source';
import { checkMasterKeys, describeUsage, masterKeyUsage, MasterKeyCheckFailed } from '../vault/master-key-check';
import { DEFAULT_REWRAP_BATCH_SIZE, rewrapAll, type RewrapProgress, type RewrapResult } from '../vault/rewrap';
import { SEALED_COLUMN_SETS } from '../vault/sealed-column-registry';
import { findUnopenable } from '../vault/unopenable';
import { CliCommand, CliContext, CliError, parseFlags } from './command';

function keyring(ctx: CliContext): MixedKeyringProvider {
  try {
    // Operations work on the keyring the API uses; they never create one.
    return loadKeyring(ctx.config, (message) => process.stderr.write(`${message}\n`), { createDevKeyring: false })
      .provider;
  } catch (err) {
    if (err instanceof KeyringUnavailable) throw new CliError(err.message);
    throw err;
  }
}

const MAX_LISTED = 50;

const status: CliCommand = {
  name: 'vault:status',
  summary:
    'Count sealed secrets (secret versions, webhook signing secrets) per master key; flag keys missing from the keyring or different from the stored one, and list sealed secrets that do not open.',
  async run(_args, ctx) {
    const provider = keyring(ctx);
    try {
      await statusOf(provider, ctx);
    } finally {
      await provider.close();
    }
  },
};

async function statusOf(provider: MixedKeyringProvider, ctx: CliContext): Promise<void> {
  {
    const db = await ctx.db();
    const usages = await masterKeyUsage(db);
    const usage = new Map(usages.map((u) => [u.masterKeyId, u.versions]));
    const what = new Map(usages.map((u) => [u.masterKeyId, describeUsage(u)]));
    const stored = new Map<string, string>(
      (
        (await db.query(`SELECT master_key_id, key_check FROM vault_master_keys`)) as Array<{
          master_key_id: string;
          key_check: string;
        }>
      ).map((r) => [r.master_key_id, r.key_check]),
    );
    const ids = [...new Set([...provider.keyIds(), ...usage.keys()])];
    const width = Math.max('master key'.length, ...ids.map((id) => id.length)) + 2;
    ctx.out(`${'master key'.padEnd(width)}${'versions'.padStart(8)}  notes`);
    const problems: string[] = [];
    for (const id of ids) {
      const notes: string[] = [];
      if (id === provider.activeKeyId()) notes.push('active');
      const remote = provider.remoteKey(id);
      if (remote) notes.push(`in ${remote.description}`);
      const unavailable = remote ? await remote.checkValue().then(() => null, reasonIfUnavailable) : null;
      if (unavailable) {
        notes.push(`UNAVAILABLE: ${unavailable}`);
        problems.push(`master key "${id}" is unavailable: ${unavailable}`);
      } else if (!provider.hasKey(id)) {
        notes.push('MISSING from the keyring');
        problems.push(`master key "${id}" wraps ${what.get(id)} but is not in the keyring`);
      } else if (stored.has(id) && !(await sameKey(provider, id, stored.get(id)!))) {
        notes.push('DIFFERENT key than the one first used under this id');
        if (usage.has(id)) problems.push(`master key "${id}" is not the key that wrapped its ${what.get(id)}`);
      } else if (!usage.has(id) && id !== provider.activeKeyId()) {
        notes.push('wraps nothing: can leave the keyring');
      }
      if (what.get(id)) notes.push(what.get(id)!);
      ctx.out(`${id.padEnd(width)}${String(usage.get(id) ?? 0).padStart(8)}  ${notes.join('; ')}`);
    }
    const behind = [...usage].filter(([id]) => id !== provider.activeKeyId()).reduce((n, [, v]) => n + v, 0);
    if (behind > 0)
      ctx.out(`${behind} sealed secret(s) are not under the active key: run \`npm run cli -- vault:rewrap\`.`);
    const unavailable = problems.some((p) => / is unavailable: /.test(p));
    if (unavailable) ctx.out('Not checked whether every stored secret opens: a master key is unavailable.');
    const unopenable = unavailable ? [] : await findUnopenable(db, provider);
    if (unopenable.length) {
      ctx.out(`${unopenable.length} stored secret(s) do not open:`);
      for (const row of unopenable.slice(0, MAX_LISTED))
        ctx.out(`  ${row.table} id ${row.id} (${row.what}), column ${row.column}: ${row.reason}`);
      if (unopenable.length > MAX_LISTED) ctx.out(`  … and ${unopenable.length - MAX_LISTED} more`);
      problems.push(
        `${unopenable.length} stored secret(s) do not open (listed above); save those secrets again in the admin app`,
      );
    }
    if (problems.length) {
      throw new CliError(`The keyring can't open every stored secret:\n  - ${problems.join('\n  - ')}`);
    }
  }
}

function reasonIfUnavailable(err: unknown): string {
  if (err instanceof KeyProviderUnavailable) return err.problem;
  throw err;
}

async function sameKey(provider: KeyEncryptionProvider, id: string, check: string): Promise<boolean> {
  try {
    await verifyKeyCheck(provider, id, check);
    return true;
  } catch (err) {
    if (err instanceof KeyCheckMismatch) return false;
    throw err;
  }
}

const rewrap: CliCommand = {
  name: 'vault:rewrap',
  summary: 'Re-wrap every data key under the active master key: online, in batches, safe to stop and run again.',
  usage: '[--batch-size <n>]  (default 500)',
  async run(args, ctx) {
    const flags = parseFlags(args, { 'batch-size': 'string' });
    const batchSize = Number(flags['batch-size'] ?? DEFAULT_REWRAP_BATCH_SIZE);
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000)
      throw new CliError('--batch-size must be a whole number from 1 to 10000.');
    const provider = keyring(ctx);
    try {
      await rewrapWith(provider, batchSize, ctx);
    } catch (err) {
      if (err instanceof KeyProviderUnavailable)
        throw new CliError(`${err.message}. Nothing was lost: run vault:rewrap again once it answers.`);
      throw err;
    } finally {
      await provider.close();
    }
  },
};

async function rewrapWith(provider: MixedKeyringProvider, batchSize: number, ctx: CliContext): Promise<void> {
  {
    const db = await ctx.db();
    try {
      await checkMasterKeys(db, provider, (message) => process.stderr.write(`${message}\n`));
    } catch (err) {
      if (err instanceof MasterKeyCheckFailed) throw new CliError(err.message);
      throw err;
    }
    const stop = new AbortController();
    const onSignal = () => stop.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    const progress = progressReporter(ctx);
    const started = Date.now();
    let result: RewrapResult;
    try {
      result = await rewrapAll(db, provider, { batchSize, signal: stop.signal, onBatch: progress.update });
    } finally {
      progress.stop();
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
    ctx.out(describe(result, provider.activeKeyId(), (Date.now() - started) / 1000));
    if (result.unopenable.length > 0) {
      const counts = SEALED_COLUMN_SETS.map((set) => ({
        n: result.unopenable.filter((u) => u.table === set.table).length,
        noun: set.table === 'secret_versions' ? 'version' : set.noun,
      }));
      const count = counts
        .filter((c) => c.n > 0)
        .map((c) => `${c.n} ${c.noun}(s)`)
        .join(' and ');
      const which = result.unopenable.map((u) => u.description).join(', ');
      throw new CliError(
        `${count} do not decrypt under their master key and were left as they are ` +
          `(${which}): the rows were altered. Those tenants must save their secret key (or webhook, or connect Intercom) again; keep the old key until then.`,
      );
    }
    if (result.stopped) {
      throw new CliError(`Stopped with ${result.remaining} version(s) left; run vault:rewrap again to finish.`);
    }
  }
}

function describe(result: RewrapResult, active: string, seconds: number): string {
  const [first, ...others] = SEALED_COLUMN_SETS.map((set) => `${result.byTable[set.table] ?? 0} ${set.noun}(s)`);
  const head = `Re-wrapped ${first} under master key "${active}" (and ${others.join(', ')}) in ${seconds.toFixed(1)} s.`;
  if (result.remaining > 0) return head;
  return `${head} No data is under an older key: once every API replica runs with this keyring, older keys can leave it.`;
}

/** A progress bar on a terminal; one plain line per batch otherwise (logs, CI). */
function progressReporter(ctx: CliContext): { update(p: RewrapProgress): void; stop(): void } {
  if (!process.stdout.isTTY) {
    return {
      update: (p) =>
        ctx.out(`rewrap: ${p.done}/${p.total} (${Math.floor((p.done / p.total) * 100)}%), batch ${p.batches}`),
      stop: () => undefined,
    };
  }
  const bar = new SingleBar({
    format: 'rewrap [{bar}] {percentage}% | {value}/{total} versions | batch {batches}',
    stream: process.stdout,
  });
  let started = false;
  return {
    update: (p) => {
      if (!started) bar.start(p.total, 0, { batches: 0 });
      started = true;
      bar.setTotal(p.total);
      bar.update(p.done, { batches: p.batches });
    },
    stop: () => started && bar.stop(),
  };
}

const generateKey: CliCommand = {
  name: 'vault:generate-key',
  summary:
    'Print a new master key entry for VAULT_KEYRING (needs no database); with --pkcs11, generate the key inside the HSM instead.',
  usage: '[--id <key id>] [--pkcs11 <key label>]',
  async run(args, ctx) {
    const flags = parseFlags(args, { id: 'string', pkcs11: 'string' });
    if (flags.pkcs11 !== undefined)
      return generateInHsm(String(flags.pkcs11), flags.id ? String(flags.id) : undefined, ctx);
    const entry = flags.id ? generateKeyring({ id: String(flags.id) }) : generateKeyring({ now: new Date() });
    ctx.out(entry);
    process.stderr.write(
      'Put this entry first in VAULT_KEYRING (or the keyring file), keep the current entries after it, ' +
        'restart every API replica, then run `npm run cli -- vault:rewrap`.\n',
    );
  },
};

/**
 * A sensitive, non-extractable AES-256 key generated inside the configured PKCS#11 token; prints
 * the keyring entry naming it. The key bytes never exist outside the HSM.
 */
async function generateInHsm(label: string, id: string | undefined, ctx: CliContext): Promise<void> {
  const keyId = id ?? `hsm-${label}`.replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, 64);
  const entry = `${keyId}:pkcs11:${label}`;
  try {
    parseKeyringSpec(entry);
  } catch (err) {
    throw new CliError(`--id or --pkcs11: ${(err as Error).message}`);
  }
  let token;
  try {
    token = pkcs11TokenFromConfig(ctx.config);
  } catch (err) {
    if (err instanceof KeyringUnavailable) throw new CliError(err.message);
    throw err;
  }
  try {
    token.generateKey(label);
  } catch (err) {
    if (err instanceof InvalidInput || err instanceof KeyProviderUnavailable) throw new CliError(err.message);
    throw err;
  } finally {
    token.close();
  }
  ctx.out(entry);
  process.stderr.write(
    `Generated a non-extractable AES-256 key labelled "${label}" on ${token.description}. Put this entry first in ` +
      'VAULT_KEYRING (or the keyring file), keep the current entries after it, restart every API replica, then run ' +
      '`npm run cli -- vault:rewrap`.\n',
  );
}

export const VAULT_COMMANDS: CliCommand[] = [status, rewrap, generateKey];
