// A real OpenID Provider (`oidc-provider`, the certified implementation) for the tests, in-process
// on a random port over http: authorization code + PKCE, ID tokens signed with its own RSA key,
// userinfo, back-channel logout. Sign-in at the provider is automatic: the account the test names
// in `idp.nextAccount` is signed in and consents, as a person clicking through would.
// Knobs make it misbehave the way an attacker or a broken provider would.
import { generateKeyPair, exportJWK } from 'jose';
import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';
import Provider from 'oidc-provider';

/** oidc-provider's storage interface, in memory: lets the test register the client once the app's port is known. */
function memoryAdapter() {
  const stores = new Map();
  return class MemoryAdapter {
    constructor(name) {
      if (!stores.has(name)) stores.set(name, new Map());
      this.store = stores.get(name);
    }
    async upsert(id, payload) {
      this.store.set(id, { ...payload });
    }
    async find(id) {
      return this.store.get(id);
    }
    async findByUserCode() {
      return undefined;
    }
    async findByUid(uid) {
      for (const value of this.store.values()) if (value.uid === uid) return value;
      return undefined;
    }
    async consume(id) {
      const value = this.store.get(id);
      if (value) value.consumed = Math.floor(Date.now() / 1000);
    }
    async destroy(id) {
      this.store.delete(id);
    }
    async revokeByGrantId(grantId) {
      for (const [id, value] of this.store) if (value.grantId === grantId) this.store.delete(id);
    }
  };
}

export async function startIdp() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: 'idp-test-1', alg: 'RS256', use: 'sig' };
  const Adapter = memoryAdapter();

  const idp = {
    issuer,
    /** The provider's private signing key (JWK), for tests that forge what only the provider could sign. */
    signingJwk: jwk,
    clientId: 'messenger-vault',
    clientSecret: randomBytes(24).toString('base64url'),
    /** sub → { email, email_verified } */
    accounts: new Map(),
    /** The account that "types its password" at the next interaction. */
    nextAccount: null,
    /** Replace the nonce of the next authorization request (a code minted for another login). */
    tamperNonce: false,
    /** Seconds an authorization code lives. */
    codeTtl: 60,
    /** Logout tokens the provider sent, with the answer it got. */
    logouts: [],
    provider: null,
    async registerClient(appUrl) {
      // The provider calls the back channel itself: Node resolves "localhost" to ::1 first, and the
      // app listens on IPv4; the browser's redirect URI keeps the origin the browser uses.
      const backchannel = new URL('/api/auth/oidc/backchannel-logout', appUrl);
      if (backchannel.hostname === 'localhost') backchannel.hostname = '127.0.0.1';
      await new Adapter('Client').upsert(this.clientId, {
        client_id: this.clientId,
        client_secret: this.clientSecret,
        redirect_uris: [`${appUrl}/api/auth/oidc/callback`],
        backchannel_logout_uri: backchannel.href,
        // ID tokens carry the provider's session id (sid), so one provider session can be logged out.
        backchannel_logout_session_required: true,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      });
    },
    addAccount(sub, email, emailVerified = true) {
      this.accounts.set(sub, { email, email_verified: emailVerified });
    },
    /** The account is deleted at the provider, which tells the app over the back channel. */
    async removeAccount(sub) {
      this.accounts.delete(sub);
      const client = await this.provider.Client.find(this.clientId);
      try {
        await client.backchannelLogout(sub);
        this.logouts.push({ accountId: sub, ok: true });
      } catch (err) {
        this.logouts.push({ accountId: sub, ok: false, err: String(err) });
      }
    },
    /** The person signs out of one provider session: the provider names that session (sid). */
    async logoutSession(sub, sid) {
      const client = await this.provider.Client.find(this.clientId);
      await client.backchannelLogout(sub, sid);
    },
    async close() {
      server.closeAllConnections?.();
      await new Promise((resolve) => server.close(resolve));
    },
  };

  const provider = new Provider(issuer, {
    adapter: Adapter,
    // The provider refuses to call loopback addresses (SSRF protection); here the app it calls
    // back (back-channel logout) is on this machine on purpose.
    fetch: (url, { dispatcher: _loopbackRefused, ...options }) => fetch(url, options),
    jwks: { keys: [jwk] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    scopes: ['openid', 'email', 'profile'],
    features: { devInteractions: { enabled: false }, backchannelLogout: { enabled: true } },
    pkce: { required: () => true },
    ttl: {
      AuthorizationCode: () => idp.codeTtl,
      IdToken: 3600,
      AccessToken: 3600,
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
    },
    async findAccount(_ctx, sub) {
      const account = idp.accounts.get(sub);
      if (!account) return undefined;
      return { accountId: sub, claims: async () => ({ sub, ...account }) };
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    async loadExistingGrant(ctx) {
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client.clientId,
        accountId: ctx.oidc.session.accountId,
      });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
  });
  idp.provider = provider;

  provider.use(async (ctx, next) => {
    if (ctx.path === '/auth' && idp.tamperNonce && ctx.query.nonce) {
      idp.tamperNonce = false;
      const url = new URL(ctx.url, issuer);
      url.searchParams.set('nonce', 'a-nonce-from-another-login');
      ctx.url = `${url.pathname}${url.search}`;
    }
    const interaction = /^\/interaction\/([\w-]+)$/.exec(ctx.path);
    if (interaction) {
      const details = await provider.interactionDetails(ctx.req, ctx.res);
      // An account the provider does not know (removed) is turned away, as a login form would.
      const result = !idp.accounts.has(idp.nextAccount)
        ? { error: 'access_denied', error_description: 'No such account.' }
        : details.prompt.name === 'login'
          ? { login: { accountId: idp.nextAccount } }
          : { consent: {} };
      ctx.redirect(await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: false }));
      return;
    }
    await next();
  });

  server.on('request', provider.callback());
  return idp;
}
