import { TOTP_SECRET_COLUMNS } from '../auth/totp-secret';
import { INTERCOM_TOKEN_COLUMNS } from '../intercom/intercom-token';
import { WEBHOOK_SECRET_COLUMNS } from '../rotation/webhook-secret';
import { checkSealedColumnSet, type SealedColumnSet } from './sealed-column-set';
import { SECRET_VERSION_COLUMNS } from './secret-version-columns';

/**
 * Every table holding a sealed secret. One explicit list rather than registration on import, so
 * the CLI, the start-up check and a test see the same sets whatever was loaded first.
 * `apps/api/test/sealed-column-registry.test.ts` fails when a table in the database holds sealed
 * columns and is missing here.
 */
export const SEALED_COLUMN_SETS: readonly SealedColumnSet[] = [
  SECRET_VERSION_COLUMNS,
  WEBHOOK_SECRET_COLUMNS,
  INTERCOM_TOKEN_COLUMNS,
  TOTP_SECRET_COLUMNS,
].map(checkSealedColumnSet);
