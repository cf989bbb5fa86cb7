// Reference (c): node:http plus only the work a token request cannot skip — the security headers
// and request id every response carries, the API key found by its prefix and compared in constant
// time, the body read and its fields parsed, the HS256 JWT signed with node:crypto and its expiry
// formatted, the answer as JSON. No validation messages, no tenancy, no rate limit, no counting,
// no metrics. It answers on node:http directly, as the token route's direct path does (decision
// 0064): (c) / (b) is the most a token route can reach here; the real route's distance to (c) is
// what its checks and bookkeeping cost.
import { createHmac, createSecretKey, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';

const KEY = process.env.FLOOR_KEY;
const keys = new Map([[KEY.slice(0, 16), { key: Buffer.from(KEY), tenantId: 'tenant-1' }]]);
const secret = createSecretKey(Buffer.from('bench-messenger-secret-0123456789'));
const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
const HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
  'cross-origin-opener-policy': 'same-origin',
};

function answer(res, id, status, body) {
  const json = JSON.stringify(body);
  res.writeHead(status, {
    'x-request-id': id,
    ...HEADERS,
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(json)),
  });
  res.end(json);
}

const server = createServer((req, res) => {
  const id = randomUUID();
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const presented = (req.headers.authorization ?? '').slice(7);
    const found = keys.get(presented.slice(0, 16));
    const given = Buffer.from(presented);
    if (!found || given.length !== found.key.length || !timingSafeEqual(given, found.key))
      return answer(res, id, 401, { error: 'unauthenticated' });
    const { user_id, email, name } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    const iat = Math.floor(Date.now() / 1000);
    const claims = { user_id, email, name, iat, exp: iat + 3600 };
    const input = `${HEADER}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
    const token = `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
    answer(res, id, 200, { token, expires_at: new Date(claims.exp * 1000).toISOString(), app_id: 'bench1' });
  });
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write('ready\n'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
