/** The three Messenger installs Intercom secures separately (web, iOS SDK, Android SDK). */
export const PLATFORMS = ['web', 'ios', 'android'] as const;
export type Platform = (typeof PLATFORMS)[number];

export function isPlatform(value: unknown): value is Platform {
  return typeof value === 'string' && (PLATFORMS as readonly string[]).includes(value);
}

/** `jwt` is Intercom's recommended Messenger security; `hmac` is the legacy `user_hash`. */
export const IDENTITY_MODES = ['jwt', 'hmac'] as const;
export type IdentityMode = (typeof IDENTITY_MODES)[number];

export function isIdentityMode(value: unknown): value is IdentityMode {
  return typeof value === 'string' && (IDENTITY_MODES as readonly string[]).includes(value);
}
