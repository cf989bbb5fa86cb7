/**
 * Every limit and default a request is checked against, in one place: the API's DTOs and
 * hand-written checks and the web's form rules import these, and a test compares the
 * database's CHECK constraints and column defaults with them.
 */

/** An inclusive whole-number range. */
export interface Range {
  readonly min: number;
  readonly max: number;
}

/** `PATCH /api/tenants/:tenantId/intercom/settings` and the `intercom_settings` columns. */
export const SETTINGS_LIMITS = {
  tokenTtlSeconds: { min: 60, max: 86_400 },
  rotationPeriodDays: { min: 1, max: 365 },
  reminderLeadDays: { min: 1, max: 60 },
} as const satisfies Record<string, Range>;

/**
 * Intercom throttles the web Messenger's `update` to about 20 calls per 30 minutes, and each token
 * refresh is one `update`. The token client refreshes at most `clientRefreshes` times in any 30
 * minutes (so at best every 100 s, two updates left for boot and the app): a token that lives
 * less than `minTokenTtlSeconds` expires before its replacement may be sent (decision 0042).
 */
export const MESSENGER_UPDATE_THROTTLE = {
  updates: 20,
  windowMinutes: 30,
  clientRefreshes: 18,
  minTokenTtlSeconds: 120,
} as const;

/** What a tenant without an `intercom_settings` row has: the columns' defaults. */
export const SETTINGS_DEFAULTS = {
  tokenTtlSeconds: 3600,
  rotationPeriodDays: 90,
  reminderLeadDays: 14,
} as const;

/** `PUT /api/tenants/:tenantId/intercom/secret`: the Messenger API secret key, once trimmed. */
export const SECRET_LIMITS = { length: { min: 16, max: 512 } } as const;

/** `POST /v1/intercom/token` (and the test token, the exchange): the user fields, in characters. */
export const TOKEN_REQUEST_LIMITS = {
  userIdMaxLength: 255,
  /** RFC 5321's limit on a forward path. */
  emailMaxLength: 254,
  nameMaxLength: 255,
} as const;
