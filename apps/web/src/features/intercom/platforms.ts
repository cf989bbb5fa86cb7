import type { Platform, PlatformStatus } from '@messenger-vault/contracts';

export const PLATFORMS: readonly Platform[] = ['web', 'ios', 'android'];

export const PLATFORM_NAMES: Readonly<Record<Platform, string>> = { web: 'Web', ios: 'iOS', android: 'Android' };

/**
 * How safe a platform is, from what the tenant confirmed and what the traffic shows:
 * `protected` — security on and tokens seen in the last 24 h; `quiet` — on, but no tokens, so
 * either the app isn't live there or it doesn't send them; `off` — anyone can pose as a user.
 */
export type PlatformHealth = 'protected' | 'quiet' | 'off';

export function platformHealth(status: PlatformStatus): PlatformHealth {
  if (!status.securityEnabled) return 'off';
  return status.tokensLast24h > 0 ? 'protected' : 'quiet';
}

export const HEALTH_BADGES: Readonly<Record<PlatformHealth, { label: string; color: string }>> = {
  protected: { label: 'Protected', color: 'green' },
  quiet: { label: 'On · no traffic', color: 'yellow' },
  off: { label: 'Security off', color: 'red' },
};
