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
  ...PLATFORMS.flatMap((p) => [
    [`${p}_security`, (row: IntegrationRowDto) => (row.platforms[p].securityEnabled ? 'on' : 'off')] as const,
    [`${p}_tokens_24h`, (row: IntegrationRowDto) => row.platforms[p].tokensLast24h] as const,
    [`${p}_last_token_at`, (row: IntegrationRowDto) => row.platforms[p].lastTokenAt] as const,
  ]),
  ['tokens_24h', (row) => row.tokensLast24h],
  ['last_token_at', (row) => row.lastTokenAt],
  ['steps_done', (row) => row.stepsDone],
  ['problems', (row) => row.problems.map((p) => (p.platform ? `${p.code}:${p.platform}` : p.code)).join(' ')],
];

export const INTEGRATIONS_CSV_HEADER: readonly string[] = COLUMNS.map(([header]) => header);

export function integrationCsvLine(row: IntegrationRowDto): string {
  return csvLine(COLUMNS.map(([, cell]) => cell(row)));
}
