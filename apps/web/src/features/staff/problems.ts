import type { ProblemCode, SetupProblem } from '@messenger-vault/contracts';
import { PLATFORM_NAMES } from '../intercom/platforms';

/** The problems staff can filter the overview by, most serious first, with the chip's words. */
export const PROBLEM_FILTERS: readonly { code: ProblemCode; label: string }[] = [
  { code: 'intercom_connection_broken', label: 'Intercom disconnected' },
  { code: 'rotation_overdue', label: 'Rotation overdue' },
  { code: 'rotation_due_soon', label: 'Rotation due soon' },
  { code: 'no_secret', label: 'No secret' },
  { code: 'no_app_id', label: 'No APP_ID' },
  { code: 'platform_off', label: 'Platform off' },
  { code: 'platform_no_traffic', label: 'No traffic' },
  { code: 'legacy_hmac', label: 'Legacy HMAC' },
  { code: 'ttl_under_update_throttle', label: 'Lifetime too short' },
];

export const PROBLEM_CODES: readonly ProblemCode[] = PROBLEM_FILTERS.map((filter) => filter.code);

const BADGE_COLORS: Readonly<Record<ProblemCode, string>> = {
  intercom_connection_broken: 'red',
  rotation_overdue: 'red',
  no_secret: 'red',
  no_app_id: 'red',
  platform_off: 'orange',
  legacy_hmac: 'orange',
  rotation_due_soon: 'yellow',
  platform_no_traffic: 'gray',
  ttl_under_update_throttle: 'yellow',
};

export interface ProblemBadge {
  key: string;
  label: string;
  color: string;
  /** The API's sentence, for the badge's tooltip and the CSV. */
  message: string;
}

/**
 * A row's problems as badges, one per kind: a problem the API reports per platform becomes one
 * badge naming them ("Platform off · Web, iOS"), so a row with every platform off stays short.
 */
export function problemBadges(problems: readonly SetupProblem[]): ProblemBadge[] {
  const byCode = new Map<ProblemCode, SetupProblem[]>();
  for (const problem of problems) byCode.set(problem.code, [...(byCode.get(problem.code) ?? []), problem]);
  return [...byCode].map(([code, same]) => {
    const platforms = same.flatMap((problem) => (problem.platform ? [PLATFORM_NAMES[problem.platform]] : []));
    return {
      key: code,
      label: problemLabel(code) + (platforms.length > 0 ? ` · ${platforms.join(', ')}` : ''),
      color: BADGE_COLORS[code],
      message: same.map((problem) => problem.message).join(' '),
    };
  });
}

/** "Rotation overdue": the words of the problem's chip. */
export function problemLabel(code: ProblemCode): string {
  return PROBLEM_FILTERS.find((filter) => filter.code === code)?.label ?? code;
}
