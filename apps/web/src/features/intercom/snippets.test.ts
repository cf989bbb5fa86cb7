import { buildSnippets, snippetValues } from './snippets';

const values = {
  appId: 'abc12345',
  apiBase: 'https://api-iam.eu.intercom.io',
  tenantId: '6f1c0b9e-1111-4222-8333-944455556666',
  vaultUrl: 'https://vault.example.com',
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
