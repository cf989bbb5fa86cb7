import type { Platform } from '@messenger-vault/intercom';
import { KeyProviderUnavailable, UnknownKeyId, type VaultError } from '@messenger-vault/vault';
import { DomainError, ErrorCode } from '../common/errors';
import { describePlatforms } from './secret-states';

/**
 * What a tenant (or its backend) is told when its stored secret won't open. A row altered, or
 * copied from another tenant, fails authentication: it is never used to sign.
 */
export function unopenableSecret(version: number, err: VaultError): DomainError {
  if (err instanceof UnknownKeyId) {
    return new DomainError(
      ErrorCode.VaultKeyUnavailable,
      `This server can't open version ${version} of the stored Intercom secret key: its keyring lacks master key "${err.keyId}". ` +
        'Contact SalesMind staff: every API replica needs a keyring holding that key (see `vault:status`).',
    );
  }
  return new DomainError(
    ErrorCode.SecretUndecryptable,
    `The stored Intercom secret key (version ${version}) can't be decrypted for this tenant: it was altered or ` +
      'does not belong to this tenant, so it is never used to sign. Save the Messenger API secret key again ' +
      '(step 2), or contact SalesMind staff if this happens again.',
  );
}

export function noSigningKey(platform: Platform): DomainError {
  const name = describePlatforms([platform]);
  return new DomainError(
    ErrorCode.NoSigningKey,
    `No Messenger API secret key signs for ${name} in this tenant yet. Save the key from Intercom's Messenger ` +
      `Security settings in step 2, with ${name} among its platforms.`,
  );
}

export const KEY_STORE_RETRY_AFTER_SECONDS = 5;

/**
 * The 503 for an HSM or KMS that does not answer, or null for anything else. The store's own
 * error stays in the log: callers learn which master key, and to try again.
 */
export function asKeyStoreUnavailable(err: unknown): DomainError | null {
  if (!(err instanceof KeyProviderUnavailable)) return null;
  return new DomainError(
    ErrorCode.VaultKeyUnavailable,
    `The HSM or KMS holding master key "${err.keyId}" does not answer right now, so secrets under it can't be opened ` +
      `or sealed. Try again in ${KEY_STORE_RETRY_AFTER_SECONDS} seconds; staff: see /readyz and \`npm run cli -- vault:status\`.`,
    { retryAfterSeconds: KEY_STORE_RETRY_AFTER_SECONDS },
  );
}
