import fc from 'fast-check';

import {
  APP_ID_INPUT_MAX_LENGTH,
  APP_ID_MAX_LENGTH,
  APP_ID_MIN_LENGTH,
  messengerApiBase,
  parseAppId,
  type AppIdResult,
  type Region,
} from './index';

function expectId(result: AppIdResult, appId: string, region: Region): void {
  expect(result).toMatchObject({ ok: true, appId, region });
}

function expectRefusal(result: AppIdResult, code: string, mentions: RegExp): void {
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.code).toBe(code);
  expect(result.message).toMatch(mentions);
}

describe('parseAppId reads the APP_ID from what an admin pastes', () => {
  test("the guide's example inbox URL gives xyz123 in the US region", () => {
    expectId(parseAppId('https://app.intercom.io/a/inbox/xyz123/inbox/admin'), 'xyz123', 'us');
  });

  test('/a/apps/ settings URLs give the id that follows apps', () => {
    expectId(
      parseAppId('https://app.intercom.com/a/apps/abc12345/settings/channels/messenger/security'),
      'abc12345',
      'us',
    );
    expectId(parseAppId('https://app.intercom.com/a/apps/abc12345'), 'abc12345', 'us');
  });

  test.each([
    ['app.intercom.io', 'us', 'https://api-iam.intercom.io'],
    ['app.intercom.com', 'us', 'https://api-iam.intercom.io'],
    ['app.eu.intercom.com', 'eu', 'https://api-iam.eu.intercom.io'],
    ['app.au.intercom.com', 'au', 'https://api-iam.au.intercom.io'],
  ] as const)('host %s gives region %s and Messenger api_base %s', (host, region, apiBase) => {
    const result = parseAppId(`https://${host}/a/apps/abc12345/home`);
    expect(result).toEqual({ ok: true, appId: 'abc12345', region, regionFrom: 'url' });
    expect(messengerApiBase(region)).toBe(apiBase);
  });

  test('a bare id is accepted, trimmed, and marked as having no region of its own', () => {
    expect(parseAppId('  abc12345 \n')).toEqual({ ok: true, appId: 'abc12345', region: 'us', regionFrom: 'default' });
  });

  test.each([
    'app.intercom.io/a/inbox/xyz123/inbox/admin',
    'http://app.intercom.io/a/inbox/xyz123',
    '//app.intercom.io/a/inbox/xyz123/',
    'https://APP.INTERCOM.IO/a/inbox/xyz123/inbox/admin',
    'https://app.intercom.io/a/inbox/xyz123/inbox/admin/?view=list&x=1#conversation/42',
    'https://app.intercom.io:443/a/inbox/xyz123',
    'app.intercom.io:443/a/inbox/xyz123',
    ' https://app.intercom.io/a/inbox/xyz123// ',
  ])('URL variant %j still gives xyz123', (input) => {
    expectId(parseAppId(input), 'xyz123', 'us');
  });
});

describe('parseAppId refuses with a code and a message that names the problem', () => {
  test.each(['', '   ', '\n\t'])('empty input %j → empty', (input) => {
    expectRefusal(parseAppId(input), 'empty', /Paste your Intercom APP_ID/);
  });

  test('a link to another site → other_host, naming the host', () => {
    expectRefusal(
      parseAppId('https://example.com/a/apps/abc12345'),
      'other_host',
      /"example\.com" is not an Intercom address/,
    );
  });

  test("a link to Intercom's marketing site → other_host that says to sign in to the workspace", () => {
    expectRefusal(
      parseAppId('https://www.intercom.com/a/apps/abc12345'),
      'other_host',
      /"www\.intercom\.com".*Sign in at app\.intercom\.com/,
    );
  });

  test.each([
    'https://app.intercom.com/',
    'https://app.intercom.com/a/apps/',
    'https://app.intercom.com/admins/sign_in',
    'https://app.intercom.com/a/inbox',
    'app.intercom.com',
  ])('an Intercom address without an id %j → no_app_id_in_path', (input) => {
    expectRefusal(parseAppId(input), 'no_app_id_in_path', /after \/a\/apps\/ or \/a\/inbox\//);
  });

  test('the "_" placeholder of Intercom\'s docs links → no_app_id_in_path explaining the placeholder', () => {
    expectRefusal(
      parseAppId('https://app.intercom.com/a/apps/_/settings/channels/messenger/security'),
      'no_app_id_in_path',
      /uses "_" in place of the APP_ID/,
    );
  });

  test.each([
    ['xyz_123', /contains "_"/],
    ['xyz 123', /contains a space/],
    ['xyz123.', /contains "\."/],
    ['https://app.intercom.io/a/inbox/xyz%20123/inbox', /contains a space/],
    ['ab-c!d_e', /contains "-", "!" and "_"/],
  ])('%j → bad_characters naming the character', (input, mentions) => {
    expectRefusal(parseAppId(input), 'bad_characters', mentions);
  });

  test('uppercase id → uppercase, offering the lowercase form rather than guessing', () => {
    expectRefusal(parseAppId('XYZ123'), 'uppercase', /all lowercase.*"xyz123"/);
    expectRefusal(parseAppId('https://app.intercom.io/a/inbox/Xyz123/inbox'), 'uppercase', /"xyz123"/);
  });

  test('an id shorter than the minimum → too_short', () => {
    expectRefusal(parseAppId('abc'), 'too_short', new RegExp(`at least ${APP_ID_MIN_LENGTH}`));
  });

  test('an id longer than the maximum → too_long, without echoing it (it may be the Secret Key)', () => {
    const pasted = 'a'.repeat(APP_ID_MAX_LENGTH + 1);
    const result = parseAppId(pasted);
    expectRefusal(result, 'too_long', /Secret Key/);
    expect(result.ok ? '' : result.message).not.toContain(pasted);
  });

  test('a paste longer than any address → too_long before any pattern looks at it', () => {
    const pasted = `https://app.intercom.com/a/apps/${'a/'.repeat(APP_ID_INPUT_MAX_LENGTH)}`;
    const result = parseAppId(pasted);
    expectRefusal(result, 'too_long', new RegExp(`at most ${APP_ID_INPUT_MAX_LENGTH}`));
  });

  test.each(['ftp://app.intercom.io/a/apps/abc12345', 'javascript:alert(1)', 'mailto:admin@app.intercom.io'])(
    'a non-web link %j → not_http_url naming its scheme',
    (input) => {
      expectRefusal(parseAppId(input), 'not_http_url', /is a "[a-z]+:" link/);
    },
  );

  test('an address that cannot be parsed → invalid_url', () => {
    expectRefusal(parseAppId('https://app intercom.io/a/apps/abc12345'), 'invalid_url', /not a web address/);
  });
});

describe('parseAppId properties', () => {
  const appId = fc.stringMatching(new RegExp(`^[a-z0-9]{${APP_ID_MIN_LENGTH},${APP_ID_MAX_LENGTH}}$`));
  const host = fc.constantFrom(
    ['app.intercom.io', 'us'],
    ['app.intercom.com', 'us'],
    ['app.eu.intercom.com', 'eu'],
    ['app.au.intercom.com', 'au'],
  ) as fc.Arbitrary<[string, Region]>;

  test('any valid id embedded in any supported URL shape round-trips with its region', () => {
    fc.assert(
      fc.property(
        appId,
        host,
        fc.constantFrom('https://', 'http://', '', '//'),
        fc.boolean(),
        fc.constantFrom('apps', 'inbox'),
        fc.constantFrom(
          '',
          '/',
          '/inbox/admin',
          '/settings/channels/messenger/security',
          '/inbox/shared/all/conversation/123/',
        ),
        fc.constantFrom('', '?view=list', '?a=1&b=2'),
        fc.constantFrom('', '#top', '#/x/y'),
        fc.constantFrom('', ' ', '\n', '\t '),
        (id, [hostname, region], scheme, upperHost, keyword, rest, query, fragment, space) => {
          const shownHost = upperHost ? hostname.toUpperCase() : hostname;
          const input = `${space}${scheme}${shownHost}/a/${keyword}/${id}${rest}${query}${fragment}${space}`;
          expect(parseAppId(input)).toEqual({ ok: true, appId: id, region, regionFrom: 'url' });
        },
      ),
    );
  });

  test('any valid bare id round-trips unchanged', () => {
    fc.assert(fc.property(appId, (id) => expect(parseAppId(id)).toMatchObject({ ok: true, appId: id })));
  });

  test('any input whatsoever gives a result, never an exception, and refusals always carry a message', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.webUrl()), (input) => {
        const result = parseAppId(input);
        if (!result.ok) expect(result.message.length).toBeGreaterThan(20);
        else expect(result.appId).toMatch(/^[a-z0-9]+$/);
      }),
    );
  });
});
