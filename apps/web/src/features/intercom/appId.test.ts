// The web runs the API's own parser through the browser-safe entry of libs/intercom: one rule,
// no copy to keep in step. These are the readings the wizard's step 1 shows as an admin types.
import { parseAppId } from '@messenger-vault/intercom/browser';
import { REGION_NAMES } from './regions';

describe("step 1 reads the APP_ID a pasted address holds with the API's parser", () => {
  test.each([
    ['https://app.intercom.io/a/inbox/xyz123/inbox/admin', 'xyz123', 'us', 'url'],
    ['https://app.intercom.com/a/apps/abc12345/settings/channels/messenger/security', 'abc12345', 'us', 'url'],
    ['https://app.eu.intercom.com/a/inbox/eu4567/inbox', 'eu4567', 'eu', 'url'],
    ['app.au.intercom.com/a/apps/au9876', 'au9876', 'au', 'url'],
    ['//app.intercom.io/a/inbox/xyz123/', 'xyz123', 'us', 'url'],
    ['  abc12345 \n', 'abc12345', 'us', 'default'],
  ] as const)('%j → %s (%s, region from %s)', (input, appId, region, regionFrom) => {
    expect(parseAppId(input)).toEqual({ ok: true, appId, region, regionFrom });
  });

  test.each([
    ['', 'empty'],
    ['https://example.com/a/apps/abc12345', 'other_host'],
    ['https://www.intercom.com/help', 'other_host'],
    ['https://app.intercom.com/a/apps/_/settings', 'no_app_id_in_path'],
    ['https://app.intercom.com/settings', 'no_app_id_in_path'],
    ['ftp://app.intercom.com/a/apps/abc123', 'not_http_url'],
    ['ABC123', 'uppercase'],
    ['ab-12', 'bad_characters'],
    ['abc', 'too_short'],
    ['x'.repeat(40), 'too_long'],
  ])('%j is refused as %s, with a sentence saying what to do', (input, code) => {
    const reading = parseAppId(input);
    expect(reading).toMatchObject({ ok: false, code });
    if (!reading.ok) expect(reading.message).toMatch(/\.$/);
  });

  test('a long paste is not echoed back: it may be the secret key', () => {
    const secret = 'sk_live_0123456789abcdefghijklmnopqrstuvwxyz';
    const reading = parseAppId(secret);
    expect(reading.ok).toBe(false);
    if (!reading.ok) expect(reading.message).not.toContain(secret);
  });
});

test('every region the parser can answer has a name to show', () => {
  for (const input of [
    'app.intercom.com/a/apps/abc123',
    'app.eu.intercom.com/a/apps/abc123',
    'app.au.intercom.com/a/apps/abc123',
  ]) {
    const reading = parseAppId(input);
    expect(reading.ok && REGION_NAMES[reading.region]).toEqual(expect.any(String));
  }
});
