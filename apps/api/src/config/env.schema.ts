/**
 * Every environment variable the API reads, declared once. `.env.example` is checked against
 * this list by a test, so the two cannot drift apart. No secret has a default.
 */
export type EnvKind = 'string' | 'int' | 'bool' | 'url' | 'email' | 'enum';

export interface EnvDeclaration {
  name: string;
  kind: EnvKind;
  description: string;
  default?: string;
  secret?: boolean;
  min?: number;
  max?: number;
  values?: readonly string[];
}

export const ENV: readonly EnvDeclaration[] = [
  {
    name: 'NODE_ENV',
    kind: 'enum',
    values: ['development', 'production', 'test'],
    default: 'development',
    description: 'Runtime mode; production refuses unsafe fallbacks such as a generated keyring.',
  },
  {
    name: 'PORT',
    kind: 'int',
    min: 0,
    max: 65535,
    default: '3000',
    description: 'Port that serves the API and the web app.',
  },
  { name: 'HOST', kind: 'string', default: '0.0.0.0', description: 'Interface to listen on.' },
  {
    name: 'PUBLIC_URL',
    kind: 'url',
    description:
      "The app's own origin as browsers see it (https://vault.example.com). Used for CSRF checks and invitation links; when unset, each request's own scheme and Host are used.",
  },
  {
    name: 'TRUST_PROXY',
    kind: 'string',
    default: 'false',
    description:
      'Which reverse proxies may set X-Forwarded-For/-Proto (client IP, https): false when clients connect directly; a hop count (1 for one load balancer; only when nothing can reach the API except through it); or the proxies\' addresses and CIDR ranges, comma-separated (10.0.0.5,10.0.1.0/24; also loopback, linklocal, uniquelocal). "true", "*" and "all" are refused: they let any client choose its own IP.',
  },
  {
    name: 'DATABASE_URL',
    kind: 'url',
    secret: true,
    description:
      'PostgreSQL connection string. When unset, an embedded PostgreSQL is started with its data under DATA_DIR.',
  },
  {
    name: 'DATABASE_POOL_SIZE',
    kind: 'int',
    min: 1,
    max: 200,
    default: '10',
    description: 'Connections per API process.',
  },
  {
    name: 'DATA_DIR',
    kind: 'string',
    default: '.data',
    description: 'Where the embedded PostgreSQL and development key files live.',
  },
  {
    name: 'EMBEDDED_PG_PORT',
    kind: 'int',
    min: 1024,
    max: 65535,
    default: '54329',
    description: 'Port of the embedded PostgreSQL (only when DATABASE_URL is unset).',
  },
  {
    name: 'ADMIN_EMAIL',
    kind: 'email',
    description: 'Email of the first staff user, created at first start when no staff user exists.',
  },
  {
    name: 'ADMIN_PASSWORD',
    kind: 'string',
    secret: true,
    description:
      'Password of the first staff user (at least 12 characters). When unset, a strong one is generated and printed once.',
  },
  {
    name: 'SESSION_IDLE_MINUTES',
    kind: 'int',
    min: 1,
    max: 10080,
    default: '30',
    description: 'A session ends after this long without a request.',
  },
  {
    name: 'SESSION_ABSOLUTE_HOURS',
    kind: 'int',
    min: 1,
    max: 720,
    default: '12',
    description: 'A session ends this long after sign-in, whatever its use.',
  },
  {
    name: 'INVITE_TTL_HOURS',
    kind: 'int',
    min: 1,
    max: 720,
    default: '72',
    description: 'How long an invitation link stays valid.',
  },
  {
    name: 'LOGIN_MAX_FAILURES_PER_ACCOUNT',
    kind: 'int',
    min: 1,
    max: 1000,
    default: '5',
    description: 'Failed sign-ins for one email before it is slowed down.',
  },
  {
    name: 'LOGIN_MAX_FAILURES_PER_IP',
    kind: 'int',
    min: 1,
    max: 10000,
    default: '20',
    description: 'Failed sign-ins from one IP before it is slowed down.',
  },
  {
    name: 'REQUIRE_STAFF_MFA',
    kind: 'bool',
    description:
      'Staff must enrol in TOTP two-factor sign-in at their first sign-in; until then their session reaches only the enrolment routes. Default: true when NODE_ENV=production, false otherwise.',
  },
  {
    name: 'OIDC_ISSUER',
    kind: 'url',
    description:
      'Staff single sign-on: the OpenID Connect issuer of the company identity provider (https://login.example.com), whose /.well-known/openid-configuration is read at start. Set with OIDC_CLIENT_ID, OIDC_CLIENT_SECRET and OIDC_STAFF_DOMAINS, or none of them. Register <PUBLIC_URL>/api/auth/oidc/callback as the redirect URI and <PUBLIC_URL>/api/auth/oidc/backchannel-logout as the back-channel logout URI.',
  },
  {
    name: 'OIDC_CLIENT_ID',
    kind: 'string',
    description: 'Staff single sign-on: the client id registered at the identity provider.',
  },
  {
    name: 'OIDC_CLIENT_SECRET',
    kind: 'string',
    secret: true,
    description: 'Staff single sign-on: the client secret registered at the identity provider.',
  },
  {
    name: 'OIDC_STAFF_DOMAINS',
    kind: 'string',
    description:
      'Staff single sign-on: comma-separated email domains (salesmind.example,ops.salesmind.example) whose verified addresses sign in as staff; anyone else is refused.',
  },
  {
    name: 'LOGIN_LOCKOUT_SECONDS',
    kind: 'int',
    min: 1,
    max: 86400,
    default: '60',
    description: 'First wait after too many failures; doubles with each further failure, up to 15 minutes.',
  },
  {
    name: 'LOGIN_FAILURE_WINDOW_MINUTES',
    kind: 'int',
    min: 1,
    max: 1440,
    default: '15',
    description: 'Failures older than this are forgotten.',
  },
  {
    name: 'LOG_LEVEL',
    kind: 'enum',
    values: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
    default: 'info',
    description: 'Minimum level of the JSON logs.',
  },
  {
    name: 'WEB_DIST_DIR',
    kind: 'string',
    default: 'apps/web/dist',
    description: 'Built web app served at /. Relative paths are resolved from the repository root.',
  },
  {
    name: 'VAULT_KEYRING',
    kind: 'string',
    secret: true,
    description:
      'Master keys that wrap every stored secret: id:base64key[,id:base64key...], 32-byte keys, the active key first (`npm run cli -- vault:generate-key` prints a new entry). Wins over VAULT_KEYRING_FILE. Production needs this or VAULT_KEYRING_FILE.',
  },
  {
    name: 'VAULT_KEYRING_FILE',
    kind: 'string',
    description:
      'File holding the keyring in the VAULT_KEYRING format, readable by the API only (mode 0600). Outside production, with neither set, the first start creates DATA_DIR/vault-keyring.',
  },
  {
    name: 'VAULT_PKCS11_MODULE',
    kind: 'string',
    description:
      'Path of the PKCS#11 library of the HSM holding `<id>:pkcs11:<label>` keyring entries (SoftHSM2: /usr/lib/softhsm/libsofthsm2.so). Needed only when the keyring names a pkcs11 key.',
  },
  {
    name: 'VAULT_PKCS11_TOKEN_LABEL',
    kind: 'string',
    description: 'Label of the PKCS#11 token (slot) holding the master keys.',
  },
  {
    name: 'VAULT_PKCS11_PIN',
    kind: 'string',
    secret: true,
    description:
      'User PIN of the PKCS#11 token. Wins over VAULT_PKCS11_PIN_FILE. A wrong PIN stops the API at start and is never retried, so the HSM does not lock it.',
  },
  {
    name: 'VAULT_PKCS11_PIN_FILE',
    kind: 'string',
    description: 'File holding the PKCS#11 user PIN (one line, readable by the API only).',
  },
  {
    name: 'VAULT_AWSKMS_ENDPOINT',
    kind: 'url',
    description:
      'Test and operator override: the AWS KMS endpoint for `<id>:awskms:<key ARN>` entries (a VPC endpoint, or a stand-in). Unset: the region of the key ARN. Credentials come from the AWS SDK default chain.',
  },
  {
    name: 'VAULT_GCPKMS_ENDPOINT',
    kind: 'url',
    description:
      'Test and operator override: the Google Cloud KMS REST endpoint for `<id>:gcpkms:<key name>` entries (a Private Service Connect address, or a stand-in). Unset: gRPC to cloudkms.googleapis.com. Credentials come from Application Default Credentials.',
  },
  {
    name: 'VAULT_CACHE_TTL_SECONDS',
    kind: 'int',
    min: 0,
    max: 3600,
    default: '60',
    description:
      'How long a decrypted signing key stays in memory (0: never cached). Every replica also drops it as soon as the secret changes.',
  },
  {
    name: 'TOKEN_STALE_SECONDS',
    kind: 'int',
    min: 0,
    max: 3600,
    default: '300',
    description:
      'While PostgreSQL is unreachable, the token endpoint keeps serving API keys, tenant settings and signing keys it verified within this many seconds (0: answer 503 at once).',
  },
  {
    name: 'TOKEN_RATE_LIMIT_PER_MINUTE',
    kind: 'int',
    min: 0,
    max: 1000000000,
    default: '600',
    description: 'Tokens one API key may request per minute, shared by all replicas (0: no limit).',
  },
  {
    name: 'EXCHANGE_FAILURES_PER_IP_PER_MINUTE',
    kind: 'int',
    min: 0,
    max: 1000000,
    default: '30',
    description:
      "Failed token exchanges (bad body, unknown tenant, refused ID token) one client IP may make per minute on each replica before it gets 429 (0: no limit). Only verified exchanges count against the tenant's budget, so junk traffic never locks real users out.",
  },
  {
    name: 'REMINDER_CRON',
    kind: 'string',
    default: '0 * * * *',
    description:
      'When this replica runs the rotation reminder job (cron syntax, 5 or 6 fields, server time zone), and with it the worker that delivers and retries reminder emails and webhooks. "off" runs neither on this replica. Every replica may run it: a unique key in Postgres keeps each reminder single. Never started when NODE_ENV=test.',
  },
  {
    name: 'SMTP_URL',
    kind: 'url',
    secret: true,
    description:
      "SMTP server for rotation reminder emails to each tenant's admins: smtp://user:password@host:587 (STARTTLS when offered) or smtps://user:password@host:465. When unset, reminders are in-app and webhook only.",
  },
  {
    name: 'SMTP_FROM',
    kind: 'string',
    default: 'Messenger Vault <no-reply@localhost>',
    description: 'Sender of reminder emails, as "Name <address>" or a bare address.',
  },
  {
    name: 'METRICS_TOKEN',
    kind: 'string',
    secret: true,
    description:
      'Bearer token Prometheus sends to GET /metrics (at least 32 characters, no spaces). In production /metrics answers 404 while this is unset; in development and test it is open.',
  },
  {
    name: 'WEBHOOK_TIMEOUT_MS',
    kind: 'int',
    min: 100,
    max: 60000,
    default: '5000',
    description:
      "How long a tenant's webhook receiver has to answer a reminder; a slower answer counts as a failed attempt and is retried.",
  },
  {
    name: 'INTERCOM_API_URL',
    kind: 'url',
    description:
      "Base of Intercom's REST API for every region (http:// or https://, no path), e.g. a stand-in in tests. When unset, each tenant's region picks it: https://api.intercom.io, https://api.eu.intercom.io or https://api.au.intercom.io.",
  },
  {
    name: 'INTERCOM_TIMEOUT_MS',
    kind: 'int',
    min: 100,
    max: 60000,
    default: '10000',
    description:
      "How long Intercom's REST API has to answer one call (connecting a workspace); slower counts as Intercom unavailable.",
  },
  {
    name: 'INTERCOM_CLIENT_ID',
    kind: 'string',
    description:
      'Client id of the Intercom app the operator registered in Intercom\'s Developer Hub (Configure > Basic information). With INTERCOM_CLIENT_SECRET it turns on "Connect with Intercom" (OAuth); register PUBLIC_URL + /intercom/oauth/callback (https) as its redirect URL.',
  },
  {
    name: 'INTERCOM_CLIENT_SECRET',
    kind: 'string',
    secret: true,
    description: 'Client secret of that Intercom app; set it together with INTERCOM_CLIENT_ID, or neither.',
  },
  {
    name: 'INTERCOM_OAUTH_AUTHORIZE_URL',
    kind: 'url',
    description:
      'Where "Connect with Intercom" sends the browser, for every region (e.g. a stand-in in tests). When unset, the tenant\'s region picks https://app.intercom.com/oauth, https://app.eu.intercom.com/oauth or https://app.au.intercom.com/oauth.',
  },
  {
    name: 'INTERCOM_OAUTH_TOKEN_URL',
    kind: 'url',
    description:
      "Where the OAuth code is traded for an access token, for every region. When unset: INTERCOM_API_URL + /auth/eagle/token, or the region's API host + /auth/eagle/token.",
  },
  {
    name: 'INTERCOM_ROTATION_RETRY_MS',
    kind: 'int',
    min: 10,
    max: 600000,
    default: '5000',
    description:
      'An automated rotation whose Intercom call failed with 5xx or no answer tries again after this long, doubling per attempt (at most 5 minutes, 8 attempts). A 429 waits for X-RateLimit-Reset instead.',
  },
  {
    name: 'INTERCOM_ROTATION_WORKER',
    kind: 'bool',
    default: 'true',
    description:
      'Whether this process runs automated rotations (the pg-boss worker). Any number of replicas may; each run is advanced by one at a time. Without a worker anywhere, started rotations wait.',
  },
  {
    name: 'INTERCOM_ROTATION_POLL_MS',
    kind: 'int',
    min: 500,
    max: 60000,
    default: '2000',
    description: "How often each replica asks the rotation job queue (pg-boss, in the app's database) for work.",
  },
  {
    name: 'TEST_CRASH_POINTS',
    kind: 'string',
    description:
      'Tests only (NODE_ENV=test; refused in production): comma-separated points where an automated rotation SIGKILLs its own process (after_create, after_store, overlapping, during_delete), for the crash tests.',
  },
];
