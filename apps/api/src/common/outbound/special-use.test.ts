import { specialUseRange } from './special-use';
import { refusedHost } from './outbound-request';

// Every special-use range named in issue 11, plus the classics; each must be refused.
test.each([
  ['127.0.0.1', 'loopback'],
  ['10.1.2.3', 'private'],
  ['172.16.0.1', 'private'],
  ['192.168.1.1', 'private'],
  ['169.254.169.254', 'linkLocal'],
  ['100.64.0.1', 'carrierGradeNat'],
  ['0.0.0.0', 'unspecified'],
  ['198.18.0.1', 'reserved'],
  ['198.19.255.255', 'reserved'],
  ['192.0.0.8', 'reserved'],
  ['240.0.0.1', 'reserved'],
  ['255.255.255.255', 'broadcast'],
  ['224.0.0.1', 'multicast'],
  ['::1', 'loopback'],
  ['[::1]', 'loopback'],
  ['::', 'unspecified'],
  ['fd12::1', 'uniqueLocal'],
  ['fe80::1', 'linkLocal'],
  ['::ffff:10.0.0.1', 'ipv4Mapped'],
  ['::ffff:8.8.8.8', 'ipv4Mapped'],
  ['64:ff9b::a9fe:a9fe', 'rfc6052'],
  ['64:ff9b::7f00:1', 'rfc6052'],
  ['2002:7f00:1::', '6to4'],
  ['2001:db8::1', 'reserved'],
  ['::7f00:1', 'outside global unicast (2000::/3)'],
  ['::a9fe:a9fe', 'outside global unicast (2000::/3)'],
])('%s is refused as %s', (address, range) => expect(specialUseRange(address)).toBe(range));

test.each(['8.8.8.8', '172.32.0.1', '192.169.0.1', '1.1.1.1', '2606:4700::1111', '2a00:1450:4001::200e'])(
  '%s is a public unicast address',
  (address) => expect(specialUseRange(address)).toBeNull(),
);

test('hosts: names are left to DNS except localhost, literals are judged at once', () => {
  expect(refusedHost('hooks.example.com')).toBeNull();
  expect(refusedHost('localhost')).toBe('loopback name');
  expect(refusedHost('api.LOCALHOST.')).toBe('loopback name');
  expect(refusedHost('[::1]')).toBe('loopback');
  expect(refusedHost('[64:ff9b::a9fe:a9fe]')).toBe('rfc6052');
  expect(refusedHost('127.0.0.1')).toBe('loopback');
  // The URL parser turns every IPv4 spelling into dotted decimal before the guard sees it.
  expect(refusedHost(new URL('https://0x7f.1/').hostname)).toBe('loopback');
  expect(refusedHost(new URL('https://2130706433/').hostname)).toBe('loopback');
  expect(refusedHost(new URL('https://[::ffff:7f00:1]/').hostname)).toBe('ipv4Mapped');
});
