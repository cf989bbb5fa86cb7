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
