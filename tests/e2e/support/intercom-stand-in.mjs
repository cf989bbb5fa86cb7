// A stand-in for Intercom's REST API over real HTTP, as ../shared/INTERCOM-API.md describes it.
// The API's own tests use apps/api/test/intercom-stand-in.ts; this is its plain-Node twin for the
// browser and chaos tests. Faults (`inject({method, path, fault, times, resetInSeconds, delayMs})`):
// drop, drop_after (handled, then the answer is lost), rate_limit (429 + X-RateLimit-Reset),
// server_error, slow, unauthorized (401), forbidden (403 missing scope).
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';

export const ALL_SCOPES = ['read_admins', 'read_secure_mode_secret', 'write_secure_mode_secret'];

const SECRETS_PATH = '/secure_mode_secrets';

/**
 * A stand-in for Intercom's REST API over real HTTP, answering as INTERCOM-API.md describes:
 * Bearer tokens with scopes, `Intercom-Version` (the secrets endpoints only in `Preview`),
 * rate-limit headers, the list envelope `{type: "list", data}`, the error envelope
 * `{type: "error.list", request_id, errors: [{code, message}]}`, and a secret's value shown in
 * the create response only. Intercom itself is out of reach from tests; only this side is a
 * stand-in, the product's client is the real one. This is the plain-Node copy of the
 * TypeScript twin (apps/api/test/intercom-stand-in.ts); keep the two answering alike.
 */
export class IntercomStandIn {
  server;
  nextId = 7_000_001;
  tokens = new Map();
  grants = new Map();
  /** Live secrets per workspace `id_code`, in creation order. */
  secrets = new Map();
  /** Every secret ever deleted, with the workspace it belonged to. */
  deleted = [];
  requests = [];
  rules = [];
  fault = 'none';
  url = '';

  /** A fresh token for a workspace, as Intercom's Developer Hub would show it. */
  issue(workspace, scopes = ALL_SCOPES) {
    const token = `dG9rOi${randomBytes(24).toString('base64url')}`;
    this.tokens.set(token, workspace);
    this.grants.set(token, { workspace, scopes: new Set(scopes) });
    return token;
  }

  revoke(token) {
    this.tokens.delete(token);
    this.grants.delete(token);
  }

  /** Adds a fault for matching requests; see {@link StandInRule}. */
  inject(rule) {
    this.rules.push({ times: 1, ...rule });
  }

  /** Puts a secret in a workspace as if an admin had made it in Intercom's dashboard. */
  addSecret(appId, fields) {
    const secret = {
      type: 'identity_verification_secret',
      id: String(this.nextId++),
      name: fields.name,
      supports_web: fields.supports_web ?? false,
      supports_ios: fields.supports_ios ?? false,
      supports_android: fields.supports_android ?? false,
      created_at: Math.floor(Date.now() / 1000),
      secret: fields.secret ?? randomBytes(32).toString('hex'),
    };
    this.liveSecrets(appId).push(secret);
    return secret;
  }

  /** The live secrets of a workspace (values included, for assertions). */
  liveSecrets(appId) {
    let list = this.secrets.get(appId);
    if (!list) this.secrets.set(appId, (list = []));
    return list;
  }

  reset() {
    this.fault = 'none';
    this.rules.length = 0;
  }

  takeRule(method, path) {
    const index = this.rules.findIndex(
      (r) =>
        (!r.method || r.method === method) &&
        (!r.path || (typeof r.path === 'string' ? r.path === path : r.path.test(path))),
    );
    if (index < 0) return undefined;
    const rule = this.rules[index];
    rule.times = (rule.times ?? 1) - 1;
    if (rule.times <= 0) this.rules.splice(index, 1);
    return rule;
  }

  async start() {
    this.server = createServer((req, res) => {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => void this.handle(req, res, Buffer.concat(chunks).toString('utf8')));
    });
    await new Promise((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${this.server.address().port}`;
  }

  async handle(req, res, body) {
    const method = req.method ?? '';
    const path = (req.url ?? '').split('?')[0];
    this.requests.push({ method, url: req.url ?? '', headers: req.headers, body });
    if (this.fault === 'drop') return void req.socket.destroy();
    if (this.fault === 'slow') return; // never answers; the caller's timeout must end it
    const requestId = `req_${randomBytes(8).toString('hex')}`;
    let rateHeaders = {
      'x-ratelimit-limit': '10000',
      'x-ratelimit-remaining': '9999',
      'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 10),
    };
    let dropAfter = false;
    const send = (status, payload) => {
      if (dropAfter) return void req.socket.destroy();
      res
        .writeHead(status, {
          'content-type': 'application/json; charset=utf-8',
          'x-request-id': requestId,
          ...rateHeaders,
          'intercom-version': String(req.headers['intercom-version'] ?? '2.11'),
        })
        .end(JSON.stringify(payload));
    };
    const error = (status, code, message) =>
      send(status, { type: 'error.list', request_id: requestId, errors: [{ code, message }] });

    if (this.fault === 'server_error') return error(500, 'server_error', 'Server Error');
    const rule = this.takeRule(method, path);
    if (rule) {
      switch (rule.fault) {
        case 'drop':
          return void req.socket.destroy();
        case 'drop_after':
          dropAfter = true;
          break;
        case 'rate_limit':
          rateHeaders = {
            'x-ratelimit-limit': '10000',
            'x-ratelimit-remaining': '0',
            'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + (rule.resetInSeconds ?? 1)),
          };
          return error(429, 'rate_limit_exceeded', 'Exceeded rate limit of 10000 in 10_seconds');
        case 'server_error':
          return error(rule.status ?? 500, 'server_error', 'Server Error');
        case 'slow':
          if (rule.delayMs === undefined) return;
          await new Promise((r) => setTimeout(r, rule.delayMs));
          if (req.socket.destroyed) return;
          break;
        case 'unauthorized':
          return error(401, 'unauthorized', 'Access Token Invalid');
        case 'forbidden':
          return error(403, 'token_unauthorized', 'Access token does not have the required scope');
      }
    }

    const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
    const token = auth?.[1];
    // A token put straight into `tokens` (older tests) is granted every scope.
    const legacy = token && this.tokens.get(token);
    const grant = token
      ? (this.grants.get(token) ?? (legacy ? { workspace: legacy, scopes: new Set(ALL_SCOPES) } : undefined))
      : undefined;
    if (!grant) return error(401, 'unauthorized', 'Access Token Invalid');
    const workspace = grant.workspace;
    if (method === 'GET' && path === '/me') {
      return send(200, {
        type: 'admin',
        id: '991267',
        name: 'Ada Admin',
        email: 'ada@example.com',
        email_verified: true,
        app: { type: 'app', ...workspace, timezone: 'Europe/Dublin', created_at: 1_700_000_000 },
      });
    }
    if (path === SECRETS_PATH || path.startsWith(`${SECRETS_PATH}/`)) {
      // The rotation endpoints exist only in the Preview version.
      if (req.headers['intercom-version'] !== 'Preview') return error(404, 'not_found', 'Resource Not Found');
      const needs =
        method === 'GET' ? ['read_secure_mode_secret', 'write_secure_mode_secret'] : ['write_secure_mode_secret'];
      if (!needs.some((s) => grant.scopes.has(s))) {
        return error(403, 'token_unauthorized', `Access token does not have the required scope: ${needs.at(-1)}`);
      }
      const list = this.liveSecrets(workspace.id_code);
      if (method === 'GET' && path === SECRETS_PATH) {
        return send(200, { type: 'list', data: list.map(({ secret: _omit, ...meta }) => meta) });
      }
      if (method === 'POST' && path === SECRETS_PATH) {
        let fields;
        try {
          fields = JSON.parse(body || '{}');
        } catch {
          return error(400, 'parameter_invalid', 'Request body is not valid JSON');
        }
        if (typeof fields.name !== 'string' || fields.name === '') {
          return error(400, 'parameter_not_found', 'name is required');
        }
        const platforms = ['supports_web', 'supports_ios', 'supports_android'];
        if (platforms.some((p) => fields[p] !== undefined && typeof fields[p] !== 'boolean')) {
          return error(400, 'parameter_invalid', 'supports_* must be booleans');
        }
        if (!platforms.some((p) => fields[p] === true)) {
          return error(400, 'parameter_invalid', 'At least one platform must be supported');
        }
        const created = this.addSecret(workspace.id_code, {
          name: fields.name,
          supports_web: fields.supports_web === true,
          supports_ios: fields.supports_ios === true,
          supports_android: fields.supports_android === true,
        });
        return send(200, { ...created });
      }
      const match = /^\/secure_mode_secrets\/([^/]+)$/.exec(path);
      if (method === 'DELETE' && match) {
        const index = list.findIndex((s) => s.id === decodeURIComponent(match[1]));
        if (index < 0) return error(404, 'not_found', 'Resource Not Found');
        const [gone] = list.splice(index, 1);
        this.deleted.push({ appId: workspace.id_code, secret: gone });
        const { secret: _omit, ...meta } = gone;
        return send(200, meta);
      }
    }
    return error(404, 'not_found', 'Resource Not Found');
  }

  async stop() {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** Starts a stand-in with one workspace and a token for it (every scope). */
export async function startIntercomStandIn(workspace, scopes = ALL_SCOPES) {
  const standIn = new IntercomStandIn();
  await standIn.start();
  const token = standIn.issue(workspace, scopes);
  return { url: standIn.url, token, standIn, stop: () => standIn.stop() };
}
