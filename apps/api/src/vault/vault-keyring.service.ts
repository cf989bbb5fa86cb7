import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import type { KeyEncryptionProvider } from '@messenger-vault/vault';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/config';
import { loadKeyring } from './keyring-source';
import { checkMasterKeys, recordKeyCheck } from './master-key-check';
import type { Queryable } from './secret-change';

/**
 * The master keys of this process. Loaded and checked against the database in onModuleInit, so
 * a missing or wrong keyring stops the app before it listens (and a test can watch it refuse).
 */
@Injectable()
export class VaultKeyring implements OnModuleInit {
  private readonly logger = new Logger('Vault');
  #provider: KeyEncryptionProvider | undefined;
  readonly #recorded = new Set<string>();

  constructor(
    private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    const { provider, source } = loadKeyring(this.config, (message) => this.logger.log(message));
    await checkMasterKeys(this.db, provider, (message) => this.logger.warn(message));
    this.#provider = provider;
    this.#recorded.add(provider.activeKeyId());
    // Log fields named like "key" are redacted, so the ids go in the message.
    this.logger.log(
      `vault keyring from ${source}: active master key "${provider.activeKeyId()}", ${provider.keyIds().length} key(s) in all`,
    );
  }

  get provider(): KeyEncryptionProvider {
    if (!this.#provider) throw new Error('The vault keyring is used before the app finished starting.');
    return this.#provider;
  }

  /** A provider may wrap under an id it did not name at start (a KMS key version); record it once. */
  async ensureRecorded(q: Queryable, keyId: string): Promise<void> {
    if (this.#recorded.has(keyId)) return;
    await recordKeyCheck(q, this.provider, keyId);
    this.#recorded.add(keyId);
  }
}
