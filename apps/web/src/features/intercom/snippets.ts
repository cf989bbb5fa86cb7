import type { IdentityMode } from '@messenger-vault/contracts';

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
}

export interface Snippet {
  id: 'backend' | 'token-client' | 'web' | 'ios' | 'android' | 'react-native';
  title: string;
  language: string;
  intro: string;
  code: string;
}

const APP_ID_PLACEHOLDER = 'YOUR_APP_ID';

export function snippetValues(values: Omit<SnippetValues, 'appId'> & { appId: string | null }): SnippetValues {
  return { ...values, appId: values.appId ?? APP_ID_PLACEHOLDER };
}

export function buildSnippets(values: SnippetValues): Snippet[] {
  const { appId, apiBase, tenantId, vaultUrl, identityMode } = values;
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
        'const messenger = await bootIntercom(window.Intercom, {',
        `  appId: '${appId}',`,
        `  apiBase: '${apiBase}',`,
        '  user,',
        '  client,',
        '});',
        '',
        '// Sign-out:',
        'messenger.shutdown();',
        'client.clear();',
      ].join('\n'),
    },
    {
      id: 'web',
      title: 'Web',
      language: 'js',
      intro: jwt
        ? 'Without the token client: boot the Messenger with the token, and update it with each fresh one.'
        : 'Without the token client: boot the Messenger with the user_hash your backend got.',
      code: jwt
        ? [
            "const { token } = await fetch('/api/intercom-token', { method: 'POST', credentials: 'include' }).then((r) => r.json());",
            '',
            "window.Intercom('boot', {",
            `  api_base: '${apiBase}',`,
            `  app_id: '${appId}',`,
            '  user_id: currentUser.id,',
            '  intercom_user_jwt: token,',
            '});',
            '',
            '// With each fresh token:',
            "window.Intercom('update', { user_id: currentUser.id, intercom_user_jwt: freshToken });",
          ].join('\n')
        : [
            "window.Intercom('boot', {",
            `  api_base: '${apiBase}',`,
            `  app_id: '${appId}',`,
            '  user_id: currentUser.id,',
            '  email: currentUser.email,',
            '  user_hash: userHash, // from your backend',
            '});',
          ].join('\n'),
    },
    {
      id: 'ios',
      title: 'iOS',
      language: 'swift',
      intro:
        'Fetch the token from your backend with platform "ios", and give it to the SDK before logging the user in.',
      code: jwt
        ? [
            '// Once, at app start (the SDK key is the iOS one from Intercom, not the secret key):',
            `Intercom.setApiKey("ios_sdk-…", forAppId: "${appId}")`,
            '',
            'Intercom.setUserJwt(token)',
            'let attributes = ICMUserAttributes()',
            'attributes.userId = "42" // the same user_id as in the token',
            'Intercom.loginUser(with: attributes) { result in /* … */ }',
            '',
            '// After each refresh:',
            'Intercom.setUserJwt(newToken)',
            '// On sign-out:',
            'Intercom.logout()',
          ].join('\n')
        : [
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
      intro:
        'Fetch the token from your backend with platform "android", and give it to the SDK before logging the user in.',
      code: [
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
        ...(jwt ? ['', '// After each refresh:', 'Intercom.client().setUserJwt(newToken)'] : []),
        '// On sign-out:',
        'Intercom.client().logout()',
      ].join('\n'),
    },
    {
      id: 'react-native',
      title: 'React Native',
      language: 'ts',
      intro: 'The token client runs as it is in React Native; pass each token to the SDK before logging in.',
      code: [
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
        '',
        'client.onToken((fresh) => {',
        "  if (fresh.mode === 'jwt') void Intercom.setUserJwt(fresh.token);",
        '});',
      ].join('\n'),
    },
  ];
}
