import { type CsvValue, csvLine } from '@messenger-vault/contracts';
import { PLATFORMS } from '@messenger-vault/intercom';
import type { IntegrationRowDto } from './dto/staff.dto';

/** The export's columns: the overview's, per platform spelled out (csvCell neutralises formulas). */
const COLUMNS: ReadonlyArray<readonly [string, (row: IntegrationRowDto) => CsvValue]> = [
  ['tenant_id', (row) => row.tenantId],
  ['tenant_name', (row) => row.tenantName],
  ['app_id', (row) => row.appId],
  ['identity_mode', (row) => row.identityMode],
  ['secret_version', (row) => row.secretVersion],
  ['secret_age_days', (row) => row.secretAgeDays],
  ['rotation_due_at', (row) => row.rotationDueAt],
  ['rotation_status', (row) => row.rotationStatus],
  ['auto_rotate', (row) => (row.autoRotate ? 'on' : 'off')],
  ...PLATFORMS.flatMap((p) => [
    [`${p}_security`, (row: IntegrationRowDto) => (row.platforms[p].securityEnabled ? 'on' : 'off')] as const,
    [`${p}_tokens_24h`, (row: IntegrationRowDto) => row.platforms[p].tokensLast24h] as const,
    [`${p}_last_token_at`, (row: IntegrationRowDto) => row.platforms[p].lastTokenAt] as const,
  ]),
  ['tokens_24h', (row) => row.tokensLast24h],
  ['last_token_at', (row) => row.lastTokenAt],
  ['steps_done', (row) => row.stepsDone],
  ['problems', (row) => problemsCell(row.problems)],
];

/** The chips' words, as the overview shows them (apps/web/src/features/staff/problems.ts). */
const PROBLEM_LABELS: Record<string, string> = {
  intercom_connection_broken: 'Intercom disconnected',
  rotation_overdue: 'Rotation overdue',
  rotation_due_soon: 'Rotation due soon',
  no_secret: 'No secret',
  no_app_id: 'No APP_ID',
  platform_off: 'Platform off',
  platform_no_traffic: 'No traffic',
  legacy_hmac: 'Legacy HMAC',
  ttl_under_update_throttle: 'Lifetime too short',
};
const PLATFORM_NAMES: Record<string, string> = { web: 'Web', ios: 'iOS', android: 'Android' };

/** "No secret; Platform off · Web, iOS, Android": one entry per kind, its platforms named. */
function problemsCell(problems: IntegrationRowDto['problems']): string {
  const byCode = new Map<string, string[]>();
  for (const p of problems) {
    const platforms = byCode.get(p.code) ?? [];
    if (p.platform) platforms.push(PLATFORM_NAMES[p.platform] ?? p.platform);
    byCode.set(p.code, platforms);
  }
  return [...byCode]
    .map(([code, platforms]) => (PROBLEM_LABELS[code] ?? code) + (platforms.length ? ` · ${platforms.join(', ')}` : ''))
    .join('; ');
}

export const INTEGRATIONS_CSV_HEADER: readonly string[] = COLUMNS.map(([header]) => header);

export function integrationCsvLine(row: IntegrationRowDto): string {
  return csvLine(COLUMNS.map(([, cell]) => cell(row)));
}
