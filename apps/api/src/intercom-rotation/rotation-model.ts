import type { Platform } from '@messenger-vault/intercom';
import type { IntercomSecretsError } from './intercom-secrets-api';

/**
 * `creating` → `overlapping` → `deleting_old` → `done`, or `failed` with a reason. While
 * `creating`, each replaced version gets its new Intercom secret, sealed and stored as an active
 * version in the step that received it; `overlapping`: the new versions sign, the old ones still
 * verify in Intercom; `deleting_old`: the old Intercom secrets are deleted and the old versions
 * retired (decision 0038).
 */
export const ROTATION_STATES = ['creating', 'overlapping', 'deleting_old', 'done', 'failed'] as const;
export type RotationState = (typeof ROTATION_STATES)[number];
export const LIVE_STATES: readonly RotationState[] = ['creating', 'overlapping', 'deleting_old'];

/** One version the run replaces (a tenant with a secret per platform has several). */
export interface RotationItem {
  oldVersion: number;
  /** What the old version signs for: the new secret serves exactly these. */
  platforms: Platform[];
  oldIntercomSecretId: string | null;
  /** The Intercom name of the new secret: unique per run and item, so a resumed run finds an orphan by it. */
  name: string;
  newVersion: number | null;
  newIntercomSecretId: string | null;
  oldDeleted: boolean;
  /** No Intercom secret was linked to the old version: a person removes it in Intercom. */
  removeByHand: boolean;
}

/** Overlap: tokens signed just before the switch live this long at most, plus a margin for clocks. */
export const OVERLAP_MARGIN_SECONDS = 300;

/** Attempts of one step that Intercom answers 5xx or not at all, before the run fails. */
export const MAX_STEP_ATTEMPTS = 8;
const MAX_BACKOFF_MS = 5 * 60_000;

export function retryDelayMs(attempt: number, baseMs: number): number {
  return Math.min(MAX_BACKOFF_MS, baseMs * 2 ** Math.max(0, attempt - 1));
}

export function secretName(tenantId: string, rotationId: string, item: { platforms: readonly Platform[] }): string {
  return `messenger-vault ${tenantId} rotation ${rotationId} ${item.platforms.join('+')}`;
}

/** A reason an admin can act on, for a call Intercom refused. Never the token. */
export function refusalReason(err: IntercomSecretsError, action: string): string {
  if (err.kind === 'unauthorized') {
    return (
      `Intercom refused the stored access token (401) while ${action}: it was revoked or the Intercom app was ` +
      'uninstalled. Connect Intercom again with a new access token, then start the rotation again.'
    );
  }
  if (err.kind === 'forbidden') {
    return (
      `Intercom refused ${action} (403): the access token lacks the write_secure_mode_secret scope. Give the ` +
      'Intercom app the permission to write identity verification secrets, connect again, then start the rotation again.'
    );
  }
  return `Intercom refused ${action} (${err.status ?? 'no answer'}: ${err.message}). Start the rotation again; if it keeps failing, contact SalesMind support.`;
}
