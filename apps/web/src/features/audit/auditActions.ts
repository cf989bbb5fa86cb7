import type { AuditAction, AuditEvent } from '../../api/audit';

/** Each audit action in words; `Record` makes a new action fail to compile until it has a label. */
export const AUDIT_ACTION_LABELS: Readonly<Record<AuditAction, string>> = {
  'auth.login.succeeded': 'Signed in',
  'auth.login.failed': 'Failed sign-in',
  'auth.logout': 'Signed out',
  'auth.logout_all': 'Signed out everywhere',
  'auth.mfa.setup_started': 'Two-factor enrolment started',
  'auth.mfa.enabled': 'Two-factor sign-in turned on',
  'auth.mfa.disabled': 'Two-factor sign-in turned off',
  'auth.mfa.verified': 'Two-factor code accepted',
  'auth.mfa.failed': 'Wrong two-factor code',
  'auth.mfa.reset': 'Two-factor sign-in reset by staff',
  'auth.oidc.logged_out': 'Signed out by the identity provider',
  'auth.session.ended': 'Signed out a session',
  'auth.session.others_ended': 'Signed out other sessions',
  'auth.password.changed': 'Password changed',
  'auth.mfa.recovery_codes_replaced': 'New recovery codes',
  'tenant.created': 'Tenant created',
  'tenant.updated': 'Tenant changed',
  'member.invited': 'Admin invited',
  'member.joined': 'Admin joined',
  'member.removed': 'Admin removed',
  'tenant.mfa_policy.changed': 'Two-factor requirement changed',
  'intercom.app_id.set': 'APP_ID saved',
  'intercom.secret.saved': 'Secret key saved',
  'intercom.secret.retired': 'Secret key retired',
  'intercom.platform.changed': 'Messenger Security changed',
  'intercom.settings.changed': 'Token settings changed',
  'intercom.email_user_ids.allowed': 'Email user ids allowed',
  'intercom.email_user_ids.refused': 'Email user ids refused again',
  'intercom.connection.connected': 'Intercom connected',
  'intercom.connection.disconnected': 'Intercom disconnected',
  'intercom.connection.broken': 'Intercom connection broken',
  'intercom.secret.linked': 'Linked to Intercom secret',
  'intercom.secret.unlinked': 'Unlinked from Intercom secret',
  'intercom.rotation.started': 'Rotation started',
  'intercom.rotation.secret_created': 'Rotation: new secret stored',
  'intercom.rotation.orphan_deleted': 'Rotation: lost secret cleaned up',
  'intercom.rotation.overlapping': 'Rotation: new secret signing',
  'intercom.rotation.finish_requested': 'Rotation: finish requested',
  'intercom.rotation.deleting_old': 'Rotation: deleting old secret',
  'intercom.rotation.old_secret_deleted': 'Rotation: old secret deleted',
  'intercom.rotation.retry_scheduled': 'Rotation: retry scheduled',
  'intercom.rotation.done': 'Rotation done',
  'intercom.rotation.failed': 'Rotation failed',
  'api_key.created': 'API key created',
  'api_key.revoked': 'API key revoked',
  'token.test_issued': 'Test token issued',
  'webhook.changed': 'Webhook changed',
  'identity_provider.changed': 'Identity provider changed',
  'staff.viewed_integration': 'Viewed by SalesMind staff',
};

/** The actions as options of a select, in the order above. */
export const AUDIT_ACTION_OPTIONS = Object.entries(AUDIT_ACTION_LABELS).map(([value, label]) => ({ value, label }));

export function actorLabel(event: AuditEvent): string {
  if (event.actorKind === 'api_key') return 'API key';
  if (event.actorKind === 'system') return 'Messenger Vault';
  const who = event.actorEmail ?? 'A deleted user';
  return event.actorKind === 'staff' ? `${who} (staff)` : who;
}

/** The event's metadata as short "key: value" pieces; it holds only safe facts, never a secret. */
export function metadataSummary(metadata: Record<string, unknown>): string {
  return Object.entries(metadata)
    .filter(([, value]) => value !== null && value !== undefined && value !== '')
    .map(([key, value]) => `${key}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`)
    .join(', ');
}
