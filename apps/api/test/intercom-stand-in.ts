import { randomBytes } from 'node:crypto';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';

/** A workspace as `GET /me` describes it (../shared/INTERCOM-API.md). */
export interface StandInWorkspace {
  id_code: string;
  name: string;
  region: string;
  identity_verification: boolean;
}

/** A fault for every request (kept for the connection tests). */
export type StandInFault = 'none' | 'server_error' | 'slow' | 'drop';

/**
 * A fault for matching requests only, used `times` times (default once):
 * - `drop`: the connection is closed before the request is handled;
 * - `drop_after`: the request IS handled (a secret is created or deleted) and then the
 *   connection is closed without an answer — "created but the response lost";
 * - `rate_limit`: 429 with `X-RateLimit-Remaining: 0` and `X-RateLimit-Reset` `resetInSeconds` ahead;
 * - `server_error`: 500 (or `status`, e.g. 502/503);
 * - `slow`: answers normally after `delayMs`, or never when `delayMs` is unset;
 * - `unauthorized` / `forbidden`: 401 / 403 as Intercom answers a revoked token / a missing scope.
 */
export interface StandInRule {
  method?: string;
  /** Exact path or a pattern, matched against the path without the query. */
  path?: string | RegExp;
  fault: 'drop' | 'drop_after' | 'rate_limit' | 'server_error' | 'slow' | 'unauthorized' | 'forbidden';
  times?: number;
  resetInSeconds?: number;
  delayMs?: number;
  status?: number;
}

/** An identity verification secret as the stand-in keeps it; `secret` is never listed. */
export interface StandInSecret {
  type: 'identity_verification_secret';
  id: string;
  name: string;
  supports_web: boolean;
  supports_ios: boolean;
  supports_android: boolean;
  created_at: number;
  secret: string;
}

export const ALL_SCOPES = ['read_admins', 'read_secure_mode_secret', 'write_secure_mode_secret'] as const;

interface TokenGrant {
  workspace: StandInWorkspace;
  scopes: Set<string>;
}

const SECRETS_PATH = '/secure_mode_secrets';

/**
 * A stand-in for Intercom's REST API over real HTTP, answering as INTERCOM-API.md describes:
 * Bearer tokens with scopes, `Intercom-Version` (the secrets endpoints only in `Preview`),
 * rate-limit headers, the list envelope `{type: "list", data}`, the error envelope
 * `{type: "error.list", request_id, errors: [{code, message}]}`, and a secret's value shown in
 * the create response only. Intercom itself is out of reach from tests; only this side is a
 * stand-in, the product's client is the real one. tests/e2e/support/intercom-stand-in.mjs is its
 * plain-Node twin; keep the two answering alike.
 */
export class IntercomStandIn {
  private server!: Server;
  private nextId = 7_000_001;
  readonly tokens = new Map<string, StandInWorkspace>();
  private readonly grants = new Map<string, TokenGrant>();
  /** Live secrets per workspace `id_code`, in creation order. */
  readonly secrets = new Map<string, StandInSecret[]>();
  /** Every secret ever deleted, with the workspace it belonged to. */
  readonly deleted: Array<{ appId: string; secret: StandInSecret }> = [];
  readonly requests: Array<{ method: string; url: string; headers: IncomingHttpHeaders; body: string }> = [];
  readonly rules: StandInRule[] = [];
  fault: StandInFault = 'none';
  url = '';

  /** A fresh token for a workspace, as Intercom's Developer Hub would show it. */
  issue(workspace: StandInWorkspace, scopes: readonly string[] = ALL_SCOPES): string {
    const token = `dG9rOi${randomBytes(24).toString('base64url')}`;
    this.tokens.set(token, workspace);
    this.grants.set(token, { workspace, scopes: new Set(scopes) });
    return token;
  }

  revoke(token: string): void {
    this.tokens.delete(token);
    this.grants.delete(token);
  }

  /** Adds a fault for matching requests; see {@link StandInRule}. */
  inject(rule: StandInRule): void {
    this.rules.push({ times: 1, ...rule });
  }

  /** Puts a secret in a workspace as if an admin had made it in Intercom's dashboard. */
  addSecret(
    appId: string,
    fields: {
      name: string;
      supports_web?: boolean;
      supports_ios?: boolean;
      supports_android?: boolean;
      secret?: string;
    },
  ): StandInSecret {
    const secret: StandInSecret = {
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
  liveSecrets(appId: string): StandInSecret[] {
    let list = this.secrets.get(appId);
    if (!list) this.secrets.set(appId, (list = []));
    return list;
  }

  reset(): void {
    this.fault = 'none';
    this.rules.length = 0;
  }

  private takeRule(method: string, path: string): StandInRule | undefined {
    const index = this.rules.findIndex(
      (r) =>
        (!r.method || r.method === method) &&
        (!r.path || (typeof r.path === 'string' ? r.path === path : r.path.test(path))),
    );
    if (index < 0) return undefined;
    const rule = this.rules[index]!;
    rule.times = (rule.times ?? 1) - 1;
    if (rule.times <= 0) this.rules.splice(index, 1);
    return rule;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => void this.handle(req, res, Buffer.concat(chunks).toString('utf8')));
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse, body: string): Promise<void> {
    const method = req.method ?? '';
    const path = (req.url ?? '').split('?')[0]!;
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
    const send = (status: number, payload: unknown) => {
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
    const error = (status: number, code: string, message: string) =>
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
        let fields: Record<string, unknown>;
        try {
          fields = JSON.parse(body || '{}') as Record<string, unknown>;
        } catch {
          return error(400, 'parameter_invalid', 'Request body is not valid JSON');
        }
        if (typeof fields.name !== 'string' || fields.name === '') {
          return error(400, 'parameter_not_found', 'name is required');
        }
        const platforms = ['supports_web', 'supports_ios', 'supports_android'] as const;
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
        const index = list.findIndex((s) => s.id === decodeURIComponent(match[1]!));
        if (index < 0) return error(404, 'not_found', 'Resource Not Found');
        const [gone] = list.splice(index, 1);
        this.deleted.push({ appId: workspace.id_code, secret: gone! });
        const { secret: _omit, ...meta } = gone!;
        return send(200, meta);
      }
    }
    return error(404, 'not_found', 'Resource Not Found');
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
