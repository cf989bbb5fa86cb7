import { PLATFORMS, type Platform } from '@messenger-vault/intercom';

/**
 * `active`: may sign; `previous`: superseded on every platform it served, kept until retired;
 * `retired`: taken out of service by a person. Only `active` versions ever sign.
 */
export const SECRET_STATES = ['active', 'previous', 'retired'] as const;
export type SecretState = (typeof SECRET_STATES)[number];

export interface VersionPlatforms {
  version: number;
  state: SecretState;
  platforms: readonly Platform[];
}

/**
 * The platforms each active version signs for: for each platform, the newest active version
 * that serves it. Versions that sign for nothing map to an empty list.
 */
export function signingPlatforms(versions: readonly VersionPlatforms[]): Map<number, Platform[]> {
  const signs = new Map<number, Platform[]>();
  const covered = new Set<Platform>();
  for (const v of [...versions].filter((v) => v.state === 'active').sort((a, b) => b.version - a.version)) {
    signs.set(v.version, inPlatformOrder(v.platforms.filter((p) => !covered.has(p))));
    for (const p of v.platforms) covered.add(p);
  }
  return signs;
}

/** The version that signs for each platform that has one. */
export function signerByPlatform(versions: readonly VersionPlatforms[]): Map<Platform, number> {
  const signer = new Map<Platform, number>();
  for (const [version, platforms] of signingPlatforms(versions)) for (const p of platforms) signer.set(p, version);
  return signer;
}

/** Active versions that newer active versions have replaced on every platform: they become `previous`. */
export function supersededVersions(versions: readonly VersionPlatforms[]): number[] {
  return [...signingPlatforms(versions)].filter(([, platforms]) => platforms.length === 0).map(([version]) => version);
}

/** web, ios, android: the order every response and every stored row uses. */
export function inPlatformOrder(platforms: Iterable<Platform>): Platform[] {
  const chosen = new Set(platforms);
  return PLATFORMS.filter((p) => chosen.has(p));
}

export function describePlatforms(platforms: readonly Platform[]): string {
  const names = platforms.map((p) => ({ web: 'web', ios: 'iOS', android: 'Android' })[p]);
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
