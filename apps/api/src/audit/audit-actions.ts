/**
 * Every action the audit trail knows, named `<resource>.<what happened>` in the past tense.
 * Adding a feature that changes something an admin would ask "who did that?" about: add its
 * action here, then call `AuditService.record` in the same transaction as the change.
 */
export const AUDIT_ACTIONS = [
  'auth.login.succeeded',
  'auth.login.failed',
  'auth.logout',
  'auth.logout_all',
  'auth.mfa.setup_started',
  'auth.mfa.enabled',
  'auth.mfa.disabled',
  'auth.mfa.verified',
  'auth.mfa.failed',
  'auth.mfa.reset',
  'auth.oidc.logged_out',
  'auth.session.ended',
  'auth.session.others_ended',
  'auth.password.changed',
  'auth.mfa.recovery_codes_replaced',
  'tenant.created',
  'tenant.updated',
  'member.invited',
  'member.joined',
  'member.removed',
  'tenant.mfa_policy.changed',
  'intercom.app_id.set',
  'intercom.secret.saved',
  'intercom.secret.retired',
  'intercom.platform.changed',
  'intercom.settings.changed',
  'intercom.email_user_ids.allowed',
  'intercom.email_user_ids.refused',
  'intercom.connection.connected',
  'intercom.connection.disconnected',
  'intercom.connection.broken',
  'intercom.secret.linked',
  'intercom.secret.unlinked',
  'intercom.rotation.started',
  'intercom.rotation.secret_created',
  'intercom.rotation.orphan_deleted',
  'intercom.rotation.overlapping',
  'intercom.rotation.finish_requested',
  'intercom.rotation.deleting_old',
  'intercom.rotation.old_secret_deleted',
  'intercom.rotation.retry_scheduled',
  'intercom.rotation.done',
  'intercom.rotation.failed',
  'api_key.created',
  'api_key.revoked',
  'token.test_issued',
  'webhook.changed',
  'identity_provider.changed',
  'staff.viewed_integration',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** Who acted: a tenant admin, SalesMind staff, a tenant's API key, or the system itself (jobs, CLI). */
export const AUDIT_ACTOR_KINDS = ['user', 'staff', 'api_key', 'system'] as const;
export type AuditActorKind = (typeof AUDIT_ACTOR_KINDS)[number];

/** What was acted on. Free text in the table; this list keeps the names consistent across features. */
export type AuditTargetType =
  | 'user'
  | 'tenant'
  | 'invitation'
  | 'membership'
  | 'intercom_app'
  | 'secret_version'
  | 'platform'
  | 'settings'
  | 'api_key'
  | 'webhook'
  | 'identity_provider'
  | 'intercom_connection'
  | 'intercom_rotation';
