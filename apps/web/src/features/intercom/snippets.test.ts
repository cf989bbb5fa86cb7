import type { Region } from '@messenger-vault/contracts';
import { buildSnippets, MIN_SDK_WITH_USER_JWT, snippetValues } from './snippets';

const values = {
  appId: 'abc12345',
  apiBase: 'https://api-iam.eu.intercom.io',
  tenantId: '6f1c0b9e-1111-4222-8333-944455556666',
  vaultUrl: 'https://vault.example.com',
  region: 'eu' as Region,
};

describe("integration snippets carry the tenant's own values", () => {
  test('every snippet names the APP_ID; the web ones carry the regional api_base', () => {
    const snippets = buildSnippets(snippetValues({ ...values, identityMode: 'jwt' }));
    expect(snippets.map((s) => s.id)).toEqual(['backend', 'token-client', 'web', 'ios', 'android', 'react-native']);
    for (const snippet of snippets) expect(snippet.code).toContain('abc12345');
    for (const id of ['web', 'token-client']) {
      expect(snippets.find((s) => s.id === id)!.code).toContain("'https://api-iam.eu.intercom.io'");
    }
    expect(snippets.find((s) => s.id === 'web')!.code).toContain('intercom_user_jwt');
    expect(snippets.find((s) => s.id === 'web')!.code).toContain("s.src='https://widget.intercom.io/widget/abc12345'");
    const kit = snippets.find((s) => s.id === 'token-client')!.code;
    expect(kit).toContain("import * as Intercom from '@intercom/messenger-js-sdk';");
    expect(kit).toContain('bootIntercom(Intercom, {');
    expect(kit).toContain('messenger.shutdown();');
    expect(snippets.find((s) => s.id === 'backend')!.code).toContain('https://vault.example.com/v1/intercom/token');
  });

  test('in HMAC mode the snippets send user_hash instead of a JWT', () => {
    const snippets = buildSnippets(snippetValues({ ...values, identityMode: 'hmac' }));
    const web = snippets.find((s) => s.id === 'web')!.code;
    expect(web).toContain('user_hash');
    expect(web).not.toContain('intercom_user_jwt');
    expect(snippets.find((s) => s.id === 'android')!.code).toContain('setUserHash');
  });

  test('without an APP_ID the snippets say so rather than leave a blank', () => {
    const snippets = buildSnippets(snippetValues({ ...values, appId: null, identityMode: 'jwt' }));
    expect(snippets.find((s) => s.id === 'web')!.code).toContain("app_id: 'YOUR_APP_ID'");
  });

  test('the API key never appears in browser or app code, only in the backend call', () => {
    const snippets = buildSnippets(snippetValues({ ...values, identityMode: 'jwt' }));
    for (const snippet of snippets.filter((s) => s.id !== 'backend')) {
      expect(snippet.code).not.toMatch(/API_KEY|Bearer/);
    }
  });
});

function codeFor(id: string, region: Region, identityMode: 'jwt' | 'hmac' = 'jwt'): string {
  return buildSnippets(snippetValues({ ...values, region, identityMode })).find((s) => s.id === id)!.code;
}

const IOS_LINE = /<key>IntercomRegion<\/key><string>(\w+)<\/string>/g;
const ANDROID_LINE = /android:name="io\.intercom\.android\.sdk\.server\.region" android:value="([^"]+)"/g;
const EXPO_LINE = /"intercomRegion": "(\w+)"/g;

function captured(code: string, pattern: RegExp): string[] {
  return [...code.matchAll(pattern)].map((m) => m[1]!);
}

describe("mobile snippets point the SDK at the APP_ID's region", () => {
  const cases: Array<[Region, { ios: string[]; android: string[]; expo: string[] }]> = [
    ['us', { ios: [], android: [], expo: [] }],
    ['eu', { ios: ['EU'], android: ['@integer/intercom_server_region_eu'], expo: ['EU'] }],
    ['au', { ios: ['AU'], android: ['@integer/intercom_server_region_aus'], expo: ['AU'] }],
  ];

  test.each(cases)('%s: iOS sets IntercomRegion only outside the US, with the right value', (region, want) => {
    for (const mode of ['jwt', 'hmac'] as const) {
      const ios = codeFor('ios', region, mode);
      expect(captured(ios, IOS_LINE)).toEqual(want.ios);
      expect(captured(ios, ANDROID_LINE)).toEqual([]);
    }
  });

  test.each(cases)('%s: Android sets the server region meta-data only outside the US', (region, want) => {
    for (const mode of ['jwt', 'hmac'] as const) {
      const android = codeFor('android', region, mode);
      expect(captured(android, ANDROID_LINE)).toEqual(want.android);
      expect(captured(android, IOS_LINE)).toEqual([]);
    }
  });

  test.each(cases)('%s: React Native sets intercomRegion for Expo and both native projects', (region, want) => {
    const rn = codeFor('react-native', region);
    expect(captured(rn, EXPO_LINE)).toEqual(want.expo);
    expect(captured(rn, IOS_LINE)).toEqual(want.ios);
    expect(captured(rn, ANDROID_LINE)).toEqual(want.android);
  });

  test('the web snippets carry no mobile region settings (api_base does that job)', () => {
    for (const id of ['web', 'token-client', 'backend']) {
      const code = codeFor(id, 'au');
      expect(code).not.toMatch(/IntercomRegion|intercomRegion|sdk\.server\.region/);
    }
  });
});

describe('mobile snippets state the setUserJwt requirements', () => {
  test('minimum SDK versions and the order: setUserJwt before login and push registration', () => {
    const snippets = buildSnippets(snippetValues({ ...values, identityMode: 'jwt' }));
    const intro = (id: string) => snippets.find((s) => s.id === id)!.intro;
    expect(MIN_SDK_WITH_USER_JWT).toEqual({ ios: '18.7.0', android: '15.16.0' });
    expect(intro('ios')).toContain('iOS SDK 18.7.0 or later');
    expect(intro('android')).toContain('Android SDK 15.16.0 or later');
    expect(intro('react-native')).toMatch(/wraps iOS SDK 18\.7\.0 and Android SDK 15\.16\.0/);
    for (const id of ['ios', 'android', 'react-native']) {
      expect(intro(id)).toMatch(/setUserJwt before logging the user in and before registering for push/);
      const code = snippets.find((s) => s.id === id)!.code;
      expect(code.indexOf('setUserJwt(')).toBeLessThan(code.search(/loginUser|loginIdentifiedUser/));
    }
  });
});

describe("snippets link to the APP_ID's Intercom settings in its region", () => {
  test('Messenger snippets link to installation and Messenger Security on the regional host', () => {
    const snippets = buildSnippets(snippetValues({ ...values, region: 'au', identityMode: 'jwt' }));
    for (const id of ['web', 'ios', 'android', 'react-native']) {
      expect(snippets.find((s) => s.id === id)!.links.map((l) => l.url)).toEqual([
        'https://app.au.intercom.com/a/apps/abc12345/settings/channels/messenger/install',
        'https://app.au.intercom.com/a/apps/abc12345/settings/channels/messenger/security',
      ]);
    }
    expect(snippets.find((s) => s.id === 'backend')!.links).toEqual([]);
  });

  test('without an APP_ID no link is offered', () => {
    const snippets = buildSnippets(snippetValues({ ...values, appId: null, identityMode: 'jwt' }));
    for (const snippet of snippets) expect(snippet.links).toEqual([]);
  });
});

type Queued = unknown[];
/**
 * Runs the web snippet as written: Intercom's loader against a page whose Messenger script has not
 * loaded (so every call stays in the loader's queue), and a backend answering tokens.
 */
function runWebSnippet(identityMode: 'jwt' | 'hmac', lifetimeSeconds = 3600) {
  const code = buildSnippets(snippetValues({ ...values, identityMode })).find((s) => s.id === 'web')!.code;
  const page: { Intercom?: { q: ArrayLike<unknown>[] }; addEventListener: () => void } = { addEventListener: () => {} };
  let issued = 0;
  const fetch = async () => {
    issued += 1;
    const body =
      identityMode === 'jwt'
        ? { token: `jwt-${issued}`, expires_at: new Date(Date.now() + lifetimeSeconds * 1000).toISOString() }
        : { user_hash: `hash-${issued}` };
    return { json: async () => body };
  };
  // The snippet is the code under test: evaluated as a tenant would paste it, with the page injected.
  const load = new Function(
    'window',
    'document',
    'fetch',
    'setTimeout',
    'clearTimeout',
    `${code}\nreturn { signIn, signOut };`,
  );
  const api = load(page, { readyState: 'loading' }, fetch, setTimeout, clearTimeout) as {
    signIn(user: { id: string; email?: string; name?: string }): Promise<void>;
    signOut(): void;
  };
  const queued = (): Queued[] => (page.Intercom?.q ?? []).map((args) => Array.from(args));
  return { ...api, queued };
}

describe('the web snippet, run as written', () => {
  beforeEach(() => jest.useFakeTimers({ now: Date.parse('2030-01-01T00:00:00Z') }));
  afterEach(() => jest.useRealTimers());

  test('boot with the JWT; refresh → update; another user → shutdown, then boot; sign-out → shutdown', async () => {
    const web = runWebSnippet('jwt');
    await web.signIn({ id: 'alice' });
    await jest.advanceTimersByTimeAsync(3240_000); // 90% of the hour
    await web.signIn({ id: 'bob' });
    web.signOut();
    await jest.advanceTimersByTimeAsync(7200_000); // nothing left running

    const boot = { api_base: 'https://api-iam.eu.intercom.io', app_id: 'abc12345' };
    expect(web.queued()).toEqual([
      ['boot', { ...boot, user_id: 'alice', intercom_user_jwt: 'jwt-1' }],
      ['update', { user_id: 'alice', intercom_user_jwt: 'jwt-2' }],
      ['shutdown'],
      ['boot', { ...boot, user_id: 'bob', intercom_user_jwt: 'jwt-3' }],
      ['shutdown'],
    ]);
  });

  test("short lifetimes are refreshed every 100 s at most: 18 updates in 30 minutes, under Intercom's ~20", async () => {
    const web = runWebSnippet('jwt', 60);
    await web.signIn({ id: 'alice' });
    await jest.advanceTimersByTimeAsync(30 * 60_000);
    web.signOut();
    expect(web.queued().filter(([command]) => command === 'update')).toHaveLength(18);
  });

  test('HMAC: boot with user_hash, a changed email goes out with update, another user is shut down first', async () => {
    const web = runWebSnippet('hmac');
    await web.signIn({ id: 'alice', email: 'a@example.com' });
    await web.signIn({ id: 'alice', email: 'a2@example.com' });
    await web.signIn({ id: 'bob', email: 'b@example.com' });
    expect(web.queued().map(([command, settings]) => [command, (settings as { email?: string })?.email])).toEqual([
      ['boot', 'a@example.com'],
      ['update', 'a2@example.com'],
      ['shutdown', undefined],
      ['boot', 'b@example.com'],
    ]);
  });
});
