import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { KeyProviderUnavailable, type MixedKeyringProvider } from '@messenger-vault/vault';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/config';
import { loadKeyring } from './keyring-source';
import { checkMasterKeys, recordKeyCheck } from './master-key-check';
import type { Queryable } from './secret-change';

/** An HSM or KMS key of the keyring can't be used at start; the message names each key and the store's error. */
export class KeyStoreCheckFailed extends Error {
  constructor(readonly problems: string[]) {
    super(
      `The vault can't use the HSM or KMS keys of its keyring:\n${problems.map((p) => `  - ${p}`).join('\n')}\n` +
        'Fix the store or its VAULT_PKCS11_* / cloud settings, then start again; `npm run cli -- vault:status` lists every key.',
    );
    this.name = 'KeyStoreCheckFailed';
  }
}

/** How long one readiness answer about the key stores is reused: /readyz must not hammer an HSM. */
const PROBE_REUSE_MS = 1_000;

/**
 * The master keys of this process. Loaded and checked against the database in onModuleInit, so
 * a missing or wrong keyring, or an HSM or KMS that refuses, stops the app before it listens
 * (and a test can watch it refuse).
 */
@Injectable()
export class VaultKeyring implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Vault');
  #provider: MixedKeyringProvider | undefined;
  readonly #recorded = new Set<string>();
  #probe: { at: number; problems: Promise<string[]> } | undefined;
  #down = false;

  constructor(
    private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    const { provider, source } = loadKeyring(this.config, (message) => this.logger.log(message));
    try {
      await checkMasterKeys(this.db, provider, (message) => this.logger.warn(message));
      const problems = await remoteProblems(provider);
      if (problems.length) throw new KeyStoreCheckFailed(problems);
    } catch (err) {
      await provider.close().catch(() => undefined);
      if (err instanceof KeyProviderUnavailable) throw new KeyStoreCheckFailed([err.message]);
      throw err;
    }
    this.#provider = provider;
    this.#recorded.add(provider.activeKeyId());
    const remote = provider.remoteKeys().map((k) => `"${k.keyId}" (${k.description})`);
    // Log fields named like "key" are redacted, so the ids go in the message.
    this.logger.log(
      `vault keyring from ${source}: active master key "${provider.activeKeyId()}", ${provider.keyIds().length} key(s) in all` +
        (remote.length ? `; in an HSM or KMS: ${remote.join(', ')}` : ''),
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.#provider?.close();
  }

  get provider(): MixedKeyringProvider {
    if (!this.#provider) throw new Error('The vault keyring is used before the app finished starting.');
    return this.#provider;
  }

  /** A provider may wrap under an id it did not name at start (a KMS key version); record it once. */
  async ensureRecorded(q: Queryable, keyId: string): Promise<void> {
    if (this.#recorded.has(keyId)) return;
    await recordKeyCheck(q, this.provider, keyId);
    this.#recorded.add(keyId);
  }

  /**
   * For /readyz: every HSM and KMS key answers now (empty), or what fails. Keys held in memory
   * always answer. Logs once when a store goes away and once when it is back.
   */
  async keyStoreProblems(): Promise<string[]> {
    const provider = this.#provider;
    if (!provider || provider.remoteKeys().length === 0) return [];
    const now = Date.now();
    if (!this.#probe || now - this.#probe.at > PROBE_REUSE_MS) {
      this.#probe = { at: now, problems: remoteProblems(provider) };
    }
    const problems = await this.#probe.problems;
    if (problems.length && !this.#down) this.logger.error(`vault key store unavailable: ${problems.join('; ')}`);
    if (!problems.length && this.#down) this.logger.log('vault key stores answer again');
    this.#down = problems.length > 0;
    return problems;
  }
}

async function remoteProblems(provider: MixedKeyringProvider): Promise<string[]> {
  const results = await Promise.allSettled(provider.remoteKeys().map((k) => k.checkValue()));
  return results.flatMap((r) => {
    if (r.status === 'fulfilled') return [];
    if (r.reason instanceof KeyProviderUnavailable) return [r.reason.message];
    throw r.reason;
  });
}
