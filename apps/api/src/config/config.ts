import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { validateCronExpression } from 'cron';
import { isEmailAddress } from '../common/email';
import { ENV, EnvDeclaration } from './env.schema';
import { SecretText } from './secret-text';
import { parseTrustProxy, TrustProxy } from './trust-proxy';

/** The workspace root, found the same way from the sources (tests) and from dist (npm start). */
function findRepoRoot(from: string): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && 'workspaces' in JSON.parse(readFileSync(pkg, 'utf8'))) return dir;
  }
  return process.cwd();
}

export const REPO_ROOT = findRepoRoot(__dirname);

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export interface AppConfig {
  nodeEnv: 'development' | 'production' | 'test';
  port: number;
  host: string;
  publicUrl: string | null;
  trustProxy: TrustProxy;
  databaseUrl: string | null;
  databasePoolSize: number;
  dataDir: string;
  embeddedPgPort: number;
  adminEmail: string | null;
  adminPassword: string | null;
  session: { idleMinutes: number; absoluteHours: number };
  inviteTtlHours: number;
  login: { maxFailuresPerAccount: number; maxFailuresPerIp: number; lockoutSeconds: number; windowMinutes: number };
  logLevel: string;
  webDistDir: string;
  /** `keyring` wins over `keyringFile`; with neither, see vault/keyring-source.ts. */
  vault: {
    keyring: SecretText | null;
    keyringFile: string | null;
    cacheTtlSeconds: number;
    /** Only set when configured; keyring-source.ts says what is missing for a pkcs11 entry. */
    pkcs11: { module: string | null; tokenLabel: string | null; pin: SecretText | null; pinFile: string | null };
    awsKmsEndpoint: string | null;
    gcpKmsEndpoint: string | null;
  };
  tokenRateLimitPerMinute: number;
  /** How old a verification the token endpoint may serve from while the database is unreachable. */
  tokenStaleSeconds: number;
  exchangeFailuresPerIpPerMinute: number;
  /** Rotation reminders: the job's schedule (null: not on this replica), email and webhook delivery. */
  reminders: { cron: string | null; smtpUrl: SecretText | null; smtpFrom: string; webhookTimeoutMs: number };
  /** What GET /metrics asks for in production (null there: 404); outside production it is open. */
  metricsToken: SecretText | null;
  /** Intercom's REST API: `apiUrl` overrides the region's host for every region when set. */
  intercom: { apiUrl: string | null; timeoutMs: number; oauth: IntercomOAuthConfig | null };
  /** Automated rotation of the Intercom secret (decision 0038). */
  intercomRotation: { retryMs: number; pollMs: number; worker: boolean };
  /** Where a rotation kills its own process; empty unless NODE_ENV=test (refused in production). */
  testCrashPoints: readonly string[];
  /** Staff must enrol in TOTP before anything else (REQUIRE_STAFF_MFA; on by default in production). */
  requireStaffMfa: boolean;
  /** Staff single sign-on (decision 0048): all four OIDC_* settings, or null when none is set. */
  oidc: OidcConfig | null;
}

export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: SecretText;
  /** Lower-case email domains whose verified addresses sign in as staff. */
  staffDomains: string[];
}

/** "Connect with Intercom": on when INTERCOM_CLIENT_ID and INTERCOM_CLIENT_SECRET are both set. */
export interface IntercomOAuthConfig {
  clientId: string;
  clientSecret: SecretText;
  /** INTERCOM_OAUTH_AUTHORIZE_URL; null: the region's app host + /oauth. */
  authorizeUrl: string | null;
  /** INTERCOM_OAUTH_TOKEN_URL; null: the API base + /auth/eagle/token. */
  tokenUrl: string | null;
  /** PUBLIC_URL + INTERCOM_OAUTH_CALLBACK_PATH, registered in the Intercom app. */
  redirectUri: string;
}

/** The web app's page Intercom sends the browser back to (registered as the app's redirect URL). */
export const INTERCOM_OAUTH_CALLBACK_PATH = '/intercom/oauth/callback';

type Raw = Record<string, string | number | boolean | undefined>;

function parseOne(
  decl: EnvDeclaration,
  value: string | undefined,
  problems: string[],
): string | number | boolean | undefined {
  const raw = value === undefined || value.trim() === '' ? decl.default : value.trim();
  if (raw === undefined) return undefined;
  const bad = (why: string) => {
    // Never echo a secret's value back, even when it is malformed.
    const shown = decl.secret ? '' : ` (got "${raw.slice(0, 80)}")`;
    problems.push(`${decl.name}: ${why}${shown}. ${decl.description}`);
    return undefined;
  };
  switch (decl.kind) {
    case 'int': {
      if (!/^-?\d+$/.test(raw)) return bad('must be a whole number');
      const n = Number(raw);
      if (decl.min !== undefined && n < decl.min) return bad(`must be at least ${decl.min}`);
      if (decl.max !== undefined && n > decl.max) return bad(`must be at most ${decl.max}`);
      return n;
    }
    case 'bool':
      if (['true', '1', 'yes'].includes(raw.toLowerCase())) return true;
      if (['false', '0', 'no'].includes(raw.toLowerCase())) return false;
      return bad('must be true or false');
    case 'url':
      try {
        const url = new URL(raw);
        if (!url.protocol) return bad('must be an absolute URL');
        return raw.replace(/\/+$/, '');
      } catch {
        return bad('must be an absolute URL');
      }
    case 'email':
      return isEmailAddress(raw) ? raw.toLowerCase() : bad('must be an email address');
    case 'enum':
      return decl.values?.includes(raw) ? raw : bad(`must be one of ${decl.values?.join(', ')}`);
    case 'string':
      return raw;
  }
}

/** Reads and validates the environment once; every problem is reported, not just the first. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const problems: string[] = [];
  const raw: Raw = {};
  for (const decl of ENV) raw[decl.name] = parseOne(decl, env[decl.name], problems);

  const adminPassword = raw.ADMIN_PASSWORD as string | undefined;
  if (adminPassword !== undefined && adminPassword.length < 12) {
    problems.push(
      'ADMIN_PASSWORD: must be at least 12 characters. Choose a longer one, or unset it to have one generated.',
    );
  }
  if ((raw.ADMIN_PASSWORD === undefined) !== (raw.ADMIN_EMAIL === undefined) && raw.ADMIN_PASSWORD !== undefined) {
    problems.push('ADMIN_EMAIL: must be set when ADMIN_PASSWORD is set.');
  }
  const publicUrl = raw.PUBLIC_URL as string | undefined;
  if (publicUrl && !/^https?:\/\//.test(publicUrl)) problems.push('PUBLIC_URL: must start with http:// or https://.');
  const trustProxy = parseTrustProxy(raw.TRUST_PROXY as string | undefined);
  if (typeof trustProxy === 'string') problems.push(`TRUST_PROXY: ${trustProxy}`);
  const dbUrl = raw.DATABASE_URL as string | undefined;
  if (dbUrl && !/^postgres(ql)?:\/\//.test(dbUrl))
    problems.push('DATABASE_URL: must be a postgres:// or postgresql:// URL.');
  const reminderCron = (raw.REMINDER_CRON as string).toLowerCase() === 'off' ? null : (raw.REMINDER_CRON as string);
  if (reminderCron !== null && !validateCronExpression(reminderCron).valid) {
    problems.push(
      `REMINDER_CRON: must be a cron expression like "0 * * * *" (minute hour day-of-month month day-of-week), or off (got "${reminderCron.slice(0, 80)}").`,
    );
  }
  const smtpUrl = raw.SMTP_URL as string | undefined;
  if (smtpUrl && !/^smtps?:\/\//i.test(smtpUrl))
    problems.push('SMTP_URL: must be an smtp:// or smtps:// URL, like smtp://user:password@mail.example.com:587.');
  const metricsToken = raw.METRICS_TOKEN as string | undefined;
  if (metricsToken !== undefined && !/^[\x21-\x7e]{32,256}$/.test(metricsToken))
    problems.push(
      'METRICS_TOKEN: must be 32 to 256 printable characters without spaces, e.g. from `openssl rand -base64 32`.',
    );
  const intercomApiUrl = raw.INTERCOM_API_URL as string | undefined;
  if (intercomApiUrl !== undefined) {
    const url = new URL(intercomApiUrl);
    if (!/^https?:$/.test(url.protocol) || url.username || url.password || url.search || url.hash)
      problems.push(
        'INTERCOM_API_URL: must be an http:// or https:// URL without credentials, query or fragment, like https://api.intercom.io.',
      );
  }
  const oidc = oidcConfig(raw, problems);
  const crashPoints = raw.TEST_CRASH_POINTS as string | undefined;
  if (crashPoints !== undefined && raw.NODE_ENV !== 'test')
    problems.push('TEST_CRASH_POINTS: is for the crash tests only (NODE_ENV=test); unset it.');
  const intercomOAuth = intercomOAuthConfig(raw, publicUrl, problems);
  if (problems.length) throw new ConfigError(problems);

  const fromRoot = (p: string) => (isAbsolute(p) ? p : resolve(REPO_ROOT, p));
  return {
    nodeEnv: raw.NODE_ENV as AppConfig['nodeEnv'],
    port: raw.PORT as number,
    host: raw.HOST as string,
    publicUrl: publicUrl ?? null,
    trustProxy: trustProxy as TrustProxy,
    databaseUrl: dbUrl ?? null,
    databasePoolSize: raw.DATABASE_POOL_SIZE as number,
    dataDir: fromRoot(raw.DATA_DIR as string),
    embeddedPgPort: raw.EMBEDDED_PG_PORT as number,
    adminEmail: (raw.ADMIN_EMAIL as string | undefined) ?? null,
    adminPassword: adminPassword ?? null,
    session: { idleMinutes: raw.SESSION_IDLE_MINUTES as number, absoluteHours: raw.SESSION_ABSOLUTE_HOURS as number },
    inviteTtlHours: raw.INVITE_TTL_HOURS as number,
    login: {
      maxFailuresPerAccount: raw.LOGIN_MAX_FAILURES_PER_ACCOUNT as number,
      maxFailuresPerIp: raw.LOGIN_MAX_FAILURES_PER_IP as number,
      lockoutSeconds: raw.LOGIN_LOCKOUT_SECONDS as number,
      windowMinutes: raw.LOGIN_FAILURE_WINDOW_MINUTES as number,
    },
    logLevel: raw.LOG_LEVEL as string,
    webDistDir: fromRoot(raw.WEB_DIST_DIR as string),
    vault: {
      keyring: raw.VAULT_KEYRING === undefined ? null : new SecretText(raw.VAULT_KEYRING as string),
      keyringFile: raw.VAULT_KEYRING_FILE === undefined ? null : fromRoot(raw.VAULT_KEYRING_FILE as string),
      cacheTtlSeconds: raw.VAULT_CACHE_TTL_SECONDS as number,
      pkcs11: {
        module: (raw.VAULT_PKCS11_MODULE as string | undefined) ?? null,
        tokenLabel: (raw.VAULT_PKCS11_TOKEN_LABEL as string | undefined) ?? null,
        pin: raw.VAULT_PKCS11_PIN === undefined ? null : new SecretText(raw.VAULT_PKCS11_PIN as string),
        pinFile: raw.VAULT_PKCS11_PIN_FILE === undefined ? null : fromRoot(raw.VAULT_PKCS11_PIN_FILE as string),
      },
      awsKmsEndpoint: (raw.VAULT_AWSKMS_ENDPOINT as string | undefined) ?? null,
      gcpKmsEndpoint: (raw.VAULT_GCPKMS_ENDPOINT as string | undefined) ?? null,
    },
    tokenRateLimitPerMinute: raw.TOKEN_RATE_LIMIT_PER_MINUTE as number,
    tokenStaleSeconds: raw.TOKEN_STALE_SECONDS as number,
    exchangeFailuresPerIpPerMinute: raw.EXCHANGE_FAILURES_PER_IP_PER_MINUTE as number,
    reminders: {
      cron: reminderCron,
      smtpUrl: smtpUrl === undefined ? null : new SecretText(smtpUrl),
      smtpFrom: raw.SMTP_FROM as string,
      webhookTimeoutMs: raw.WEBHOOK_TIMEOUT_MS as number,
    },
    metricsToken: metricsToken === undefined ? null : new SecretText(metricsToken),
    intercom: {
      apiUrl: intercomApiUrl ?? null,
      timeoutMs: raw.INTERCOM_TIMEOUT_MS as number,
      oauth: intercomOAuth,
    },
    intercomRotation: {
      retryMs: raw.INTERCOM_ROTATION_RETRY_MS as number,
      pollMs: raw.INTERCOM_ROTATION_POLL_MS as number,
      worker: raw.INTERCOM_ROTATION_WORKER as boolean,
    },
    testCrashPoints:
      raw.NODE_ENV === 'test' && crashPoints
        ? crashPoints
            .split(',')
            .map((p) => p.trim())
            .filter(Boolean)
        : [],
    requireStaffMfa: (raw.REQUIRE_STAFF_MFA as boolean | undefined) ?? raw.NODE_ENV === 'production',
    oidc,
  };
}

const OIDC_NAMES = ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_STAFF_DOMAINS'] as const;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** All four OIDC_* settings or none; http:// issuers only under NODE_ENV=test (the tests' own provider). */
function oidcConfig(raw: Raw, problems: string[]): OidcConfig | null {
  const set = OIDC_NAMES.filter((name) => raw[name] !== undefined);
  if (set.length === 0) return null;
  if (set.length < OIDC_NAMES.length) {
    const missing = OIDC_NAMES.filter((name) => raw[name] === undefined);
    problems.push(
      `${missing.join(', ')}: staff single sign-on needs all of ${OIDC_NAMES.join(', ')}, or none of them (${set.join(', ')} ${set.length === 1 ? 'is' : 'are'} set).`,
    );
    return null;
  }
  const issuer = raw.OIDC_ISSUER as string;
  const url = new URL(issuer);
  const httpAllowed = raw.NODE_ENV === 'test' && url.protocol === 'http:';
  if ((url.protocol !== 'https:' && !httpAllowed) || url.username || url.password || url.search || url.hash) {
    problems.push(
      `OIDC_ISSUER: must be an https:// URL without credentials, query or fragment, exactly the identity provider's issuer (like https://login.example.com) (got "${issuer.slice(0, 80)}").`,
    );
  }
  const domains = (raw.OIDC_STAFF_DOMAINS as string)
    .split(',')
    .map((d) => d.trim().toLowerCase())
    .filter(Boolean);
  const badDomains = domains.filter((d) => !DOMAIN.test(d));
  if (domains.length === 0 || badDomains.length > 0) {
    problems.push(
      `OIDC_STAFF_DOMAINS: must be email domains separated by commas, like salesmind.example,ops.salesmind.example${badDomains.length ? ` (not a domain: ${badDomains.map((d) => `"${d.slice(0, 80)}"`).join(', ')})` : ''}.`,
    );
  }
  const clientSecret = raw.OIDC_CLIENT_SECRET as string;
  if (clientSecret.length < 8)
    problems.push(
      'OIDC_CLIENT_SECRET: must be the client secret the identity provider issued (at least 8 characters).',
    );
  return {
    issuer,
    clientId: raw.OIDC_CLIENT_ID as string,
    clientSecret: new SecretText(clientSecret),
    staffDomains: domains,
  };
}

/** Both or neither; an https redirect URL from PUBLIC_URL (plain http only to localhost outside production). */
function intercomOAuthConfig(raw: Raw, publicUrl: string | undefined, problems: string[]): IntercomOAuthConfig | null {
  const clientId = raw.INTERCOM_CLIENT_ID as string | undefined;
  const clientSecret = raw.INTERCOM_CLIENT_SECRET as string | undefined;
  if (clientId === undefined && clientSecret === undefined) return null;
  if (clientId === undefined || clientSecret === undefined) {
    problems.push(
      `${clientId === undefined ? 'INTERCOM_CLIENT_ID' : 'INTERCOM_CLIENT_SECRET'}: must be set together with ${clientId === undefined ? 'INTERCOM_CLIENT_SECRET' : 'INTERCOM_CLIENT_ID'} (both from your Intercom app's Configure > Basic information page), or unset both to connect by pasted tokens only.`,
    );
    return null;
  }
  if (!/^[\x21-\x7e]{1,256}$/.test(clientId))
    problems.push('INTERCOM_CLIENT_ID: must be 1 to 256 printable characters without spaces, as Intercom shows it.');
  if (!/^[\x21-\x7e]{8,256}$/.test(clientSecret))
    problems.push(
      'INTERCOM_CLIENT_SECRET: must be 8 to 256 printable characters without spaces, as Intercom shows it.',
    );
  if (!publicUrl) {
    problems.push(
      `PUBLIC_URL: must be set when INTERCOM_CLIENT_ID is: Intercom sends the browser back to PUBLIC_URL${INTERCOM_OAUTH_CALLBACK_PATH}, which must be registered as a redirect URL of your Intercom app.`,
    );
    return null;
  }
  const redirect = new URL(`${publicUrl}${INTERCOM_OAUTH_CALLBACK_PATH}`);
  const local = ['localhost', '127.0.0.1', '[::1]'].includes(redirect.hostname);
  if (redirect.protocol !== 'https:' && !(local && raw.NODE_ENV !== 'production'))
    problems.push(
      `PUBLIC_URL: must be https:// when INTERCOM_CLIENT_ID is set: Intercom accepts only https redirect URLs (got ${redirect.origin}).`,
    );
  return {
    clientId,
    clientSecret: new SecretText(clientSecret),
    authorizeUrl: (raw.INTERCOM_OAUTH_AUTHORIZE_URL as string | undefined) ?? null,
    tokenUrl: (raw.INTERCOM_OAUTH_TOKEN_URL as string | undefined) ?? null,
    redirectUri: redirect.toString(),
  };
}

export const APP_CONFIG = Symbol('APP_CONFIG');
