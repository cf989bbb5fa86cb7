import type { ExistingProvider } from '@nestjs/common';
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

/** The app's one VaultKeyring (exported by VaultModule), seen through the interface rotation needs. */
export const reminderKeyringProvider: ExistingProvider<ReminderKeyring> = {
  provide: REMINDER_KEYRING,
  useExisting: VaultKeyring,
};
