// A stand-in for Intercom's `GET /me` over real HTTP, as ../shared/INTERCOM-API.md describes it
// (Bearer token, error envelope). The API's own tests use apps/api/test/intercom-stand-in.ts;
// this is its small twin for the browser tests, which run as plain Node.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';

export async function startIntercomStandIn(workspace) {
  const token = `dG9rOi${randomBytes(24).toString('base64url')}`;
  const server = createServer((req, res) => {
    req.resume();
    const json = (status, body) =>
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
    if (req.headers.authorization !== `Bearer ${token}`) {
      return json(401, {
        type: 'error.list',
        request_id: randomBytes(8).toString('hex'),
        errors: [{ code: 'unauthorized', message: 'Access Token Invalid' }],
      });
    }
    if (req.url !== '/me')
      return json(404, { type: 'error.list', errors: [{ code: 'not_found', message: 'Not Found' }] });
    return json(200, {
      type: 'admin',
      id: '1',
      name: 'E2E Admin',
      email: 'e2e@example.com',
      email_verified: true,
      app: { type: 'app', ...workspace, timezone: 'Europe/Dublin', created_at: 1_700_000_000 },
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    token,
    stop: () => new Promise((resolve) => (server.closeAllConnections(), server.close(resolve))),
  };
}
