import { fillPath } from './client';

describe('fillPath puts parameters into a documented route', () => {
  test('every {name} is replaced and encoded', () => {
    expect(
      fillPath('/api/tenants/{tenantId}/intercom/secrets/{version}/retire', { tenantId: 'a b/c', version: 2 }),
    ).toBe('/api/tenants/a%20b%2Fc/intercom/secrets/2/retire');
  });

  test('a missing parameter is a programming error, not a request to the wrong address', () => {
    expect(() => fillPath('/api/tenants/{tenantId}', {})).toThrow('No value for {tenantId}');
  });
});
