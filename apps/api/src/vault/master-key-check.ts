import { computeKeyCheck, KeyCheckMismatch, type KeyEncryptionProvider, verifyKeyCheck } from '@messenger-vault/vault';
import { SEALED_COLUMN_SETS } from './sealed-column-registry';
import type { SealedColumnSet } from './sealed-column-set';
import type { Queryable } from './secret-change';

/** The configured keyring can't open the stored data; the message names key ids, never keys. */
export class MasterKeyCheckFailed extends Error {
  constructor(readonly problems: string[]) {
    super(
      `The vault keyring does not match the stored secrets:\n${problems.map((p) => `  - ${p}`).join('\n')}\n` +
        'Run `npm run cli -- vault:status` to see which master key wraps what.',
    );
    this.name = 'MasterKeyCheckFailed';
  }
}

/**
 * Stores the key check value of a master key id the first time it is used. When the id already
 * has one, the stored value stays and is compared: a different key under a known id fails here.
 */
export async function recordKeyCheck(q: Queryable, provider: KeyEncryptionProvider, keyId: string): Promise<void> {
  await q.query(
    `INSERT INTO vault_master_keys (master_key_id, key_check) VALUES ($1, $2) ON CONFLICT (master_key_id) DO NOTHING`,
    [keyId, await computeKeyCheck(provider, keyId)],
  );
  const rows: Array<{ key_check: string }> = await q.query(
    `SELECT key_check FROM vault_master_keys WHERE master_key_id = $1`,
    [keyId],
  );
  await verifyKeyCheck(provider, keyId, rows[0]!.key_check);
}

export interface MasterKeyUsage {
  masterKeyId: string;
  /** Sealed rows under this key, over every registered set. */
  versions: number;
  /** The same, per table. */
  byTable: Record<string, number>;
}

/** Which master keys wrap stored data, walking the vault's sealed column registry. */
export async function masterKeyUsage(
  q: Queryable,
  sets: readonly SealedColumnSet[] = SEALED_COLUMN_SETS,
): Promise<MasterKeyUsage[]> {
  const rows: Array<{ master_key_id: string; tbl: string; n: number }> = await q.query(
    `SELECT master_key_id, tbl, count(*)::int AS n
       FROM (${sets.map((s) => `SELECT master_key_id, '${s.table}' AS tbl FROM ${s.table}`).join(' UNION ALL ')}) sealed
      GROUP BY master_key_id, tbl ORDER BY master_key_id, tbl`,
  );
  const usage = new Map<string, MasterKeyUsage>();
  for (const r of rows) {
    const u = usage.get(r.master_key_id) ?? { masterKeyId: r.master_key_id, versions: 0, byTable: {} };
    u.versions += r.n;
    u.byTable[r.tbl] = r.n;
    usage.set(r.master_key_id, u);
  }
  return [...usage.values()];
}

/** "7 secret version(s) and 1 webhook signing secret(s)": what a key wraps, in the sets' words. */
export function describeUsage(u: MasterKeyUsage, sets: readonly SealedColumnSet[] = SEALED_COLUMN_SETS): string {
  return sets
    .filter((set) => u.byTable[set.table])
    .map((set) => `${u.byTable[set.table]} ${set.noun}(s)`)
    .join(' and ');
}

/**
 * Run before serving: every master key id that wraps stored data must be configured, and be the
 * same key that wrapped it (its check value matches). The active key's check value is recorded
 * here on first use. Catches a wrong keyring at start, not one secret at a time later.
 */
export async function checkMasterKeys(
  q: Queryable,
  provider: KeyEncryptionProvider,
  warn: (message: string) => void,
): Promise<void> {
  const problems: string[] = [];
  const active = provider.activeKeyId();
  try {
    await recordKeyCheck(q, provider, active);
  } catch (err) {
    if (!(err instanceof KeyCheckMismatch)) throw err;
    problems.push(mismatch(active, 'the active key'));
  }
  const usage = await masterKeyUsage(q);
  const inUse = new Set(usage.map((u) => u.masterKeyId));
  for (const u of usage) {
    if (!provider.hasKey(u.masterKeyId)) {
      problems.push(
        `master key "${u.masterKeyId}" wraps ${describeUsage(u)} but is not in the configured keyring; ` +
          'put it back in the keyring, behind the active key (remove it only after `vault:rewrap` moved everything off it)',
      );
    }
  }
  const stored: Array<{ master_key_id: string; key_check: string }> = await q.query(
    `SELECT master_key_id, key_check FROM vault_master_keys WHERE master_key_id = ANY($1::text[])`,
    [provider.keyIds().filter((id) => id !== active)],
  );
  for (const { master_key_id: id, key_check: check } of stored) {
    try {
      await verifyKeyCheck(provider, id, check);
    } catch (err) {
      if (!(err instanceof KeyCheckMismatch)) throw err;
      if (inUse.has(id)) problems.push(mismatch(id, 'it wraps stored secrets'));
      else
        warn(`master key "${id}" in the keyring differs from the key once used under that id; it wraps nothing now.`);
    }
  }
  if (problems.length) throw new MasterKeyCheckFailed(problems);
}

function mismatch(keyId: string, why: string): string {
  return (
    `master key "${keyId}" (${why}) is not the key that was first used under that id (its key check value differs); ` +
    'configure the original key under this id, or give a new key a new id'
  );
}
