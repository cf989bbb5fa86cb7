import type { CustomAttributeRule } from './limits';

export type Platform = 'web' | 'ios' | 'android';
export type IdentityMode = 'jwt' | 'hmac';
export type Region = 'us' | 'eu' | 'au';
export type SecretState = 'active' | 'previous' | 'retired';

export interface SigningSecret {
  version: number;
  fingerprint: string;
  last4: string;
  createdAt: string;
  rotationDueAt: string;
}

export interface SecretVersion {
  version: number;
  platforms: Platform[];
  signingPlatforms: Platform[];
  state: SecretState;
  fingerprint: string;
  last4: string;
  masterKeyId: string;
  createdAt: string;
  createdBy: string | null;
  rotationDueAt: string | null;
  retiredAt: string | null;
}

export interface PlatformStatus {
  securityEnabled: boolean;
  enabledAt: string | null;
  lastTokenAt: string | null;
  tokensLast24h: number;
}

export type StepKey = 'app_id' | 'secret_key' | 'messenger_security' | 'best_practices' | 'identity_verification';

export interface SetupStep {
  id: number;
  key: StepKey;
  title: string;
  done: boolean;
}

export type ProblemCode =
  | 'no_app_id'
  | 'no_secret'
  | 'rotation_due_soon'
  | 'rotation_overdue'
  | 'platform_off'
  | 'platform_no_traffic'
  | 'legacy_hmac'
  | 'intercom_connection_broken'
  | 'ttl_under_update_throttle';

export interface SetupProblem {
  code: ProblemCode;
  severity: 'error' | 'warning' | 'info';
  message: string;
  platform?: Platform;
}

/** `GET /api/tenants/:tenantId/intercom` */
export interface IntercomSetup {
  appId: string | null;
  region: Region;
  apiBase: string;
  identityMode: IdentityMode;
  tokenTtlSeconds: number;
  rotationPeriodDays: number;
  reminderLeadDays: number;
  /** Step 4: due versions are rotated through the Intercom connection. */
  autoRotate: boolean;
  settingsSavedAt: string | null;
  customAttributes: CustomAttributeRule[];
  sessionDurationSeconds: number | null;
  /** null until the tenant declares the platforms it ships. */
  declaredPlatforms: Platform[] | null;
  allowEmailUserIds: boolean;
  secret: SigningSecret | null;
  secrets: SecretVersion[];
  platforms: Record<Platform, PlatformStatus>;
  steps: SetupStep[];
  problems: SetupProblem[];
}

/** `PUT .../intercom/app-id {appId}` → */
export interface AppIdResult {
  appId: string;
  region: Region;
  apiBase: string;
}

/** `PUT .../intercom/secret {secret, platforms?}` → 201 */
export interface SavedSecret {
  version: number;
  platforms: Platform[];
  fingerprint: string;
  last4: string;
  createdAt: string;
  rotationDueAt: string;
}

/** `PUT .../intercom/platforms/:platform {securityEnabled}` → */
export interface PlatformSecurity {
  platform: Platform;
  securityEnabled: boolean;
  enabledAt: string | null;
}

/** `PATCH .../intercom/settings` (all optional) → the full settings */
export interface IntercomSettings {
  tokenTtlSeconds: number;
  rotationPeriodDays: number;
  reminderLeadDays: number;
  identityMode: IdentityMode;
  /** Due versions are rotated through the Intercom connection (issue 14). */
  autoRotate: boolean;
  savedAt: string | null;
  customAttributes: CustomAttributeRule[];
  sessionDurationSeconds: number | null;
  declaredPlatforms: Platform[] | null;
  allowEmailUserIds: boolean;
}

export interface TokenProblem {
  code: string;
  message: string;
}

/** `POST .../intercom/debug-token {token}` → */
export interface DebugTokenResult {
  /** Whether Intercom would accept the token: no `problems`. Warnings do not count. */
  valid: boolean;
  header: Record<string, unknown> | null;
  payload: Record<string, unknown> | null;
  problems: TokenProblem[];
  /** Accepted by Intercom, but against this workspace's policy or advice (`missing_exp`, `lifetime_exceeds_policy`, `user_id_is_email`, `attributes_nested`). */
  warnings: TokenProblem[];
  keyVersion: number | null;
}

/** `POST .../intercom/test-token {user_id, platform}` → */
export interface TestTokenResult {
  mode: IdentityMode;
  token?: string;
  expiresAt?: string;
  userHash?: string;
  appId: string;
  keyVersion: number;
}

/** `GET/PUT .../intercom/identity-provider` */
export interface IdentityProvider {
  issuer: string;
  jwksUrl: string;
  audience: string;
  userIdClaim?: string;
  emailClaim?: string | null;
  allowedOrigins?: string[];
  updatedAt?: string;
}

/** `GET /api/tenants/:tenantId/api-keys` → {items: ApiKey[]} */
export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** `POST /api/tenants/:tenantId/api-keys {name}` → 201; `key` is shown only here. */
export interface CreatedApiKey {
  id: string;
  name: string;
  prefix: string;
  key: string;
  createdAt: string;
}
