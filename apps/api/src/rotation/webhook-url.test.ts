import { checkWebhookUrl } from './webhook-url';

test('https URLs are accepted as given, normalised', () => {
  expect(checkWebhookUrl('  https://Hooks.Example.com/mv?x=1  ', true)).toEqual({
    ok: true,
    url: 'https://hooks.example.com/mv?x=1',
  });
});

test('plain http only for localhost and 127.0.0.1, and never in production', () => {
  expect(checkWebhookUrl('http://localhost:8080/hook', false).ok).toBe(true);
  expect(checkWebhookUrl('http://127.0.0.1:9/hook', false).ok).toBe(true);
  expect(checkWebhookUrl('http://[::1]:9/hook', false).ok).toBe(true);
  const remote = checkWebhookUrl('http://hooks.example.com/x', false);
  expect(remote).toEqual({ ok: false, message: expect.stringMatching(/must use https.*localhost/) });
  expect(checkWebhookUrl('http://localhost:8080/hook', true)).toEqual({
    ok: false,
    message: expect.stringMatching(/must use https/),
  });
});

test('other schemes, relative URLs, credentials and fragments are refused with a reason', () => {
  const reasons = [
    'ftp://x.example/a',
    'hooks.example.com/a',
    '',
    'https://u:p@x.example/a',
    'https://x.example/a#b',
  ].map((u) => checkWebhookUrl(u, false));
  expect(reasons.map((r) => r.ok)).toEqual([false, false, false, false, false]);
  const messages = reasons.map((r) => (r.ok ? '' : r.message));
  expect(messages[0]).toMatch(/https URL.*got ftp/);
  expect(messages[1]).toMatch(/not an absolute URL/);
  expect(messages[2]).toMatch(/empty/);
  expect(messages[3]).toMatch(/user name or password/);
  expect(messages[4]).toMatch(/fragment/);
});

test('overlong URLs are refused', () => {
  expect(checkWebhookUrl(`https://x.example/${'a'.repeat(2100)}`, false).ok).toBe(false);
});

test('in production a webhook may not point at a private or local address', () => {
  for (const url of [
    'https://10.0.0.5/hook',
    'https://169.254.169.254/latest',
    'https://[::1]/x',
    'https://localhost/x',
    'https://192.168.1.10:8443/h',
  ]) {
    const result = checkWebhookUrl(url, true);
    expect({ url, ok: result.ok }).toEqual({ url, ok: false });
    if (!result.ok) expect(result.message).toMatch(/private or local address/);
  }
  expect(checkWebhookUrl('https://hooks.example.com/mv', true).ok).toBe(true);
  // Outside production, a local receiver over https is fine (tests, development).
  expect(checkWebhookUrl('https://127.0.0.1:8443/hook', false).ok).toBe(true);
});
