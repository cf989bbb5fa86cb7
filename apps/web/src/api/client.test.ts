import { ApiRequestError, apiFetch, fillPath, setStepUpHandler } from './client';

describe('fillPath puts parameters into a documented route', () => {
  test('every {name} is replaced and encoded', () => {
    expect(
      fillPath('/api/tenants/{tenantId}/intercom/secrets/{version}/retire', { tenantId: 'a b/c', version: 2 }),
    ).toBe('/api/tenants/a%20b%2Fc/intercom/secrets/2/retire');
  });

  test('a missing parameter is a programming error, not a request to the wrong address', () => {
    expect(() => fillPath('/api/tenants/{tenantId}', {})).toThrow('No value for {tenantId}');
  });
});

describe('a step_up_required answer asks for a second factor once, then sends the request again', () => {
  const realFetch = globalThis.fetch;
  afterEach(() => {
    globalThis.fetch = realFetch;
    setStepUpHandler(null);
  });

  /** Answers the queued responses in order, recording each request's method and path. */
  function serve(...answers: Array<[number, unknown]>) {
    const seen: string[] = [];
    globalThis.fetch = (async (url: string, init: RequestInit) => {
      seen.push(`${init.method} ${url} ${String(init.body)}`);
      const [status, body] = answers.shift()!;
      return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
    }) as typeof fetch;
    return seen;
  }
  const stepUp = { code: 'step_up_required', message: 'Confirm it is you.' };

  test('confirmed: the same request is sent again and its answer returned', async () => {
    const seen = serve([403, stepUp], [201, { id: 'k1' }]);
    let asked = 0;
    setStepUpHandler(async () => (asked += 1) > 0);
    await expect(apiFetch('/api/tenants/t/api-keys', { method: 'POST', body: { name: 'x' } })).resolves.toEqual({
      id: 'k1',
    });
    expect(asked).toBe(1);
    expect(seen).toEqual(['POST /api/tenants/t/api-keys {"name":"x"}', 'POST /api/tenants/t/api-keys {"name":"x"}']);
  });

  test('cancelled: the original 403 is thrown and nothing is sent again', async () => {
    const seen = serve([403, stepUp]);
    setStepUpHandler(async () => false);
    await expect(apiFetch('/api/x', { method: 'PUT', body: {} })).rejects.toMatchObject({
      status: 403,
      code: 'step_up_required',
    });
    expect(seen).toHaveLength(1);
  });

  test('asked again after the retry: thrown, not a loop', async () => {
    serve([403, stepUp], [403, stepUp]);
    let asked = 0;
    setStepUpHandler(async () => {
      asked += 1;
      return true;
    });
    await expect(apiFetch('/api/x', { method: 'PUT', body: {} })).rejects.toBeInstanceOf(ApiRequestError);
    expect(asked).toBe(1);
  });

  test('another 403 is not a step-up', async () => {
    serve([403, { code: 'forbidden', message: 'No.' }]);
    let asked = 0;
    setStepUpHandler(async () => (asked += 1) > 0);
    await expect(apiFetch('/api/x', { method: 'PUT', body: {} })).rejects.toMatchObject({ code: 'forbidden' });
    expect(asked).toBe(0);
  });
});

describe('a 401 signs out only when the session is really gone', () => {
  const realFetch = globalThis.fetch;
  const realWindow = (globalThis as { window?: unknown }).window;
  let assigned: string[];
  beforeEach(() => {
    assigned = [];
    (globalThis as { window?: unknown }).window = {
      location: { pathname: '/tenants/t/setup', search: '?step=2', assign: (url: string) => assigned.push(url) },
    };
  });
  afterEach(() => {
    globalThis.fetch = realFetch;
    (globalThis as { window?: unknown }).window = realWindow;
  });

  function serve(...answers: Array<[number, unknown]>) {
    const seen: string[] = [];
    globalThis.fetch = (async (url: string, init: RequestInit) => {
      seen.push(`${init.method ?? 'GET'} ${url}`);
      const [status, body] = answers.shift()!;
      return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
    }) as typeof fetch;
    return seen;
  }
  const expired = { code: 'unauthorized', message: 'Sign in.' };

  test('sent with a cookie value just replaced: the session is alive, so the request goes again', async () => {
    const seen = serve([401, expired], [200, { id: 'u1' }], [200, { items: [] }]);
    await expect(apiFetch('/api/notifications')).resolves.toEqual({ items: [] });
    expect(seen).toEqual(['GET /api/notifications', 'GET /api/auth/me', 'GET /api/notifications']);
    expect(assigned).toEqual([]);
  });

  test('the session is gone: to sign-in, back to the same page afterwards', async () => {
    const seen = serve([401, expired], [401, expired]);
    await expect(apiFetch('/api/notifications')).rejects.toMatchObject({ status: 401 });
    expect(seen).toEqual(['GET /api/notifications', 'GET /api/auth/me']);
    expect(assigned).toEqual([`/login?next=${encodeURIComponent('/tenants/t/setup?step=2')}`]);
  });

  test('alive but 401 again: signs out instead of looping', async () => {
    const seen = serve([401, expired], [200, { id: 'u1' }], [401, expired]);
    await expect(apiFetch('/api/x', { method: 'POST', body: {} })).rejects.toMatchObject({ status: 401 });
    expect(seen).toEqual(['POST /api/x', 'GET /api/auth/me', 'POST /api/x']);
    expect(assigned).toHaveLength(1);
  });

  test('a wrong code is an answer about the code: thrown, not retried, no trip to sign-in', async () => {
    const seen = serve([401, { code: 'mfa_code_invalid', message: 'That code is incorrect.' }]);
    await expect(apiFetch('/api/auth/mfa/totp/enable', { method: 'POST', body: { code: '1' } })).rejects.toMatchObject({
      status: 401,
      code: 'mfa_code_invalid',
    });
    expect(seen).toHaveLength(1);
    expect(assigned).toEqual([]);
  });

  test('a call that treats 401 as an answer is not retried', async () => {
    const seen = serve([401, expired]);
    await expect(apiFetch('/api/auth/me', { onUnauthorized: 'throw' })).rejects.toMatchObject({ status: 401 });
    expect(seen).toHaveLength(1);
    expect(assigned).toEqual([]);
  });
});
