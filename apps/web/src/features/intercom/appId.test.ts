import fc from 'fast-check';
// The server's parser: this test keeps the web's mirror in step with it. Only the test reaches
// into libs/intercom; the app itself never ships server code.
import { parseAppId } from '@messenger-vault/intercom';
import { readAppId } from './appId';

describe('readAppId shows the APP_ID a pasted address holds, as the API will read it', () => {
  test.each([
    ['https://app.intercom.io/a/inbox/xyz123/inbox/admin', 'xyz123', 'us', 'url'],
    ['https://app.intercom.com/a/apps/abc12345/settings/channels/messenger/security', 'abc12345', 'us', 'url'],
    ['https://app.eu.intercom.com/a/inbox/eu4567/inbox', 'eu4567', 'eu', 'url'],
    ['app.au.intercom.com/a/apps/au9876', 'au9876', 'au', 'url'],
    ['//app.intercom.io/a/inbox/xyz123/', 'xyz123', 'us', 'url'],
    ['  abc12345 \n', 'abc12345', 'us', 'default'],
  ] as const)('%j → %s (%s, region from %s)', (input, appId, region, regionFrom) => {
    expect(readAppId(input)).toEqual({ ok: true, appId, region, regionFrom });
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
    const reading = readAppId(input);
    expect(reading).toMatchObject({ ok: false, code });
    if (!reading.ok) expect(reading.message).toMatch(/\.$/);
  });

  test('a long paste is not echoed back: it may be the secret key', () => {
    const secret = 'sk_live_0123456789abcdefghijklmnopqrstuvwxyz';
    const reading = readAppId(secret);
    expect(reading.ok).toBe(false);
    if (!reading.ok) expect(reading.message).not.toContain(secret);
  });
});

describe('readAppId agrees with the API parser on every input', () => {
  const idChars = fc.constantFrom(...'abcxyz0189ABZ-_ %./'.split(''));
  const id = fc.string({ unit: idChars, maxLength: 40 });
  const host = fc.constantFrom(
    'app.intercom.io',
    'app.intercom.com',
    'app.eu.intercom.com',
    'app.au.intercom.com',
    'APP.INTERCOM.IO',
    'www.intercom.com',
    'example.com',
    'app.intercom.com.',
  );
  const prefix = fc.constantFrom('https://', 'http://', '//', '', 'ftp://', ' ');
  const area = fc.constantFrom('/a/apps/', '/a/inbox/', '/A/Inbox/', '/apps/', '/a/', '/a/apps/_/', '/');
  const suffix = fc.constantFrom('', '/', '/inbox/admin', '?x=1#y', ':443');
  const address = fc.tuple(prefix, host, area, id, suffix).map((parts) => parts.join(''));
  const anything = fc.oneof(address, id, fc.string({ maxLength: 60 }));

  test('same verdict, same id, same region, same problem code', () => {
    fc.assert(
      fc.property(anything, (input) => {
        const server = parseAppId(input);
        const web = readAppId(input);
        expect(web.ok).toBe(server.ok);
        if (server.ok && web.ok) {
          expect([web.appId, web.region, web.regionFrom]).toEqual([server.appId, server.region, server.regionFrom]);
        } else if (!server.ok && !web.ok) {
          expect(web.code).toBe(server.code);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
