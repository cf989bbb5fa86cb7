/**
 * Domain errors carry a code; `http-error.filter.ts` maps every code to an HTTP status in one
 * exhaustive switch, so adding a code fails to compile until someone decides its status.
 */
export enum ErrorCode {
  ValidationFailed = 'validation_failed',
  Unauthenticated = 'unauthenticated',
  InvalidCredentials = 'invalid_credentials',
  /** An invitation for an existing account: accepted only by that account, signed in. */
  SignInRequired = 'sign_in_required',
  InvitationWrongAccount = 'invitation_wrong_account',
  Forbidden = 'forbidden',
  CsrfRejected = 'csrf_rejected',
  NotFound = 'not_found',
  Conflict = 'conflict',
  InvitationUsed = 'invitation_used',
  InvitationExpired = 'invitation_expired',
  TooManyRequests = 'too_many_requests',
  PayloadTooLarge = 'payload_too_large',
  ServiceUnavailable = 'service_unavailable',
  NoSigningKey = 'no_signing_key',
  SecretStillSigning = 'secret_still_signing',
  /** 409, not 5xx: the tenant fixes it by saving the secret again. */
  SecretUndecryptable = 'secret_undecryptable',
  VaultKeyUnavailable = 'vault_key_unavailable',
  /** PostgreSQL is unreachable, shutting down or too slow: 503 with Retry-After, never 500. */
  DatabaseUnavailable = 'database_unavailable',
  /** Intercom answered 401/403 to an access token: revoked, mistyped or missing a scope (422). */
  IntercomTokenRejected = 'intercom_token_rejected',
  /** The token belongs to another Intercom workspace than the tenant's APP_ID (409). */
  IntercomWorkspaceMismatch = 'intercom_workspace_mismatch',
  /** Intercom did not answer, answered late, or answered 5xx/garbage (502). */
  IntercomUnavailable = 'intercom_unavailable',
  /** "Connect with Intercom" is off: INTERCOM_CLIENT_ID/INTERCOM_CLIENT_SECRET are unset (404). */
  IntercomOAuthNotConfigured = 'intercom_oauth_not_configured',
  /** An OAuth `state` that is unknown, used, expired or another session's (400). */
  IntercomOAuthStateInvalid = 'intercom_oauth_state_invalid',
  /** Intercom refused to trade the OAuth code for a token (422). */
  IntercomOAuthCodeRejected = 'intercom_oauth_code_rejected',
  /** Needs a connected Intercom workspace, and there is none (409). */
  IntercomNotConnected = 'intercom_not_connected',
  /** The Intercom secret id is not one of the workspace's secrets (422). */
  IntercomSecretUnknown = 'intercom_secret_unknown',
  /** The Intercom secret is already linked to another version of the tenant (409). */
  IntercomSecretAlreadyLinked = 'intercom_secret_already_linked',
  /** An automated rotation of the tenant's secret is already running (409). */
  RotationInProgress = 'rotation_in_progress',
  /** No active secret version to rotate (409). */
  NothingToRotate = 'nothing_to_rotate',
  /** "Finish now" on a run that is not in its overlap (409). */
  RotationNotOverlapping = 'rotation_not_overlapping',
  /** A wrong, expired or already used TOTP or recovery code (401). */
  MfaCodeInvalid = 'mfa_code_invalid',
  /** Staff under REQUIRE_STAFF_MFA reach only the enrolment routes until TOTP is enabled (403). */
  MfaEnrolmentRequired = 'mfa_enrolment_required',
  /** The tenant requires two-factor sign-in of its admins and this member has none yet (403). */
  TenantRequiresMfa = 'tenant_requires_mfa',
}

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: { fields?: Record<string, string[]>; retryAfterSeconds?: number } = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string) =>
  new DomainError(
    ErrorCode.NotFound,
    `${what} was not found. Check the link or ask an admin of the tenant for access.`,
  );

export function validationError(fields: Record<string, string[]>): DomainError {
  const lines = Object.values(fields).flat();
  return new DomainError(ErrorCode.ValidationFailed, lines.join(' '), { fields });
}
