import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { IntercomStandIn, StandInWorkspace } from './intercom-stand-in';

/**
 * A stand-in for Intercom's OAuth side, as "Setting up OAuth" describes it: `GET /oauth`
 * (`client_id`, `state`, `redirect_uri`) sends the browser back to `redirect_uri` with `code` and
 * the same `state`, as if the person approved; `POST /auth/eagle/token` (form-encoded `code`,
 * `client_id`, `client_secret`) trades a code once for `{token_type, token, access_token}`. The
 * tokens it hands out are the REST stand-in's own, so GET /me answers for them.
 */
export class IntercomOAuthStandIn {
  private server!: Server;
  private readonly codes = new Map<string, StandInWorkspace>();
  readonly requests: Array<{ method: string; url: string; body: string }> = [];
  readonly issued: string[] = [];
  /** Whose workspace the next person to reach `GET /oauth` approves. */
  approving: StandInWorkspace | null = null;
  /** Answer the token endpoint with this status instead (e.g. 500, 503). */
  tokenFault: number | null = null;
  url = '';

  constructor(
    private readonly api: IntercomStandIn,
    readonly clientId: string,
    readonly clientSecret: string,
  ) {}

  /** A code as Intercom would put on the redirect after the person approved `workspace`. */
  codeFor(workspace: StandInWorkspace): string {
    const code = randomBytes(16).toString('hex');
    this.codes.set(code, workspace);
    return code;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        this.requests.push({ method: req.method ?? '', url: req.url ?? '', body });
        const url = new URL(req.url ?? '/', 'http://stand-in');
        const json = (status: number, payload: unknown) =>
          res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(payload));
        const error = (status: number, code: string, message: string) =>
          json(status, { type: 'error.list', request_id: randomBytes(8).toString('hex'), errors: [{ code, message }] });

        if (req.method === 'GET' && url.pathname === '/oauth') {
          const redirect = url.searchParams.get('redirect_uri');
          if (url.searchParams.get('client_id') !== this.clientId || !redirect || !this.approving)
            return error(400, 'parameter_invalid', 'Unknown client or redirect');
          const back = new URL(redirect);
          back.searchParams.set('code', this.codeFor(this.approving));
          back.searchParams.set('state', url.searchParams.get('state') ?? '');
          return res.writeHead(302, { location: back.toString() }).end();
        }
        if (req.method === 'POST' && url.pathname === '/auth/eagle/token') {
          if (this.tokenFault) return error(this.tokenFault, 'server_error', 'Server Error');
          const form = new URLSearchParams(body);
          if (form.get('client_id') !== this.clientId || form.get('client_secret') !== this.clientSecret)
            return error(401, 'unauthorized', 'Client authentication failed');
          const code = form.get('code') ?? '';
          const workspace = this.codes.get(code);
          this.codes.delete(code);
          if (!workspace) return error(400, 'invalid_grant', 'The authorization code is invalid or expired');
          const token = this.api.issue(workspace);
          this.issued.push(token);
          return json(200, { token_type: 'Bearer', token, access_token: token });
        }
        return error(404, 'not_found', 'Resource Not Found');
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
