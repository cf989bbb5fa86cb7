export type MemberRole = 'admin';

export interface Membership {
  tenantId: string;
  tenantName: string;
  role: MemberRole;
}

/** The signed-in user, as `GET /api/auth/me` and `POST /api/auth/login` return it. */
export interface CurrentUser {
  id: string;
  email: string;
  isStaff: boolean;
  memberships: Membership[];
  /** TOTP two-factor sign-in is on (`GET /api/auth/me` only). */
  mfaEnabled?: boolean;
  /** Staff under REQUIRE_STAFF_MFA who must enrol before anything else (`GET /api/auth/me` only). */
  mfaEnrolmentRequired?: boolean;
}

/** `POST /api/auth/login` with a correct password when TOTP is on: no session yet. */
export interface MfaRequired {
  mfaRequired: true;
}

export interface LoginRequest {
  email: string;
  password: string;
}

export interface AcceptInvitationRequest {
  token: string;
  /** Only for a new account; an existing account accepts signed in, without one. */
  password?: string;
}

/**
 * Why a staff single sign-on was refused: the API redirects to `/login?sso=<reason>` and the
 * login page says each in words.
 */
export const SSO_REFUSALS = [
  'not_started',
  'state_mismatch',
  'provider_error',
  'code_rejected',
  'nonce_mismatch',
  'id_token_invalid',
  'email_not_verified',
  'domain_not_allowed',
  'subject_mismatch',
  'provider_unavailable',
] as const;
export type SsoRefusal = (typeof SSO_REFUSALS)[number];
