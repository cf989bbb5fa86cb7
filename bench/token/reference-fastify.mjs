// Reference (b): a bare Fastify route answering fixed JSON — the ceiling for any Node endpoint.
import Fastify from 'fastify';

const app = Fastify({ logger: false });
const body = { token: 'x'.repeat(180), expires_at: '2026-01-01T00:00:00.000Z', app_id: 'bench1' };
app.post('/v1/intercom/token', async () => body);
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.stdout.write('ready\n');
process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
