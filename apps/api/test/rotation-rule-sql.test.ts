import fc from 'fast-check';
import { DAY_MS, SETTINGS_DEFAULTS, SETTINGS_LIMITS, rotationStagesStartAt } from '@messenger-vault/contracts';
import { reminderCandidates } from '../src/rotation/record-reminders';
import { reminderAt } from '../src/rotation/reminder-stage';
import { startTestApp, type TestApp } from './harness';
import { tenantWithSecret } from './rotation-fixtures';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

test("property: the reminder job's SQL filter picks a version exactly when reminderAt owes it a reminder", async () => {
  const s = await tenantWithSecret(t);
  const [{ created_at: createdAt }] = await t.db.query(
    `SELECT created_at FROM secret_versions WHERE tenant_id = $1 AND version = 1`,
    [s.tenantId],
  );
  await fc.assert(
    fc.asyncProperty(
      fc.option(
        fc
          .record({
            rotationPeriodDays: fc.integer(SETTINGS_LIMITS.rotationPeriodDays),
            reminderLeadDays: fc.integer(SETTINGS_LIMITS.reminderLeadDays),
          })
          .filter((p) => p.reminderLeadDays < p.rotationPeriodDays),
        { nil: null },
      ),
      // Around the threshold, where an off-by-one (a day, a millisecond) would show.
      fc.oneof(fc.integer({ min: -2 * DAY_MS, max: 2 * DAY_MS }), fc.integer({ min: -3, max: 3 })),
      async (policy, delta) => {
        if (policy) {
          await t.db.query(
            `INSERT INTO intercom_settings (tenant_id, rotation_period_days, reminder_lead_days) VALUES ($1, $2, $3)
             ON CONFLICT (tenant_id) DO UPDATE SET rotation_period_days = $2, reminder_lead_days = $3`,
            [s.tenantId, policy.rotationPeriodDays, policy.reminderLeadDays],
          );
        } else {
          await t.db.query(`DELETE FROM intercom_settings WHERE tenant_id = $1`, [s.tenantId]);
        }
        const inForce = policy ?? SETTINGS_DEFAULTS;
        const at = new Date(rotationStagesStartAt(createdAt, inForce).getTime() + delta);
        const picked = (await reminderCandidates(t.db, at, s.tenantId)).map((c) => c.version);
        const owed = reminderAt(createdAt, inForce, at) !== null;
        expect(picked).toEqual(owed ? [1] : []);
      },
    ),
    { numRuns: 60 },
  );
});

test('the defaults in libs/contracts are the intercom_settings column defaults', async () => {
  const rows: Array<{ column_name: string; column_default: string }> = await t.db.query(
    `SELECT column_name, column_default FROM information_schema.columns
      WHERE table_name = 'intercom_settings' AND column_name IN ('token_ttl_seconds', 'rotation_period_days', 'reminder_lead_days')`,
  );
  expect(Object.fromEntries(rows.map((r) => [r.column_name, Number(r.column_default)]))).toEqual({
    token_ttl_seconds: SETTINGS_DEFAULTS.tokenTtlSeconds,
    rotation_period_days: SETTINGS_DEFAULTS.rotationPeriodDays,
    reminder_lead_days: SETTINGS_DEFAULTS.reminderLeadDays,
  });
});
