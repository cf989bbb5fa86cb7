export interface Tenant {
  id: string;
  name: string;
  createdAt: string;
  archivedAt: string | null;
  /** Admins must use two-factor sign-in to reach the tenant. */
  requireMfa: boolean;
}

export interface CreateTenantRequest {
  name: string;
}

export interface UpdateTenantRequest {
  name?: string;
  archived?: boolean;
}

export interface InviteMemberRequest {
  email: string;
  role: 'admin';
}

export interface Invitation {
  inviteToken: string;
  inviteUrl: string;
  expiresAt: string;
}

export interface TenantMember {
  userId: string;
  email: string;
  role: 'admin';
  /** Whether the account uses two-factor sign-in. */
  mfaEnabled: boolean;
  joinedAt: string;
}

export interface MfaPolicyRequest {
  requireMfa: boolean;
}
