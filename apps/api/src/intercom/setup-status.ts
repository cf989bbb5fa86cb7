import {
  DAY_MS,
  MESSENGER_UPDATE_THROTTLE,
  rotationStageForDue,
  type PlatformStatus as PlatformEvidence,
  type SetupProblem,
} from '@messenger-vault/contracts';
import { PLATFORMS, type IdentityMode, type Platform } from '@messenger-vault/intercom';

export type { PlatformEvidence, SetupProblem };

/** The five steps of "Connect My Intercom", in the guide's order. */
export const SETUP_STEPS = [
  { id: 1, key: 'app_id', title: 'Add your Intercom APP_ID' },
  { id: 2, key: 'secret_key', title: 'Save your Messenger API secret key' },
  { id: 3, key: 'messenger_security', title: 'Turn on Messenger Security for each platform' },
  { id: 4, key: 'best_practices', title: 'Set token lifetime and rotation' },
  { id: 5, key: 'identity_verification', title: 'Choose identity verification and try a token' },
] as const;

export type StepKey = (typeof SETUP_STEPS)[number]['key'];

export interface SetupFacts {
  appId: string | null;
  identityMode: IdentityMode;
  reminderLeadDays: number;
  settingsSavedAt: Date | null;
  identityModeSetAt: Date | null;
  identityModeUsedAt: Date | null;
  /** The signing key's rotation date; null when no key signs. */
  rotationDueAt: Date | null;
  platforms: Record<Platform, PlatformEvidence>;
  /** The tenant's token lifetime; absent = the default, which the throttle rule passes. */
  tokenTtlSeconds?: number;
  /** The platforms the tenant ships; null until it declares them (then any protected platform counts). */
  declaredPlatforms?: Platform[] | null;
  /** Intercom refused the stored access token on a later call (decision 0040); absent: not connected or fine. */
  intercomBroken?: { at: Date; reason: string } | null;
}

const PLATFORM_NAMES: Record<Platform, string> = { web: 'web', ios: 'iOS', android: 'Android' };

/** Which steps are done and what needs attention, from stored facts and the time now. */
export function setupStatus(
  facts: SetupFacts,
  now: Date,
): { steps: Array<(typeof SETUP_STEPS)[number] & { done: boolean }>; problems: SetupProblem[] } {
  const done: Record<StepKey, boolean> = {
    app_id: facts.appId !== null,
    secret_key: facts.rotationDueAt !== null,
    messenger_security: facts.declaredPlatforms
      ? facts.declaredPlatforms.every((p) => facts.platforms[p].securityEnabled)
      : PLATFORMS.some((p) => facts.platforms[p].securityEnabled),
    best_practices: facts.settingsSavedAt !== null,
    identity_verification: facts.identityModeSetAt !== null && facts.identityModeUsedAt !== null,
  };
  // Spelled out, not `{ ...s, done }`: V8 allocates a spread copy of these constants in the old
  // generation, so the staff overview's export (setupStatus for 100,000 tenants in one request)
  // grew the heap by ~100 MB of garbage before a full collection.
  return {
    steps: SETUP_STEPS.map(
      (s) => ({ id: s.id, key: s.key, title: s.title, done: done[s.key] }) as typeof s & { done: boolean },
    ),
    problems: problems(facts, now),
  };
}

function problems(facts: SetupFacts, now: Date): SetupProblem[] {
  const found: SetupProblem[] = [];
  if (facts.intercomBroken)
    found.push({
      code: 'intercom_connection_broken',
      severity: 'error',
      message: `Intercom no longer accepts the stored access token (${facts.intercomBroken.reason}): it was revoked or the Intercom app was uninstalled. Connect the workspace again in step 1; nothing can be listed or rotated in Intercom until then.`,
    });
  if (!facts.appId)
    found.push({
      code: 'no_app_id',
      severity: 'error',
      message: 'No APP_ID yet: tokens cannot be issued until step 1 is done.',
    });
  if (!facts.rotationDueAt) {
    found.push({
      code: 'no_secret',
      severity: 'error',
      message: 'No Messenger secret key is saved: save it in step 2 so tokens can be signed.',
    });
  } else {
    // The reminders' stages (decision 0024): from the due date on the key is past it, so the
    // `due` day and `overdue` are both an error here; the reminders tell them apart.
    const stage = rotationStageForDue(facts.rotationDueAt, facts.reminderLeadDays, now)?.stage;
    const days = Math.ceil((facts.rotationDueAt.getTime() - now.getTime()) / DAY_MS);
    if (stage === 'due') {
      found.push({
        code: 'rotation_overdue',
        severity: 'error',
        message:
          'The secret key is due for rotation today. Create a new key in Intercom, save it here, then delete the old one.',
      });
    } else if (stage === 'overdue') {
      found.push({
        code: 'rotation_overdue',
        severity: 'error',
        message: `The secret key was due for rotation ${-days} day(s) ago. Create a new key in Intercom, save it here, then delete the old one.`,
      });
    } else if (stage === 'due_soon') {
      found.push({
        code: 'rotation_due_soon',
        severity: 'warning',
        message: `The secret key is due for rotation in ${days} day(s).`,
      });
    }
  }
  // Once declared, a platform the tenant does not ship is no problem of its own.
  for (const platform of facts.declaredPlatforms ?? PLATFORMS) {
    const p = facts.platforms[platform];
    const name = PLATFORM_NAMES[platform];
    if (!p.securityEnabled) {
      found.push({
        code: 'platform_off',
        severity: 'warning',
        platform,
        message: `Messenger Security is off for ${name}: anyone could impersonate your ${name} users. Turn on JWT verification for ${name} in Intercom, then confirm it here.`,
      });
    } else if (p.tokensLast24h === 0) {
      found.push({
        code: 'platform_no_traffic',
        severity: 'info',
        platform,
        message: `Security is on for ${name}, but no ${name} tokens were requested in the last 24 hours. If your ${name} app is live, check it sends tokens, or its users can't start conversations.`,
      });
    }
  }
  const ttl = facts.tokenTtlSeconds;
  if (facts.identityMode === 'jwt' && ttl !== undefined && ttl < MESSENGER_UPDATE_THROTTLE.minTokenTtlSeconds) {
    const { updates, windowMinutes, clientRefreshes, minTokenTtlSeconds } = MESSENGER_UPDATE_THROTTLE;
    const pace = Math.ceil((windowMinutes * 60) / clientRefreshes);
    found.push({
      code: 'ttl_under_update_throttle',
      severity: 'warning',
      message: `Tokens live ${ttl} seconds, but Intercom accepts only about ${updates} web Messenger updates per ${windowMinutes} minutes, so the token client sends a fresh token at most every ${pace} seconds: each token expires before the next one arrives, and the web Messenger fails in between. Set the token lifetime to at least ${minTokenTtlSeconds} seconds in step 4 (mobile SDKs are not throttled).`,
    });
  }
  if (facts.identityMode === 'hmac') {
    found.push({
      code: 'legacy_hmac',
      severity: 'warning',
      message: 'Identity verification uses legacy HMAC. Switch to JWT (step 5) for stronger security.',
    });
  }
  return found;
}
