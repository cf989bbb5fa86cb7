export interface Tenant {
  id: string;
  name: string;
  createdAt: string;
  archivedAt: string | null;
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
