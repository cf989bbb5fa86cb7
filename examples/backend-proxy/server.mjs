// A small backend that holds the Messenger Vault API key (Node 20+, no dependencies): it serves the
// web app, knows the signed-in user from its own session, and asks Messenger Vault for that user's
// token. Run: MESSENGER_VAULT_API_KEY=... STATIC_DIR=../web-app/dist node server.mjs
import { randomBytes } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';

const PORT = Number(process.env.PORT ?? 8080);
const VAULT_URL = process.env.MESSENGER_VAULT_URL ?? 'https://vault.example.com';
const API_KEY = process.env.MESSENGER_VAULT_API_KEY; // only ever here, on the server
const STATIC_DIR = resolve(process.env.STATIC_DIR ?? '../web-app/dist');
const PLATFORMS = new Set(['web', 'ios', 'android']);
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
};

if (!API_KEY) {
  console.error('Set MESSENGER_VAULT_API_KEY (API keys page of Messenger Vault).');
  process.exit(1);
}

// Your app has real sessions; this demo keeps signed-in users in memory, by an HttpOnly cookie.
const sessions = new Map();

function sessionUser(req) {
  const sid = /(?:^|;\s*)sid=([\w-]+)/.exec(req.headers.cookie ?? '')?.[1];
  return sid ? sessions.get(sid) : undefined;
}

function json(res, status, body, headers = {}) {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

async function readJson(req) {
  let raw = '';
  for await (const chunk of req) {
    raw += chunk;
    if (raw.length > 4096) throw new Error('body too large');
  }
  return raw ? JSON.parse(raw) : {};
}

async function intercomToken(req, res) {
  const user = sessionUser(req);
  if (!user) return json(res, 401, { code: 'unauthenticated', message: 'Sign in first.' });
  let body;
  try {
    body = await readJson(req);
  } catch {
    return json(res, 400, { code: 'bad_request', message: 'Send a small JSON body.' });
  }
  // The user comes from the session, never from the browser: a body naming someone else is refused.
  if (body.user_id !== undefined && body.user_id !== user.user_id) {
    return json(res, 403, { code: 'forbidden', message: 'That is not the signed-in user.' });
  }
  const platform = PLATFORMS.has(body.platform) ? body.platform : 'web';
  let answer;
  try {
    answer = await fetch(`${VAULT_URL}/v1/intercom/token`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${API_KEY}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ ...user, platform }),
      signal: AbortSignal.timeout(5000),
    });
  } catch (error) {
    console.error(`Messenger Vault unreachable: ${error.message}`);
    return json(res, 503, { code: 'token_service_unreachable', message: 'Try again shortly.' });
  }
  const result = await answer.json().catch(() => ({}));
  if (answer.ok) return json(res, 200, result); // {token, expires_at, app_id} or {user_hash, app_id}
  console.error(`Messenger Vault answered ${answer.status} ${result.code}: ${result.message}`);
  // 429 and 5xx pass through (the token client retries them, after Retry-After); anything else is
  // this server's problem (a revoked key, say), not the browser's.
  const passThrough = answer.status === 429 || answer.status >= 500;
  const retryAfter = answer.headers.get('retry-after');
  return json(
    res,
    passThrough ? answer.status : 502,
    { code: result.code ?? 'token_service_error', message: 'Could not get a Messenger token.' },
    retryAfter ? { 'Retry-After': retryAfter } : {},
  );
}

function serveStatic(req, res) {
  const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  let file = resolve(join(STATIC_DIR, path));
  if (!file.startsWith(STATIC_DIR + sep) && file !== STATIC_DIR) return json(res, 404, { code: 'not_found' });
  if (!statSync(file, { throwIfNoEntry: false })?.isFile()) file = join(STATIC_DIR, 'index.html'); // the SPA's routes
  res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
  createReadStream(file).pipe(res);
}

const server = createServer(async (req, res) => {
  const { pathname, searchParams } = new URL(req.url, 'http://x');
  try {
    if (req.method === 'POST' && pathname === '/api/intercom-token') return await intercomToken(req, res);
    if (req.method === 'GET' && pathname === '/api/me') {
      const user = sessionUser(req);
      return user ? json(res, 200, user) : json(res, 401, { code: 'unauthenticated', message: 'Not signed in.' });
    }
    // Demo sign-in and sign-out, standing in for your own.
    if (req.method === 'GET' && pathname === '/demo/sign-in') {
      const sid = randomBytes(24).toString('base64url');
      const user = { user_id: searchParams.get('user_id') ?? '42' };
      if (searchParams.get('email')) user.email = searchParams.get('email');
      if (searchParams.get('name')) user.name = searchParams.get('name');
      sessions.set(sid, user);
      res.writeHead(303, { Location: '/', 'Set-Cookie': `sid=${sid}; Path=/; HttpOnly; SameSite=Lax` });
      return res.end();
    }
    if (req.method === 'POST' && pathname === '/demo/sign-out') {
      const sid = /(?:^|;\s*)sid=([\w-]+)/.exec(req.headers.cookie ?? '')?.[1];
      sessions.delete(sid);
      res.writeHead(204, { 'Set-Cookie': 'sid=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0' });
      return res.end();
    }
    if (req.method === 'GET') return serveStatic(req, res);
    json(res, 405, { code: 'method_not_allowed' });
  } catch (error) {
    console.error(error);
    if (!res.headersSent) json(res, 500, { code: 'internal_error' });
  }
});

server.listen(PORT, () => console.log(`Example backend listening on http://localhost:${PORT}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
