import { RateLimiterService } from '../src/tokens/rate-limiter.service';
import { startTestApp, TestApp } from './harness';
import { connectedTenant } from './token-fixtures';

const body = { user_id: '1', platform: 'web' };

test('past the per-key limit the API answers 429 with Retry-After, per key', async () => {
  const t = await startTestApp({ TOKEN_RATE_LIMIT_PER_MINUTE: '5' });
  try {
    const a = await connectedTenant(t);
    const b = await connectedTenant(t);
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++)
      statuses.push(
        (await t.client(null).post('/v1/intercom/token', body, { authorization: `Bearer ${a.apiKey}` })).status,
      );
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    const limited = await t.client(null).post('/v1/intercom/token', body, { authorization: `Bearer ${a.apiKey}` });
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.body.message).toMatch(/5 tokens per minute/);
    // Another key has its own budget.
    expect(
      (await t.client(null).post('/v1/intercom/token', body, { authorization: `Bearer ${b.apiKey}` })).status,
    ).toBe(200);
  } finally {
    await t.close();
  }
});

test('TOKEN_RATE_LIMIT_PER_MINUTE=0 turns the limit off', async () => {
  const t = await startTestApp({ TOKEN_RATE_LIMIT_PER_MINUTE: '0' });
  try {
    const a = await connectedTenant(t);
    for (let i = 0; i < 30; i++)
      expect(
        (await t.client(null).post('/v1/intercom/token', body, { authorization: `Bearer ${a.apiKey}` })).status,
      ).toBe(200);
  } finally {
    await t.close();
  }
});

test('two replicas share one budget per key', async () => {
  const one: TestApp = await startTestApp({ TOKEN_RATE_LIMIT_PER_MINUTE: '10' });
  const two: TestApp = await startTestApp({ TOKEN_RATE_LIMIT_PER_MINUTE: '10' });
  try {
    // Stay clear of a minute boundary, where both windows would reset.
    const msIntoMinute = Date.now() % 60_000;
    if (msIntoMinute > 50_000) await new Promise((r) => setTimeout(r, 61_000 - msIntoMinute));
    const a = await connectedTenant(one);
    for (let i = 0; i < 7; i++)
      expect(
        (await one.client(null).post('/v1/intercom/token', body, { authorization: `Bearer ${a.apiKey}` })).status,
      ).toBe(200);
    await one.app.get(RateLimiterService).sync();
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      statuses.push(
        (await two.client(null).post('/v1/intercom/token', body, { authorization: `Bearer ${a.apiKey}` })).status,
      );
      await two.app.get(RateLimiterService).sync();
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
  } finally {
    await one.close();
    await two.close();
  }
}, 90_000);
