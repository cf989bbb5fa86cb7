// The admin API driven over HTTP as the browser would (session cookie, same Origin), to set up
// data quickly where walking through the UI would only repeat what another test already covers.
import assert from 'node:assert/strict';

/** Signs in and returns `request(method, path, body?)` → parsed JSON, failing on any non-2xx. */
export async function signInToApi(baseUrl, { email, password }) {
  const login = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: baseUrl },
    body: JSON.stringify({ email, password }),
  });
  assert.equal(login.status, 200, `sign-in failed: ${await login.text()}`);
  const cookie = login.headers
    .getSetCookie()
    .map((header) => header.split(';')[0])
    .join('; ');

  return async function request(method, path, body) {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        Cookie: cookie,
        Origin: baseUrl,
        Accept: 'application/json',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    assert.ok(response.ok, `${method} ${path} answered ${response.status}: ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
}

/** Asks the public token API for a user's token with a tenant API key. */
export async function issueToken(baseUrl, apiKey, { userId, platform }) {
  const response = await fetch(`${baseUrl}/v1/intercom/token`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ user_id: userId, platform }),
  });
  const text = await response.text();
  assert.equal(response.status, 200, `POST /v1/intercom/token answered ${response.status}: ${text}`);
  return JSON.parse(text);
}
