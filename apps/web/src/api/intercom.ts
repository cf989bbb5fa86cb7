import type {
  AppIdResult,
  DebugTokenResult,
  IdentityProvider,
  IntercomSettings,
  IntercomSetup,
  Platform,
  PlatformSecurity,
  SavedSecret,
  SecretVersion,
  TestTokenResult,
} from '@messenger-vault/contracts';
import { call, isApiRequestError } from './client';

/** Everything the setup wizard shows: the five steps, settings, secret versions, platforms. */
export function getIntercomSetup(tenantId: string, signal?: AbortSignal): Promise<IntercomSetup> {
  return call('get', '/api/tenants/{tenantId}/intercom', { path: { tenantId }, signal });
}

/** Step 1. `appId` is the id itself or any Intercom address holding it; the API extracts it. */
export function setAppId(tenantId: string, appId: string): Promise<AppIdResult> {
  return call('put', '/api/tenants/{tenantId}/intercom/app-id', { path: { tenantId }, body: { appId } });
}

/** Step 2: saves a new secret version. The key is sent once and never comes back. */
export function saveSecret(tenantId: string, body: { secret: string; platforms: Platform[] }): Promise<SavedSecret> {
  return call('put', '/api/tenants/{tenantId}/intercom/secret', { path: { tenantId }, body });
}

/** 409 while the version still signs for a platform. */
export function retireSecret(tenantId: string, version: number): Promise<SecretVersion> {
  return call('post', '/api/tenants/{tenantId}/intercom/secrets/{version}/retire', {
    path: { tenantId, version },
  });
}

/** Step 3: what the tenant says about Messenger Security in Intercom, per platform. */
export function setPlatformSecurity(
  tenantId: string,
  platform: Platform,
  securityEnabled: boolean,
): Promise<PlatformSecurity> {
  return call('put', '/api/tenants/{tenantId}/intercom/platforms/{platform}', {
    path: { tenantId, platform },
    body: { securityEnabled },
  });
}

export type SettingsChange = Partial<Omit<IntercomSettings, 'savedAt' | 'declaredPlatforms'>> & {
  /** Once declared, the list can be changed but not emptied. */
  declaredPlatforms?: Platform[];
};

/** Steps 3, 4 and 5: declared platforms, token lifetime, rotation, signed attributes, identity mode, email user ids. */
export function updateSettings(tenantId: string, body: SettingsChange): Promise<IntercomSettings> {
  return call('patch', '/api/tenants/{tenantId}/intercom/settings', { path: { tenantId }, body });
}

/** Decodes a JWT, checks it against the stored keys and explains every problem. */
export function debugToken(tenantId: string, token: string): Promise<DebugTokenResult> {
  return call('post', '/api/tenants/{tenantId}/intercom/debug-token', { path: { tenantId }, body: { token } });
}

/** A token for a test user, in the tenant's identity mode; not counted as traffic. */
export function issueTestToken(
  tenantId: string,
  body: { user_id: string; platform: Platform },
): Promise<TestTokenResult> {
  return call('post', '/api/tenants/{tenantId}/intercom/test-token', { path: { tenantId }, body });
}

/** The identity provider for token exchange, or `null` while none is configured (the API answers 404). */
export async function getIdentityProvider(tenantId: string, signal?: AbortSignal): Promise<IdentityProvider | null> {
  try {
    return await call('get', '/api/tenants/{tenantId}/intercom/identity-provider', { path: { tenantId }, signal });
  } catch (error) {
    if (isApiRequestError(error, 404) && error.code === 'not_found') return null;
    throw error;
  }
}

export function putIdentityProvider(
  tenantId: string,
  body: Omit<IdentityProvider, 'updatedAt'>,
): Promise<IdentityProvider> {
  return call('put', '/api/tenants/{tenantId}/intercom/identity-provider', { path: { tenantId }, body });
}
