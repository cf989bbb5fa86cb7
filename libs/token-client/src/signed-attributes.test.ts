import { backendFetcher, createTokenClient, type FetchLike } from './index';
import { alice, APP_ID, HASH_A, jwtResponse } from './test-support';

// Issue 15 item 5 on the client side: custom_attributes go out with the user, session_duration
// comes back with the token, and changed attributes get a newly signed token.
const signal = new AbortController().signal;

test('backendFetcher sends custom_attributes with the user', async () => {
  const fetch = jest.fn<ReturnType<FetchLike>, Parameters<FetchLike>>(
    async () => new Response(JSON.stringify({ user_hash: HASH_A, app_id: APP_ID }), { status: 200 }),
  );
  await backendFetcher('/api/intercom-token', { fetch })(
    { ...alice, custom_attributes: { plan: 'pro', seats: 3 } },
    { signal },
  );
  expect(JSON.parse(String(fetch.mock.calls[0]![1].body))).toEqual({
    user_id: 'user-alice',
    email: 'alice@example.com',
    name: 'Alice',
    platform: 'web',
    custom_attributes: { plan: 'pro', seats: 3 },
  });
});

test('session_duration in the answer becomes sessionDurationMs; changed attributes fetch a new token', async () => {
  const fetchToken = jest.fn(async (user: { user_id: string }) => ({
    ...jwtResponse(user.user_id),
    session_duration: 1_800_000,
  }));
  const client = createTokenClient({ fetchToken });
  try {
    const first = await client.getToken({ ...alice, custom_attributes: { plan: 'pro' } });
    expect(first).toMatchObject({ mode: 'jwt', sessionDurationMs: 1_800_000 });
    await client.getToken({ ...alice, custom_attributes: { plan: 'pro' } });
    expect(fetchToken).toHaveBeenCalledTimes(1);
    await client.getToken({ ...alice, custom_attributes: { plan: 'team' } });
    expect(fetchToken).toHaveBeenCalledTimes(2);
  } finally {
    client.dispose();
  }
});

test('a token without session_duration has no sessionDurationMs', async () => {
  const client = createTokenClient({ fetchToken: async () => ({ user_hash: HASH_A, app_id: APP_ID }) });
  try {
    expect(await client.getToken(alice)).not.toHaveProperty('sessionDurationMs');
  } finally {
    client.dispose();
  }
});
