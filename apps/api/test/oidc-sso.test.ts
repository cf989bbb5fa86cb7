import { randomUUID } from 'node:crypto';
import { generateKeyPair, importJWK, SignJWT } from 'jose';
import { loadConfig, ConfigError } from '../src/config/config';
import { startIdp, type TestIdp } from './oidc-idp.mjs';
import { OIDC_STARTS_PER_MINUTE } from '../src/auth/oidc/start-limiter';
import { Client, STAFF_EMAIL, startTestApp, TestApp } from './harness';

/**
 * Staff single sign-on against a real OpenID Provider (oidc-provider) on its own port: the
 * redirects a browser would follow, each cookie where a browser would keep it.
 */
class Browser {
  private jars = new Map<string, Map<string, string>>();

  cookie(origin: string, name: string): string | undefined {
    return this.jars.get(origin)?.get(name);
  }

  /** Follows redirects until the app sends the browser to a page of its own (outside /api), or `stopAt` says so. */
  async navigate(start: string, stopAt: (url: URL) => boolean = () => false): Promise<URL> {
    let url = new URL(start);
    for (let hop = 0; hop < 20; hop++) {
      if (hop > 0 && stopAt(url)) return url;
      const jar = this.jars.get(url.origin) ?? new Map<string, string>();
      this.jars.set(url.origin, jar);
      const res = await fetch(url, {
        redirect: 'manual',
        headers: jar.size ? { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } : {},
      });
      for (const raw of res.headers.getSetCookie()) {
        const [pair, ...attrs] = raw.split(';');
        const [name, ...rest] = (pair ?? '').split('=');
        const value = rest.join('=');
        const gone = value === '' || attrs.some((a) => /expires=Thu, 01 Jan 1970|max-age=0\b/i.test(a.trim()));
        if (name) gone ? jar.delete(name.trim()) : jar.set(name.trim(), value);
      }
      await res.arrayBuffer();
      const location = res.headers.get('location');
      if (res.status < 300 || res.status >= 400 || !location) {
        throw new Error(`${url.href} answered ${res.status} without a redirect`);
      }
      url = new URL(location, url);
      if (url.origin === appOrigin && !url.pathname.startsWith('/api/')) return url;
    }
    throw new Error('too many redirects');
  }

  /** The app's session as an API client. */
  appClient(): Client {
    const c = new Client(t.url);
    const session = this.cookie(appOrigin, 'mv_session');
    if (session) c.setCookie('mv_session', session);
    return c;
  }
}

type SigningKey = Parameters<SignJWT['sign']>[0];

let idp: TestIdp;
let t: TestApp;
let appOrigin: string;

beforeAll(async () => {
  idp = await startIdp();
  t = await startTestApp({
    OIDC_ISSUER: idp.issuer,
    OIDC_CLIENT_ID: idp.clientId,
    OIDC_CLIENT_SECRET: idp.clientSecret,
    OIDC_STAFF_DOMAINS: 'salesmind.test, messenger-vault.test',
  });
  appOrigin = t.url;
  await idp.registerClient(t.url);
});
afterAll(async () => {
  await t?.close();
  await idp?.close();
});

const newSub = () => `idp-${randomUUID()}`;
const staffEmail = () => `sso-${randomUUID().slice(0, 8)}@salesmind.test`;

async function signInWithSso(sub: string, browser = new Browser()): Promise<{ browser: Browser; landed: URL }> {
  idp.nextAccount = sub;
  const landed = await browser.navigate(`${t.url}/api/auth/oidc/start`);
  return { browser, landed };
}

const refusals = async (reason: string): Promise<Array<{ actor_email: string | null; metadata: any }>> =>
  t.db.query(
    `SELECT actor_email, metadata FROM audit_events WHERE action = 'auth.login.failed' AND metadata->>'reason' = $1`,
    [reason],
  );

describe('signing in with SSO', () => {
  test('a verified address in OIDC_STAFF_DOMAINS becomes staff; the subject is recorded; audited', async () => {
    const sub = newSub();
    const email = staffEmail();
    idp.addAccount(sub, email.toUpperCase());
    expect((await t.client().get('/api/auth/oidc/config')).body).toEqual({ enabled: true });

    const { browser, landed } = await signInWithSso(sub);
    expect(landed.pathname + landed.search).toBe('/');
    const me = await browser.appClient().get('/api/auth/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ email, isStaff: true });
    // The one-shot binding cookie is gone once used.
    expect(browser.cookie(appOrigin, 'mv_oidc')).toBeUndefined();

    const identities = await t.db.query(`SELECT issuer, subject, email FROM user_identities WHERE user_id = $1`, [
      me.body.id,
    ]);
    expect(identities).toEqual([{ issuer: idp.issuer, subject: sub, email }]);
    const sessions = await t.db.query(
      `SELECT auth_method, oidc_issuer, oidc_subject FROM sessions WHERE user_id = $1`,
      [me.body.id],
    );
    expect(sessions).toEqual([{ auth_method: 'oidc', oidc_issuer: idp.issuer, oidc_subject: sub }]);
    const audit = await t.db.query(
      `SELECT actor_kind, actor_email, metadata FROM audit_events WHERE action = 'auth.login.succeeded' AND target_id = $1`,
      [me.body.id],
    );
    expect(audit).toEqual([
      {
        actor_kind: 'staff',
        actor_email: email,
        metadata: { method: 'oidc', issuer: idp.issuer, subject: sub, createdAccount: true, becameStaff: false },
      },
    ]);
    // An SSO-made account has no password anyone knows.
    const login = await t.client().post('/api/auth/login', { email, password: 'anything-at-all-123' });
    expect(login.status).toBe(401);
  });

  test('existing staff are matched by email; the next sign-in finds them by subject; the client secret and code appear nowhere', async () => {
    const sub = newSub();
    idp.addAccount(sub, STAFF_EMAIL);
    const { browser } = await signInWithSso(sub);
    const me = (await browser.appClient().get('/api/auth/me')).body;
    const staffId = (await (await t.staff()).get('/api/auth/me')).body.id;
    expect(me.id).toBe(staffId);

    // The address changes at the provider; the subject still names the same person.
    idp.addAccount(sub, `renamed-${randomUUID().slice(0, 6)}@salesmind.test`);
    const again = await signInWithSso(sub);
    expect((await again.browser.appClient().get('/api/auth/me')).body.id).toBe(staffId);

    const logs = t.logs.join('\n');
    expect(logs).not.toContain(idp.clientSecret);
    const audit = JSON.stringify(
      await t.db.query(`SELECT metadata FROM audit_events WHERE metadata->>'method' = 'oidc'`),
    );
    expect(audit).not.toContain(idp.clientSecret);
    expect(audit).not.toMatch(/"code"|access_token|id_token/);
  });

  test('another subject with an address an account already links to this provider is refused', async () => {
    const email = staffEmail();
    const first = newSub();
    idp.addAccount(first, email);
    await signInWithSso(first);
    const impostor = newSub();
    idp.addAccount(impostor, email);
    const { browser, landed } = await signInWithSso(impostor);
    expect(landed.pathname + landed.search).toBe('/login?sso=subject_mismatch');
    expect(browser.cookie(appOrigin, 'mv_session')).toBeUndefined();
    expect((await refusals('subject_mismatch')).map((r) => r.actor_email)).toContain(email);
  });

  test('a tenant admin whose verified address is in a staff domain becomes staff: a new session, the old ones end', async () => {
    const tenant = await t.newTenant();
    const email = staffEmail();
    const { client: passwordSession } = await t.newTenantAdmin(tenant.id, email);
    expect((await passwordSession.get('/api/auth/me')).body.isStaff).toBe(false);
    const sub = newSub();
    idp.addAccount(sub, email);
    const { browser } = await signInWithSso(sub);
    const me = (await browser.appClient().get('/api/auth/me')).body;
    expect(me).toMatchObject({ email, isStaff: true });
    expect((await passwordSession.get('/api/auth/me')).status).toBe(401);
    const [event] = await t.db.query(
      `SELECT metadata FROM audit_events WHERE action = 'auth.login.succeeded' AND target_id = $1 AND metadata->>'method' = 'oidc'`,
      [me.id],
    );
    expect(event.metadata).toMatchObject({ becameStaff: true, createdAccount: false });
  });

  test('an address outside OIDC_STAFF_DOMAINS is refused and no account is made', async () => {
    const sub = newSub();
    const email = `someone-${randomUUID().slice(0, 8)}@gmail.test`;
    idp.addAccount(sub, email);
    const { browser, landed } = await signInWithSso(sub);
    expect(landed.pathname + landed.search).toBe('/login?sso=domain_not_allowed');
    expect(browser.cookie(appOrigin, 'mv_session')).toBeUndefined();
    expect(await t.db.query(`SELECT 1 FROM users WHERE email = $1`, [email])).toEqual([]);
    expect((await refusals('domain_not_allowed')).map((r) => r.actor_email)).toContain(email);
  });

  test('a look-alike domain (a staff domain as a suffix) is refused too', async () => {
    const sub = newSub();
    idp.addAccount(sub, `x-${randomUUID().slice(0, 8)}@evil-salesmind.test`);
    expect((await signInWithSso(sub)).landed.search).toBe('?sso=domain_not_allowed');
  });

  test('an unverified email is refused', async () => {
    const sub = newSub();
    const email = staffEmail();
    idp.addAccount(sub, email, false);
    const { landed } = await signInWithSso(sub);
    expect(landed.search).toBe('?sso=email_not_verified');
    expect(await t.db.query(`SELECT 1 FROM users WHERE email = $1`, [email])).toEqual([]);
    expect((await refusals('email_not_verified')).map((r) => r.actor_email)).toContain(email);
  });
});

describe('what an attacker or a broken provider sends is refused', () => {
  /** Runs a login up to the provider's redirect back to the app, without following it. */
  async function upToCallback(sub: string, browser = new Browser()): Promise<{ browser: Browser; callback: URL }> {
    idp.nextAccount = sub;
    const callback = await browser.navigate(
      `${t.url}/api/auth/oidc/start`,
      (u) => u.pathname === '/api/auth/oidc/callback',
    );
    expect(callback.searchParams.get('code')).toBeTruthy();
    return { browser, callback };
  }

  const staffAccount = () => {
    const sub = newSub();
    idp.addAccount(sub, staffEmail());
    return sub;
  };

  test('a wrong state is refused, and the login it belonged to cannot be finished afterwards', async () => {
    const { browser, callback } = await upToCallback(staffAccount());
    const forged = new URL(callback);
    forged.searchParams.set('state', 'state-of-another-login');
    expect((await browser.navigate(forged.href)).search).toBe('?sso=state_mismatch');
    expect((await browser.navigate(callback.href)).search).toBe('?sso=not_started');
    expect(browser.cookie(appOrigin, 'mv_session')).toBeUndefined();
    expect((await refusals('state_mismatch')).length).toBeGreaterThan(0);
  });

  test('an ID token whose nonce is not this login’s is refused', async () => {
    idp.tamperNonce = true;
    const sub = staffAccount();
    const { browser, landed } = await signInWithSso(sub);
    expect(landed.search).toBe('?sso=nonce_mismatch');
    expect(browser.cookie(appOrigin, 'mv_session')).toBeUndefined();
  });

  test('an expired code is refused', async () => {
    const { browser, callback } = await upToCallback(staffAccount());
    idp.codeTtl = 1;
    try {
      const fresh = await upToCallback(staffAccount());
      await new Promise((r) => setTimeout(r, 2100));
      expect((await fresh.browser.navigate(fresh.callback.href)).search).toBe('?sso=code_rejected');
    } finally {
      idp.codeTtl = 60;
    }
    // The first login, with a code that was still young, is unaffected.
    expect((await browser.navigate(callback.href)).pathname).toBe('/');
  });

  test('a used code is refused: the same callback again, and the code pasted into a new login', async () => {
    const { browser, callback } = await upToCallback(staffAccount());
    expect((await browser.navigate(callback.href)).pathname).toBe('/');
    expect((await browser.navigate(callback.href)).search).toBe('?sso=not_started');

    const attacker = await upToCallback(staffAccount());
    const replay = new URL(attacker.callback);
    replay.searchParams.set('code', callback.searchParams.get('code')!);
    expect((await attacker.browser.navigate(replay.href)).search).toBe('?sso=code_rejected');
    expect(attacker.browser.cookie(appOrigin, 'mv_session')).toBeUndefined();
  });

  test('a callback in a browser that did not start the login (no cookie) is refused', async () => {
    const { callback } = await upToCallback(staffAccount());
    const other = new Browser();
    expect((await other.navigate(callback.href)).search).toBe('?sso=not_started');
  });

  test('an error from the provider (access denied) is refused and audited', async () => {
    const browser = new Browser();
    const started = await browser.navigate(`${t.url}/api/auth/oidc/start`, (u) => u.origin === idp.issuer);
    const denied = new URL('/api/auth/oidc/callback', t.url);
    denied.searchParams.set('error', 'access_denied');
    denied.searchParams.set('state', started.searchParams.get('state')!);
    denied.searchParams.set('iss', idp.issuer);
    expect((await browser.navigate(denied.href)).search).toBe('?sso=provider_error');
  });
});

describe('an account removed at the identity provider', () => {
  test('back-channel logout ends its SSO sessions at its next request; others stay; audited', async () => {
    const sub = newSub();
    idp.addAccount(sub, staffEmail());
    const laptop = (await signInWithSso(sub)).browser.appClient();
    const phone = (await signInWithSso(sub)).browser.appClient();
    const otherSub = newSub();
    idp.addAccount(otherSub, staffEmail());
    const colleague = (await signInWithSso(otherSub)).browser.appClient();
    const passwordStaff = await t.staff();
    const userId = (await laptop.get('/api/auth/me')).body.id;
    expect((await phone.get('/api/auth/me')).status).toBe(200);

    await idp.removeAccount(sub);
    expect(idp.logouts.at(-1)).toEqual({ accountId: sub, ok: true });
    expect((await laptop.get('/api/auth/me')).status).toBe(401);
    expect((await phone.get('/api/auth/me')).status).toBe(401);
    expect((await colleague.get('/api/auth/me')).status).toBe(200);
    expect((await passwordStaff.get('/api/auth/me')).status).toBe(200);
    // And it can't come back through the provider.
    expect((await signInWithSso(sub)).landed.search).toBe('?sso=provider_error');

    const audit = await t.db.query(
      `SELECT actor_kind, metadata FROM audit_events WHERE action = 'auth.oidc.logged_out' AND target_id = $1`,
      [userId],
    );
    expect(audit).toEqual([
      { actor_kind: 'system', metadata: { issuer: idp.issuer, subject: sub, sid: null, ended: 2 } },
    ]);
  });

  test('a logout naming one provider session (sid) ends only the session signed in through it', async () => {
    const sub = newSub();
    idp.addAccount(sub, staffEmail());
    const laptop = (await signInWithSso(sub)).browser.appClient();
    const phone = (await signInWithSso(sub)).browser.appClient();
    const userId = (await laptop.get('/api/auth/me')).body.id;
    const sids: Array<{ oidc_sid: string }> = await t.db.query(
      `SELECT oidc_sid FROM sessions WHERE user_id = $1 ORDER BY created_at`,
      [userId],
    );
    expect(sids).toHaveLength(2);
    expect(sids[0]!.oidc_sid).toBeTruthy();
    expect(sids[0]!.oidc_sid).not.toBe(sids[1]!.oidc_sid);
    await idp.logoutSession(sub, sids[1]!.oidc_sid);
    expect((await phone.get('/api/auth/me')).status).toBe(401);
    expect((await laptop.get('/api/auth/me')).status).toBe(200);
  });

  const logoutToken = async (claims: Record<string, unknown>, key?: SigningKey) => {
    const signing = key ?? (await generateKeyPair('RS256')).privateKey;
    return new SignJWT({ events: { 'http://schemas.openid.net/event/backchannel-logout': {} }, ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: 'idp-test-1' })
      .setIssuer(idp.issuer)
      .setAudience(idp.clientId)
      .setIssuedAt()
      .setJti(randomUUID())
      .sign(signing);
  };
  const post = (body: string) =>
    fetch(`${t.url}/api/auth/oidc/backchannel-logout`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });

  test('a logout token not signed by the provider, or malformed, or missing is a 400 and ends nothing', async () => {
    const sub = newSub();
    idp.addAccount(sub, staffEmail());
    const session = (await signInWithSso(sub)).browser.appClient();
    const forged = await post(new URLSearchParams({ logout_token: await logoutToken({ sub }) }).toString());
    expect(forged.status).toBe(400);
    expect(JSON.stringify(await forged.json())).toMatch(/signature does not match/);
    expect((await post('logout_token=not-a-jwt')).status).toBe(400);
    expect((await post('other=1')).status).toBe(400);
    expect((await session.get('/api/auth/me')).status).toBe(200);
    // Anywhere else a form body is still a 415.
    const form = await fetch(`${t.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'email=a@b.test&password=x',
    });
    expect(form.status).toBe(415);
  });

  test('a provider-signed token is accepted once; an ID token (with a nonce) is not a logout token', async () => {
    const sub = newSub();
    idp.addAccount(sub, staffEmail());
    const session = (await signInWithSso(sub)).browser.appClient();
    // The provider's own key signs these, as the provider would.
    const providerKey = await idpSigningKey();
    const withNonce = await logoutToken({ sub, nonce: 'n' }, providerKey);
    expect((await post(new URLSearchParams({ logout_token: withNonce }).toString())).status).toBe(400);
    expect((await session.get('/api/auth/me')).status).toBe(200);
    const token = await logoutToken({ sub }, providerKey);
    expect((await post(new URLSearchParams({ logout_token: token }).toString())).status).toBe(200);
    expect((await session.get('/api/auth/me')).status).toBe(401);
    const replay = await post(new URLSearchParams({ logout_token: token }).toString());
    expect(replay.status).toBe(400);
  });
});

/** The provider's private signing key, as a SigningKey (the test stands in for the provider's own signing). */
async function idpSigningKey(): Promise<SigningKey> {
  return (await importJWK(idp.signingJwk, 'RS256')) as SigningKey;
}

describe('starting a login', () => {
  test('one address may start 120 a minute: the next is a 429 with Retry-After and writes no login state', async () => {
    const own = await startTestApp({
      OIDC_ISSUER: idp.issuer,
      OIDC_CLIENT_ID: idp.clientId,
      OIDC_CLIENT_SECRET: idp.clientSecret,
      OIDC_STAFF_DOMAINS: 'salesmind.test',
    });
    try {
      const states = async () => Number((await own.db.query(`SELECT count(*) FROM oidc_login_states`))[0].count);
      const before = await states();
      const answers: number[] = [];
      for (let i = 0; i < OIDC_STARTS_PER_MINUTE; i++) {
        answers.push((await own.client().get('/api/auth/oidc/start')).status);
      }
      // The 20 may straddle a minute boundary; the window is a fixed minute, so try again then.
      let refused = await own.client().get('/api/auth/oidc/start');
      if (refused.status === 302) {
        for (let i = 0; i < OIDC_STARTS_PER_MINUTE && refused.status === 302; i++) {
          refused = await own.client().get('/api/auth/oidc/start');
        }
      }
      expect(answers.every((s) => s === 302)).toBe(true);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(refused.body.message).toMatch(/Too many single sign-on attempts from this address\. Wait \d+ seconds/);
      expect((await states()) - before).toBeLessThanOrEqual(2 * OIDC_STARTS_PER_MINUTE);
      const afterRefusal = await states();
      expect((await own.client().get('/api/auth/oidc/start')).status).toBe(429);
      expect(await states()).toBe(afterRefusal);
    } finally {
      await own.close();
    }
  });
});

describe('configuration', () => {
  const base = { NODE_ENV: 'test', DATABASE_URL: 'postgres://x@localhost/x' };
  const full = {
    OIDC_ISSUER: 'https://login.example.com',
    OIDC_CLIENT_ID: 'vault',
    OIDC_CLIENT_SECRET: 'super-secret-value-1',
    OIDC_STAFF_DOMAINS: 'Example.com, ops.example.com',
  };
  const problems = (env: Record<string, string>): string => {
    try {
      loadConfig({ ...base, ...env });
    } catch (err) {
      if (err instanceof ConfigError) return err.message;
      throw err;
    }
    return '';
  };

  test('all four or none; the domains are lower-cased; the secret prints as [redacted]', () => {
    expect(loadConfig(base).oidc).toBeNull();
    const config = loadConfig({ ...base, ...full });
    expect(config.oidc).toMatchObject({
      issuer: 'https://login.example.com',
      staffDomains: ['example.com', 'ops.example.com'],
    });
    expect(JSON.stringify(config)).not.toContain('super-secret-value-1');
    const partial = problems({ OIDC_ISSUER: full.OIDC_ISSUER, OIDC_CLIENT_SECRET: full.OIDC_CLIENT_SECRET });
    expect(partial).toMatch(/OIDC_CLIENT_ID, OIDC_STAFF_DOMAINS: staff single sign-on needs all of/);
    expect(partial).not.toContain('super-secret-value-1');
  });

  test('http:// issuers only under NODE_ENV=test; domains must be domains', () => {
    const http = { ...full, OIDC_ISSUER: 'http://login.example.com' };
    expect(problems(http)).toBe('');
    expect(problems({ ...http, NODE_ENV: 'production' })).toMatch(/OIDC_ISSUER: must be an https:\/\/ URL/);
    expect(problems({ ...full, OIDC_STAFF_DOMAINS: 'example.com, @bad, ' })).toMatch(/not a domain: "@bad"/);
    expect(problems({ ...full, OIDC_STAFF_DOMAINS: ' , ' })).toMatch(/OIDC_STAFF_DOMAINS: must be email domains/);
  });

  test('without SSO set up, the login page is told so and the routes are 404', async () => {
    const plain = await startTestApp();
    try {
      expect((await plain.client().get('/api/auth/oidc/config')).body).toEqual({ enabled: false });
      expect((await plain.client().get('/api/auth/oidc/start')).status).toBe(404);
      const logout = await fetch(`${plain.url}/api/auth/oidc/backchannel-logout`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'logout_token=eyJ.eyJ.sig',
      });
      expect(logout.status).toBe(404);
    } finally {
      await plain.close();
    }
  });
});

describe('two-factor sign-in and SSO', () => {
  test('REQUIRE_STAFF_MFA: the identity provider is the second factor; a password-only staff session is held at enrolment', async () => {
    const strict = await startTestApp({
      REQUIRE_STAFF_MFA: 'true',
      OIDC_ISSUER: idp.issuer,
      OIDC_CLIENT_ID: idp.clientId,
      OIDC_CLIENT_SECRET: idp.clientSecret,
      OIDC_STAFF_DOMAINS: 'salesmind.test',
    });
    const previousOrigin = appOrigin;
    try {
      appOrigin = strict.url;
      await idp.registerClient(strict.url);
      const sub = newSub();
      idp.addAccount(sub, staffEmail());
      idp.nextAccount = sub;
      const browser = new Browser();
      expect((await browser.navigate(`${strict.url}/api/auth/oidc/start`)).pathname).toBe('/');
      const sso = new Client(strict.url);
      sso.setCookie('mv_session', browser.cookie(strict.url, 'mv_session')!);
      expect((await sso.get('/api/staff/integrations')).status).toBe(200);
      const password = await strict.staff();
      const blocked = await password.get('/api/staff/integrations');
      expect(blocked.status).toBe(403);
      expect(blocked.body.code).toBe('mfa_enrolment_required');
    } finally {
      appOrigin = previousOrigin;
      await idp.registerClient(t.url);
      await strict.close();
    }
  });
});
