// Reference (c): bare Fastify plus only the work a token request cannot skip — the security
// headers and request id every response carries, the API key found by its prefix and compared in
// constant time, the body's fields read, the HS256 JWT signed with node:crypto and its expiry
// formatted, the answer through a compiled serializer. No validation messages, no tenancy, no
// rate limit, no counting, no metrics. (c) / (b) is the most any token route can reach here; the
// real route's distance to (c) is what its checks and bookkeeping cost.
import Fastify from 'fastify';
import { createHmac, createSecretKey, randomUUID, timingSafeEqual } from 'node:crypto';

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

const app = Fastify({ logger: false, genReqId: () => randomUUID() });
app.addHook('onRequest', (request, reply, done) => {
  reply.header('x-request-id', request.id).headers(HEADERS);
  done();
});
const schema = {
  response: {
    200: {
      type: 'object',
      properties: { token: { type: 'string' }, expires_at: { type: 'string' }, app_id: { type: 'string' } },
    },
  },
};
app.post('/v1/intercom/token', { schema }, (request, reply) => {
  const presented = (request.headers.authorization ?? '').slice(7);
  const found = keys.get(presented.slice(0, 16));
  const given = Buffer.from(presented);
  if (!found || given.length !== found.key.length || !timingSafeEqual(given, found.key)) {
    reply.code(401).send({ error: 'unauthenticated' });
    return;
  }
  const { user_id, email, name } = request.body;
  const iat = Math.floor(Date.now() / 1000);
  const claims = { user_id, email, name, iat, exp: iat + 3600 };
  const input = `${HEADER}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  const token = `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
  reply.send({ token, expires_at: new Date(claims.exp * 1000).toISOString(), app_id: 'bench1' });
});
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.stdout.write('ready\n');
process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
