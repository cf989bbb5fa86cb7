import type { FactoryProvider } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { KeyEncryptionProvider } from '@messenger-vault/vault';
import type { Queryable } from '../core/change-bus.service';
import { VaultKeyring } from '../vault/vault-keyring.service';

/** The vault's master keys, as the rotation feature uses them to seal and open webhook signing secrets. */
export interface ReminderKeyring {
  readonly provider: KeyEncryptionProvider;
  /** Records a master key id before a row references it (webhook_endpoints.master_key_id is a foreign key). */
  ensureRecorded(q: Queryable, keyId: string): Promise<void>;
}

export const REMINDER_KEYRING = Symbol('REMINDER_KEYRING');

/**
 * The app's one VaultKeyring, looked up when first used. VaultModule does not export it, and a
 * second instance would load and check the keyring again; the lookup keeps a single owner.
 */
export const reminderKeyringProvider: FactoryProvider<ReminderKeyring> = {
  provide: REMINDER_KEYRING,
  inject: [ModuleRef],
  useFactory: (ref: ModuleRef): ReminderKeyring => {
    const vault = () => ref.get(VaultKeyring, { strict: false });
    return {
      get provider() {
        return vault().provider;
      },
      ensureRecorded: (q, keyId) => vault().ensureRecorded(q, keyId),
    };
  },
};
