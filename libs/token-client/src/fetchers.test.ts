import { backendFetcher, createTokenClient, exchangeFetcher, TokenError, type FetchLike } from './index';
import { alice, APP_ID, HASH_A, jwtResponse, T0 } from './test-support';

const signal = new AbortController().signal;

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
}

function fakeFetch(...responses: Array<Response | Error>) {
  let index = 0;
  return jest.fn<ReturnType<FetchLike>, Parameters<FetchLike>>(async () => {
    const next = responses[Math.min(index, responses.length - 1)];
    index += 1;
    if (!next) throw new Error('no scripted response');
    if (next instanceof Error) throw next;
    return next;
  });
}

function sent(fetch: ReturnType<typeof fakeFetch>, call = 0) {
  const [url, init] = fetch.mock.calls[call] ?? [];
  const headers = new Headers(init?.headers);
  return { url, init, headers, body: JSON.parse(String(init?.body)) as unknown };
}

describe('backendFetcher', () => {
  test("POSTs {user_id, email, name, platform} as JSON to the app's own backend, with its headers and credentials", async () => {
    const fetch = fakeFetch(json(200, { user_hash: HASH_A, app_id: APP_ID }));
    const fetchToken = backendFetcher('/api/intercom-token', {
      fetch,
      platform: 'web',
      credentials: 'include',
      headers: { 'X-CSRF-Token': 'csrf-1' },
    });

    await expect(fetchToken(alice, { signal })).resolves.toEqual({ user_hash: HASH_A, app_id: APP_ID });

    const request = sent(fetch);
    expect(request.url).toBe('/api/intercom-token');
    expect(request.init).toMatchObject({ method: 'POST', credentials: 'include', signal });
    expect(request.headers.get('Content-Type')).toBe('application/json');
    expect(request.headers.get('X-CSRF-Token')).toBe('csrf-1');
    expect(request.headers.get('Authorization')).toBeNull();
    expect(request.body).toEqual({ user_id: 'user-alice', email: 'alice@example.com', name: 'Alice', platform: 'web' });
  });

  test('leaves out an absent email and name, and sends platform "web" by default', async () => {
    const fetch = fakeFetch(json(200, jwtResponse('u1', 3600, T0)));
    await backendFetcher('https://app.example.com/intercom-token', { fetch })({ user_id: 'u1' }, { signal });

    expect(sent(fetch).body).toEqual({ user_id: 'u1', platform: 'web' });
  });

  test("a non-2xx answer throws a TokenError with the status, the server's message and Retry-After", async () => {
    const fetch = fakeFetch(
      json(429, { statusCode: 429, error: 'Too Many Requests', message: 'Slow down.' }, { 'Retry-After': '12' }),
    );
    const failure = await backendFetcher('/t', { fetch })(alice, { signal }).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(TokenError);
    expect(failure).toMatchObject({ code: 'http', status: 429, retryAfter: '12', retryable: true });
    expect((failure as Error).message).toBe('/t answered 429: Slow down.');
  });

  test('per-field validation messages (an array) are joined into the error message', async () => {
    const fetch = fakeFetch(json(400, { statusCode: 400, message: ['user_id is empty', 'platform is unknown'] }));
    const failure = await backendFetcher('/t', { fetch })(alice, { signal }).catch((error: unknown) => error);

    expect(failure).toMatchObject({ status: 400, retryable: false });
    expect((failure as Error).message).toBe('/t answered 400: user_id is empty; platform is unknown');
  });

  test('a request that never got an answer throws a retryable network TokenError', async () => {
    const fetch = fakeFetch(new TypeError('Failed to fetch'));
    const failure = await backendFetcher('/t', { fetch })(alice, { signal }).catch((error: unknown) => error);

    expect(failure).toMatchObject({ code: 'network', retryable: true });
  });

  test('a 2xx answer that is not JSON throws invalid_response', async () => {
    const fetch = fakeFetch(new Response('<html>login</html>', { status: 200 }));
    await expect(backendFetcher('/t', { fetch })(alice, { signal })).rejects.toMatchObject({
      code: 'invalid_response',
    });
  });
});

describe('exchangeFetcher', () => {
  test('POSTs {tenant_id, platform} with the IdP token as Bearer to {baseUrl}/v1/intercom/token/exchange, without cookies', async () => {
    const fetch = fakeFetch(json(200, jwtResponse(alice.user_id, 3600, T0)));
    const fetchToken = exchangeFetcher({
      baseUrl: 'https://vault.example.com/',
      tenantId: '6f1c2b9e-0000-4000-8000-000000000001',
      platform: 'ios',
      getIdToken: async () => 'idp-token-123',
      fetch,
    });

    await fetchToken(alice, { signal });

    const request = sent(fetch);
    expect(request.url).toBe('https://vault.example.com/v1/intercom/token/exchange');
    expect(request.init).toMatchObject({ method: 'POST', credentials: 'omit', signal });
    expect(request.headers.get('Authorization')).toBe('Bearer idp-token-123');
    expect(request.body).toEqual({ tenant_id: '6f1c2b9e-0000-4000-8000-000000000001', platform: 'ios' });
  });

  test('with no ID token (nobody signed in) it throws no_id_token and sends nothing', async () => {
    const fetch = fakeFetch(json(200, {}));
    const fetchToken = exchangeFetcher({
      baseUrl: 'https://v',
      tenantId: 't',
      platform: 'web',
      getIdToken: () => null,
      fetch,
    });

    await expect(fetchToken(alice, { signal })).rejects.toMatchObject({ code: 'no_id_token', retryable: false });
    expect(fetch).not.toHaveBeenCalled();
  });
});

describe('fetchers inside the client', () => {
  beforeEach(() => jest.useFakeTimers({ now: T0 }));
  afterEach(() => jest.useRealTimers());

  test('a 429 from the backend is retried after its Retry-After, then the token is cached', async () => {
    const fetch = fakeFetch(
      json(429, { message: 'rate limited' }, { 'Retry-After': '2' }),
      json(200, jwtResponse(alice.user_id, 3600, T0 + 2000)),
    );
    const client = createTokenClient({ fetchToken: backendFetcher('/t', { fetch }), onError: () => {} });

    const pending = client.getToken(alice);
    await jest.advanceTimersByTimeAsync(1999);
    expect(fetch).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(1);
    await expect(pending).resolves.toMatchObject({ mode: 'jwt', userId: alice.user_id });
    await client.getToken(alice);
    expect(fetch).toHaveBeenCalledTimes(2);
    client.dispose();
  });

  test('a 401 from the exchange endpoint (expired IdP token) is not retried', async () => {
    const fetch = fakeFetch(json(401, { statusCode: 401, message: 'The ID token has expired.' }));
    const fetchToken = exchangeFetcher({
      baseUrl: 'https://v',
      tenantId: 't',
      platform: 'web',
      getIdToken: () => 'x',
      fetch,
    });
    const client = createTokenClient({ fetchToken });

    await expect(client.getToken(alice)).rejects.toMatchObject({
      status: 401,
      message: expect.stringMatching(/expired/),
    });
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  test('switching user aborts the old request through the signal passed to fetch', async () => {
    const signals: AbortSignal[] = [];
    const fetch = jest.fn<ReturnType<FetchLike>, Parameters<FetchLike>>((_url, init) => {
      if (init.signal) signals.push(init.signal);
      return new Promise<Response>(() => {});
    });
    const client = createTokenClient({ fetchToken: backendFetcher('/t', { fetch }) });

    const forAlice = client.getToken(alice);
    const forBob = client.getToken({ user_id: 'user-bob' });

    await expect(forAlice).rejects.toMatchObject({ code: 'superseded' });
    expect(signals.map((s) => s.aborted)).toEqual([true, false]);
    client.dispose();
    await expect(forBob).rejects.toMatchObject({ code: 'disposed' });
    expect(signals[1]?.aborted).toBe(true);
  });
});
