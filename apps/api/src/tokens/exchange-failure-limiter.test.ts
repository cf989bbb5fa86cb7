import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { clientKey } from './exchange-failure-limiter.service';

/** What the key was before the shortcut for plain IPv4: every address through ipaddr.js. */
function parsedKey(ip: string): string {
  const parsed = ipaddr.process(ip);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  return `${(parsed as ipaddr.IPv6).parts
    .slice(0, 4)
    .map((p) => p.toString(16))
    .join(':')}::/64`;
}

describe('clientKey: the unit the exchange failure limit counts', () => {
  test('any IPv4 address, however written, gets the key ipaddr.js gives it', () => {
    fc.assert(
      fc.property(fc.ipV4(), (ip) => {
        expect(clientKey(ip)).toBe(parsedKey(ip));
      }),
      { numRuns: 2000 },
    );
    for (const ip of ['0.0.0.0', '255.255.255.255', '10.0.0.1', '010.0.0.1', '1.02.3.4', '::ffff:192.0.2.7'])
      expect(clientKey(ip)).toBe(parsedKey(ip));
  });

  test('IPv6 addresses of one /64 share a key; another /64 does not', () => {
    expect(clientKey('2001:db8:1:2::1')).toBe(clientKey('2001:db8:1:2:ffff:ffff:ffff:ffff'));
    expect(clientKey('2001:db8:1:3::1')).not.toBe(clientKey('2001:db8:1:2::1'));
    fc.assert(
      fc.property(fc.ipV6(), (ip) => {
        expect(clientKey(ip)).toBe(parsedKey(ip));
      }),
    );
  });

  test('what is not an address is its own key', () => {
    expect(clientKey('not-an-ip')).toBe('not-an-ip');
    expect(clientKey('256.1.1.1')).toBe('256.1.1.1');
  });
});
