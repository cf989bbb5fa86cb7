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

/**
 * Signed custom attributes (issue 15 item 5, decision 0043): the tenant's allow-list in the
 * settings, and what one token request may carry against it.
 */
export const CUSTOM_ATTRIBUTE_LIMITS = {
  /** Entries in a tenant's allow-list. */
  maxAttributes: 25,
  /** An attribute name: a letter, then letters, digits or underscores. */
  nameMaxLength: 64,
  /** The largest per-value cap a tenant may set on a string attribute, in characters. */
  stringMaxLength: 255,
  /** Names plus values of every attribute in one request, in characters (numbers and booleans as written in JSON). */
  totalMaxChars: 4096,
} as const;

export const CUSTOM_ATTRIBUTE_TYPES = ['string', 'number', 'boolean'] as const;
export type CustomAttributeType = (typeof CUSTOM_ATTRIBUTE_TYPES)[number];

/** One entry of the allow-list; `maxLength` only for strings (default the global cap). */
export interface CustomAttributeRule {
  name: string;
  type: CustomAttributeType;
  maxLength?: number;
}

export const CUSTOM_ATTRIBUTE_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_]*$/;

/**
 * Names an allow-list entry may not take: what the token itself sets, registered JWT claims,
 * Intercom's own Messenger settings and standard user attributes (signed as custom ones they
 * would mean something else), and names Object.prototype has (decision 0043).
 */
export const RESERVED_ATTRIBUTE_NAMES: ReadonlySet<string> = new Set([
  'user_id',
  'email',
  'name',
  'iat',
  'exp',
  'nbf',
  'iss',
  'sub',
  'aud',
  'jti',
  'app_id',
  'api_base',
  'user_hash',
  'intercom_user_jwt',
  'session_duration',
  'phone',
  'created_at',
  'signed_up_at',
  'avatar',
  'company',
  'companies',
  'language_override',
  'unsubscribed_from_emails',
  'last_request_at',
  'hide_default_launcher',
  'custom_launcher_selector',
  'alignment',
  'horizontal_padding',
  'vertical_padding',
  'utm_campaign',
  'utm_content',
  'utm_medium',
  'utm_source',
  'utm_term',
  'custom_attributes',
  ...Object.getOwnPropertyNames(Object.prototype),
  'prototype',
]);

/**
 * The Messenger's `session_duration` (a boot setting, in milliseconds, decision 0043), kept in
 * the settings as whole seconds: Intercom's minimum is 5 minutes; its default cookie lasts 7 days.
 */
export const SESSION_DURATION_LIMITS = { min: 300, max: 604_800 } as const satisfies Range;
