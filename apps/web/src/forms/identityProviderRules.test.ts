import {
  allowedOriginsError,
  audienceError,
  claimError,
  issuerError,
  jwksUrlError,
  parseOrigins,
} from './identityProviderRules';

describe('identity provider fields are checked with the API’s own patterns', () => {
  test('JWKS address: https, or http only on this computer', () => {
    expect(jwksUrlError('https://auth.example.com/.well-known/jwks.json')).toBeNull();
    expect(jwksUrlError('http://localhost:8080/jwks')).toBeNull();
    expect(jwksUrlError('http://auth.example.com/jwks')).toMatch(/https:\/\//);
    expect(jwksUrlError('https://auth example.com/jwks')).toMatch(/https:\/\//);
    expect(jwksUrlError('')).toMatch(/Enter the address/);
  });

  test('origins: scheme and host only; several are listed by name', () => {
    expect(allowedOriginsError(['https://app.example.com', 'http://localhost:3000'])).toBeNull();
    expect(allowedOriginsError(['https://app.example.com/path', 'http://evil.example'])).toBe(
      'https://app.example.com/path, http://evil.example: an origin is a scheme and host with no path, like https://app.example.com (http only for localhost).',
    );
    expect(allowedOriginsError(Array.from({ length: 21 }, (_, i) => `https://a${i}.example`))).toBe(
      'List at most 20 origins.',
    );
  });

  test('one origin per line, trailing slashes and blank lines dropped', () => {
    expect(parseOrigins('https://a.example/\n\n  https://b.example  ,https://c.example')).toEqual([
      'https://a.example',
      'https://b.example',
      'https://c.example',
    ]);
  });

  test('issuer, audience and claims', () => {
    expect(issuerError('https://auth.example.com/')).toBeNull();
    expect(issuerError('x'.repeat(501))).toBe('Use at most 500 characters.');
    expect(audienceError('')).toMatch(/audience/);
    expect(claimError('')).toBeNull();
    expect(claimError('https://example.com/user_id')).toBeNull();
    expect(claimError('user id')).toMatch(/claim name/);
  });
});
