import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';

/** A workspace as `GET /me` describes it (../shared/INTERCOM-API.md). */
export interface StandInWorkspace {
  id_code: string;
  name: string;
  region: string;
  identity_verification: boolean;
}

export type StandInFault = 'none' | 'server_error' | 'slow' | 'drop';

/**
 * A stand-in for Intercom's REST API over real HTTP, answering `GET /me` as INTERCOM-API.md
 * describes: Bearer tokens, `Intercom-Version`, rate-limit headers, and the error envelope
 * `{type: "error.list", request_id, errors: [{code, message}]}`. Intercom itself is out of reach
 * from tests; only this side is a stand-in, the product's client is the real one.
 */
export class IntercomStandIn {
  private server!: Server;
  readonly tokens = new Map<string, StandInWorkspace>();
  readonly requests: Array<{ method: string; url: string; headers: IncomingHttpHeaders }> = [];
  fault: StandInFault = 'none';
  url = '';

  /** A fresh token for a workspace, as Intercom's Developer Hub would show it. */
  issue(workspace: StandInWorkspace): string {
    const token = `dG9rOi${randomBytes(24).toString('base64url')}`;
    this.tokens.set(token, workspace);
    return token;
  }

  revoke(token: string): void {
    this.tokens.delete(token);
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      this.requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
      req.resume();
      if (this.fault === 'drop') return req.socket.destroy();
      if (this.fault === 'slow') return; // never answers; the caller's timeout must end it
      const requestId = `req_${randomBytes(8).toString('hex')}`;
      const send = (status: number, body: unknown) =>
        res
          .writeHead(status, {
            'content-type': 'application/json; charset=utf-8',
            'x-request-id': requestId,
            'x-ratelimit-limit': '10000',
            'x-ratelimit-remaining': '9999',
            'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 10),
            'intercom-version': String(req.headers['intercom-version'] ?? '2.11'),
          })
          .end(JSON.stringify(body));
      const error = (status: number, code: string, message: string) =>
        send(status, { type: 'error.list', request_id: requestId, errors: [{ code, message }] });

      if (this.fault === 'server_error') return error(500, 'server_error', 'Server Error');
      const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
      const workspace = auth ? this.tokens.get(auth[1]!) : undefined;
      if (!workspace) return error(401, 'unauthorized', 'Access Token Invalid');
      if (req.method === 'GET' && req.url === '/me') {
        return send(200, {
          type: 'admin',
          id: '991267',
          name: 'Ada Admin',
          email: 'ada@example.com',
          email_verified: true,
          app: {
            type: 'app',
            ...workspace,
            timezone: 'Europe/Dublin',
            created_at: 1_700_000_000,
          },
        });
      }
      return error(404, 'not_found', 'Resource Not Found');
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
