import type { IdentityMode, Region } from '@messenger-vault/contracts';
import { BACKEND_EXAMPLES, backendExampleCode } from './backendExamples';
import { intercomSettingsUrl, SETTINGS_PAGE_NAMES } from './intercomLinks';
import { REGION_NAMES } from './regions';

/**
 * The code a tenant adds to its apps, with its own APP_ID, Messenger `api_base`, tenant id and
 * this Messenger Vault's address filled in. The calls follow libs/token-client/README.md.
 */
export interface SnippetValues {
  appId: string;
  apiBase: string;
  tenantId: string;
  vaultUrl: string;
  identityMode: IdentityMode;
  /** The APP_ID's data region: the mobile SDKs default to the US and must be told otherwise. */
  region: Region;
}

export interface Snippet {
  id: 'backend' | 'token-client' | 'web' | 'ios' | 'android' | 'react-native';
  title: string;
  language: string;
  intro: string;
  code: string;
  /** Intercom settings pages for this APP_ID and region that the step needs; empty without an APP_ID. */
  links: SettingsLink[];
  /** The same call in other languages, each a runnable file of the repository (examples/). */
  variants?: SnippetVariant[];
}

export interface SnippetVariant {
  id: string;
  label: string;
  language: string;
  /** The file it comes from, to name it on the page. */
  file: string;
  code: string;
}

export interface SettingsLink {
  label: string;
  url: string;
}

/** The links that come with the Messenger snippets: where it is installed and where JWTs are enforced. */
function messengerLinks(appId: string | null, region: Region): SettingsLink[] {
  return (['install', 'security'] as const).flatMap((page) => {
    const url = intercomSettingsUrl(appId, region, page);
    return url ? [{ label: `Open ${SETTINGS_PAGE_NAMES[page]} in Intercom`, url }] : [];
  });
}

const APP_ID_PLACEHOLDER = 'YOUR_APP_ID';

/** The first native SDK releases with `setUserJwt` (Intercom's iOS and Android changelogs). */
export const MIN_SDK_WITH_USER_JWT = { ios: '18.7.0', android: '15.16.0' } as const;

const JWT_ORDER = 'Call setUserJwt before logging the user in and before registering for push notifications.';

/** iOS `IntercomRegion` Info.plist values; the key is left out for US, the SDK's default. */
const IOS_REGION: Readonly<Record<Region, string>> = { us: 'US', eu: 'EU', au: 'AU' };
/** Android `io.intercom.android.sdk.server.region` resources (note `aus`, not `au`). */
const ANDROID_REGION: Readonly<Record<Region, string>> = {
  us: '@integer/intercom_server_region_us',
  eu: '@integer/intercom_server_region_eu',
  au: '@integer/intercom_server_region_aus',
};

function iosRegionLines(region: Region, comment: string): string[] {
  if (region === 'us') return [];
  return [
    `${comment} Info.plist — your workspace is hosted in ${REGION_NAMES[region]}; without this the SDK talks to the US:`,
    `${comment} <key>IntercomRegion</key><string>${IOS_REGION[region]}</string>`,
  ];
}

function androidRegionLines(region: Region, comment: string): string[] {
  if (region === 'us') return [];
  return [
    `${comment} AndroidManifest.xml, right before </application> — without this the SDK talks to the US:`,
    `${comment} <meta-data android:name="io.intercom.android.sdk.server.region" android:value="${ANDROID_REGION[region]}" />`,
  ];
}

/**
 * Intercom's loader for single-page apps: `window.Intercom` queues calls until the Messenger has
 * loaded (or re-attaches an already loaded one). The script is the same for every region.
 */
const WEB_LOADER = (appId: string) => [
  "// Intercom's loader: window.Intercom queues calls until the Messenger has loaded.",
  "(function(){var w=window;var ic=w.Intercom;if(typeof ic==='function'){ic('reattach_activator');ic('update',w.intercomSettings);}else{var d=document;var i=function(){i.c(arguments);};i.q=[];i.c=function(args){i.q.push(args);};w.Intercom=i;var l=function(){var s=d.createElement('script');s.type='text/javascript';s.async=true;s.src='https://widget.intercom.io/widget/" +
    appId +
    "';var x=d.getElementsByTagName('script')[0];x.parentNode.insertBefore(s,x);};if(document.readyState==='complete'){l();}else if(w.attachEvent){w.attachEvent('onload',l);}else{w.addEventListener('load',l,false);}}})();",
];

/** Boot, refresh (paced for Intercom's `update` throttle), user switch and sign-out by hand, JWT mode. */
function webJwtLines(appId: string, apiBase: string): string[] {
  return [
    'let bootedUserId = null;',
    'let refreshTimer;',
    '',
    'async function signIn(user) {',
    '  // Another user: shut the old session down first, then boot with the new JWT.',
    '  if (bootedUserId !== null && bootedUserId !== user.id) signOut();',
    "  const response = await fetch('/api/intercom-token', { method: 'POST', credentials: 'include' });",
    '  const { token, expires_at } = await response.json();',
    '  if (bootedUserId === user.id) {',
    "    window.Intercom('update', { user_id: user.id, intercom_user_jwt: token });",
    '  } else {',
    "    window.Intercom('boot', {",
    `      api_base: '${apiBase}',`,
    `      app_id: '${appId}',`,
    '      user_id: user.id,',
    '      intercom_user_jwt: token,',
    '    });',
    '    bootedUserId = user.id;',
    '  }',
    '  // Fresh token before this one expires, but not more often than every 100 s:',
    '  // Intercom takes about 20 updates per 30 minutes.',
    '  clearTimeout(refreshTimer);',
    '  const lifetime = Date.parse(expires_at) - Date.now();',
    '  refreshTimer = setTimeout(() => signIn(user), Math.max(lifetime * 0.9, 100000));',
    '}',
    '',
    'function signOut() {',
    '  clearTimeout(refreshTimer);',
    "  window.Intercom('shutdown');",
    '  bootedUserId = null;',
    '}',
  ];
}

function webHmacLines(appId: string, apiBase: string): string[] {
  return [
    'let bootedUserId = null;',
    '',
    'async function signIn(user) {',
    '  // Another user: shut the old session down first, then boot with their user_hash.',
    '  if (bootedUserId !== null && bootedUserId !== user.id) signOut();',
    "  const response = await fetch('/api/intercom-token', { method: 'POST', credentials: 'include' });",
    '  const { user_hash } = await response.json();',
    '  const identity = { user_id: user.id, email: user.email, name: user.name, user_hash };',
    "  if (bootedUserId === user.id) window.Intercom('update', identity);",
    `  else window.Intercom('boot', { api_base: '${apiBase}', app_id: '${appId}', ...identity });`,
    '  bootedUserId = user.id;',
    '}',
    '',
    'function signOut() {',
    "  window.Intercom('shutdown');",
    '  bootedUserId = null;',
    '}',
  ];
}

export function snippetValues(values: Omit<SnippetValues, 'appId'> & { appId: string | null }): SnippetValues {
  return { ...values, appId: values.appId ?? APP_ID_PLACEHOLDER };
}

export function buildSnippets(values: SnippetValues): Snippet[] {
  const links = messengerLinks(values.appId === APP_ID_PLACEHOLDER ? null : values.appId, values.region);
  return snippetsWithoutLinks(values).map((snippet) => ({
    ...snippet,
    links: snippet.id === 'backend' || snippet.id === 'token-client' ? [] : links,
    ...(snippet.id === 'backend' ? { variants: backendVariants(values.vaultUrl) } : {}),
  }));
}

function backendVariants(vaultUrl: string): SnippetVariant[] {
  return BACKEND_EXAMPLES.map(({ id, label, language, file, source }) => ({
    id,
    label,
    language,
    file,
    code: backendExampleCode(source, vaultUrl),
  }));
}

function snippetsWithoutLinks(values: SnippetValues): Array<Omit<Snippet, 'links'>> {
  const { appId, apiBase, tenantId, vaultUrl, identityMode, region } = values;
  const jwt = identityMode === 'jwt';
  return [
    {
      id: 'backend',
      title: 'Your backend',
      language: 'shell',
      intro:
        'Your server asks for a token for the signed-in user with an API key (API keys page). Take user_id from your own session, never from the browser.',
      code: [
        `curl -X POST ${vaultUrl}/v1/intercom/token \\`,
        `  -H "Authorization: Bearer $MESSENGER_VAULT_API_KEY" \\`,
        `  -H "Content-Type: application/json" \\`,
        `  -d '{"user_id": "42", "email": "jane@example.com", "platform": "web"}'`,
        '',
        jwt
          ? `# → {"token": "eyJ…", "expires_at": "…", "app_id": "${appId}"}`
          : `# → {"user_hash": "…", "app_id": "${appId}"}`,
      ].join('\n'),
    },
    {
      id: 'token-client',
      title: 'Token client',
      language: 'ts',
      intro:
        '@messenger-vault/token-client fetches the token from your backend, refreshes it before it expires and hands it to the Messenger.',
      code: [
        "import * as Intercom from '@intercom/messenger-js-sdk'; // Intercom's npm package; or leave it out and pass",
        "// undefined instead of Intercom below to use window.Intercom from Intercom's loader snippet.",
        "import { backendFetcher, bootIntercom, createTokenClient } from '@messenger-vault/token-client';",
        '',
        'const client = createTokenClient({',
        "  fetchToken: backendFetcher('/api/intercom-token', { platform: 'web', credentials: 'include' }),",
        '  // Or, with no backend of your own, the exchange endpoint and your identity provider:',
        "  // fetchToken: exchangeFetcher({ baseUrl: '" + vaultUrl + "', tenantId: '" + tenantId + "',",
        "  //   platform: 'web', getIdToken: () => auth.currentUser?.getIdToken() }),",
        '});',
        '',
        "const user = { user_id: '42', email: 'jane@example.com', name: 'Jane' }; // your id, never the email",
        '// On sign-in, and again whenever the user or their email or name changes: another user is shut',
        '// down first, then booted with a new JWT; new details are signed again and sent with update.',
        '// Refreshed tokens go out with update, at most 18 per 30 minutes (Intercom throttles update).',
        'const messenger = await bootIntercom(Intercom, {',
        `  appId: '${appId}',`,
        `  apiBase: '${apiBase}',`,
        '  user,',
        '  client,',
        '});',
        '',
        "// Sign-out: Intercom('shutdown'), and the token is dropped (client.clear()).",
        'messenger.shutdown();',
      ].join('\n'),
    },
    {
      id: 'web',
      title: 'Web',
      language: 'js',
      intro: jwt
        ? "Without the token client: Intercom's loader, then boot with the token, update with each fresh one, and shut down on sign-out or before another user signs in. Call signIn(user) on sign-in and when the user's email or name changes, signOut() on sign-out."
        : "Without the token client: Intercom's loader, then boot with the user_hash your backend got, and shut down on sign-out or before another user signs in. Call signIn(user) on sign-in and when the user's email or name changes, signOut() on sign-out.",
      code: [...WEB_LOADER(appId), '', ...(jwt ? webJwtLines(appId, apiBase) : webHmacLines(appId, apiBase))].join(
        '\n',
      ),
    },
    {
      id: 'ios',
      title: 'iOS',
      language: 'swift',
      intro: jwt
        ? `Fetch the token from your backend with platform "ios". setUserJwt needs Intercom iOS SDK ${MIN_SDK_WITH_USER_JWT.ios} or later. ${JWT_ORDER}`
        : 'Fetch the user_hash from your backend with platform "ios", and give it to the SDK before logging the user in.',
      code: jwt
        ? [
            ...withGap(iosRegionLines(region, '//')),
            '// Once, at app start (the SDK key is the iOS one from Intercom, not the secret key):',
            `Intercom.setApiKey("ios_sdk-…", forAppId: "${appId}")`,
            '',
            'Intercom.setUserJwt(token)',
            'let attributes = ICMUserAttributes()',
            'attributes.userId = "42" // the same user_id as in the token',
            'Intercom.loginUser(with: attributes) { result in /* … */ }',
            '// Push: register the device token only after setUserJwt',
            '',
            '// After each refresh:',
            'Intercom.setUserJwt(newToken)',
            '// On sign-out:',
            'Intercom.logout()',
          ].join('\n')
        : [
            ...withGap(iosRegionLines(region, '//')),
            `Intercom.setApiKey("ios_sdk-…", forAppId: "${appId}")`,
            '',
            'Intercom.setUserHash(userHash)',
            'let attributes = ICMUserAttributes()',
            'attributes.userId = "42"',
            'Intercom.loginUser(with: attributes) { result in /* … */ }',
          ].join('\n'),
    },
    {
      id: 'android',
      title: 'Android',
      language: 'kotlin',
      intro: jwt
        ? `Fetch the token from your backend with platform "android". setUserJwt needs Intercom Android SDK ${MIN_SDK_WITH_USER_JWT.android} or later. ${JWT_ORDER}`
        : 'Fetch the user_hash from your backend with platform "android", and give it to the SDK before logging the user in.',
      code: [
        ...withGap(androidRegionLines(region, '//')),
        '// Once, in Application.onCreate (the SDK key is the Android one from Intercom, not the secret key):',
        `Intercom.initialize(this, "android_sdk-…", "${appId}")`,
        '',
        jwt ? 'Intercom.client().setUserJwt(token)' : 'Intercom.client().setUserHash(userHash)',
        'Intercom.client().loginIdentifiedUser(',
        '    userRegistration = Registration.create().withUserId("42"),',
        '    intercomStatusCallback = object : IntercomStatusCallback {',
        '        override fun onSuccess() {}',
        '        override fun onFailure(intercomError: IntercomError) {}',
        '    },',
        ')',
        ...(jwt ? ['// Push: send the FCM token to Intercom only after setUserJwt'] : []),
        ...(jwt ? ['', '// After each refresh:', 'Intercom.client().setUserJwt(newToken)'] : []),
        '// On sign-out:',
        'Intercom.client().logout()',
      ].join('\n'),
    },
    {
      id: 'react-native',
      title: 'React Native',
      language: 'ts',
      intro: `The token client runs as it is in React Native. setUserJwt needs a @intercom/intercom-react-native release that wraps iOS SDK ${MIN_SDK_WITH_USER_JWT.ios} and Android SDK ${MIN_SDK_WITH_USER_JWT.android} or later. ${JWT_ORDER}`,
      code: [
        ...withGap(reactNativeRegionLines(region)),
        "import Intercom from '@intercom/intercom-react-native';",
        "import { Platform } from 'react-native';",
        "import { backendFetcher, createTokenClient } from '@messenger-vault/token-client';",
        '',
        '// Native set-up, once: IntercomModule.initialize(this, "android_sdk-…", "' + appId + '") in MainApplication,',
        '// [IntercomModule initialize:@"ios_sdk-…" withAppId:@"' + appId + '"] in AppDelegate.',
        '',
        'const client = createTokenClient({',
        "  fetchToken: backendFetcher('https://app.example.com/api/intercom-token', {",
        "    platform: Platform.OS === 'ios' ? 'ios' : 'android',",
        '  }),',
        '});',
        '',
        'const token = await client.getToken(user);',
        "if (token.mode === 'jwt') await Intercom.setUserJwt(token.token);",
        'else await Intercom.setUserHash(token.userHash);',
        'await Intercom.loginUserWithUserAttributes({ userId: user.user_id });',
        '// Push: Intercom.sendTokenToIntercom(deviceToken) only after this point',
        '',
        'client.onToken((fresh) => {',
        "  if (fresh.mode === 'jwt') void Intercom.setUserJwt(fresh.token);",
        '});',
      ].join('\n'),
    },
  ];
}

function reactNativeRegionLines(region: Region): string[] {
  if (region === 'us') return [];
  return [
    `// Expo: in app.json, the plugin takes the region — ["@intercom/intercom-react-native", { …, "intercomRegion": "${IOS_REGION[region]}" }]`,
    '// Bare React Native: set it in each native project, as for the iOS and Android snippets:',
    ...iosRegionLines(region, '//'),
    ...androidRegionLines(region, '//'),
  ];
}

function withGap(lines: string[]): string[] {
  return lines.length === 0 ? lines : [...lines, ''];
}
