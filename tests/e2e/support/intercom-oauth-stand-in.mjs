// Intercom's OAuth side for the browser tests, the plain-Node twin of
// apps/api/test/intercom-oauth-stand-in.ts: `GET /oauth` sends the browser straight back to
// `redirect_uri` with a code and the same state (as if the person approved), `POST
// /auth/eagle/token` trades a code once for a token of the REST stand-in (`standIn.issue`).
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';

export async function startIntercomOAuthStandIn(standIn, { clientId, clientSecret, workspace }) {
  const codes = new Map();
  const issued = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://stand-in');
      const json = (status, body) =>
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
      const error = (status, code, message) =>
        json(status, { type: 'error.list', request_id: randomBytes(8).toString('hex'), errors: [{ code, message }] });
      if (req.method === 'GET' && url.pathname === '/oauth') {
        const redirect = url.searchParams.get('redirect_uri');
        if (url.searchParams.get('client_id') !== clientId || !redirect)
          return error(400, 'parameter_invalid', 'Unknown client or redirect');
        const code = randomBytes(16).toString('hex');
        codes.set(code, workspace);
        const back = new URL(redirect);
        back.searchParams.set('code', code);
        back.searchParams.set('state', url.searchParams.get('state') ?? '');
        return res.writeHead(302, { location: back.toString() }).end();
      }
      if (req.method === 'POST' && url.pathname === '/auth/eagle/token') {
        const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
        if (form.get('client_id') !== clientId || form.get('client_secret') !== clientSecret)
          return error(401, 'unauthorized', 'Client authentication failed');
        const ws = codes.get(form.get('code') ?? '');
        codes.delete(form.get('code') ?? '');
        if (!ws) return error(400, 'invalid_grant', 'The authorization code is invalid or expired');
        const token = standIn.issue(ws);
        issued.push(token);
        return json(200, { token_type: 'Bearer', token, access_token: token });
      }
      return error(404, 'not_found', 'Resource Not Found');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    issued,
    stop: () => new Promise((resolve) => (server.closeAllConnections(), server.close(resolve))),
  };
}
