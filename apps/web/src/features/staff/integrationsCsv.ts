import type { IntegrationRow } from '../../api/staff';
import { PLATFORMS } from '../intercom/platforms';
import { type CsvValue, toCsv } from '@messenger-vault/contracts';
import { problemBadges } from './problems';

/** One column of the export: its header and how a row fills it. */
const COLUMNS: readonly [string, (row: IntegrationRow) => CsvValue][] = [
  ['tenant_id', (row) => row.tenantId],
  ['tenant_name', (row) => row.tenantName],
  ['app_id', (row) => row.appId],
  ['identity_mode', (row) => row.identityMode],
  ['secret_version', (row) => row.secretVersion],
  ['secret_age_days', (row) => row.secretAgeDays],
  ['rotation_due_at', (row) => row.rotationDueAt],
  ['rotation_status', (row) => row.rotationStatus],
  ['auto_rotate', (row) => (row.autoRotate ? 'on' : 'off')],
  ...PLATFORMS.flatMap((platform): [string, (row: IntegrationRow) => CsvValue][] => [
    [`${platform}_security`, (row) => (row.platforms[platform].securityEnabled ? 'on' : 'off')],
    [`${platform}_tokens_24h`, (row) => row.platforms[platform].tokensLast24h],
    [`${platform}_last_token_at`, (row) => row.platforms[platform].lastTokenAt],
  ]),
  ['tokens_24h', (row) => row.tokensLast24h],
  ['last_token_at', (row) => row.lastTokenAt],
  ['steps_done', (row) => row.stepsDone],
  [
    'problems',
    (row) =>
      problemBadges(row.problems)
        .map((badge) => badge.label)
        .join('; '),
  ],
];

/** The overview's rows as a CSV file, one line per tenant, in the order given. */
export function integrationsCsv(rows: readonly IntegrationRow[]): string {
  return toCsv(
    COLUMNS.map(([header]) => header),
    rows.map((row) => COLUMNS.map(([, cell]) => cell(row))),
  );
}

/** `integrations-2026-05-01.csv`, dated in UTC like the API's timestamps. */
export function integrationsCsvFileName(now: Date): string {
  return `integrations-${now.toISOString().slice(0, 10)}.csv`;
}
