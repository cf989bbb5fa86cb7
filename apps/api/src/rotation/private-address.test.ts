import { isPrivateAddress } from './private-address';

test.each([
  '127.0.0.1',
  '10.1.2.3',
  '172.16.0.1',
  '172.31.255.255',
  '192.168.1.1',
  '169.254.169.254',
  '100.64.0.1',
  '0.0.0.0',
  '::1',
  '[::1]',
  'fd12::1',
  'fe80::1',
  '::ffff:10.0.0.1',
])('%s is private', (address) => expect(isPrivateAddress(address)).toBe(true));

test.each(['8.8.8.8', '172.32.0.1', '192.169.0.1', '2606:4700::1111', '::ffff:8.8.8.8', 'hooks.example.com'])(
  '%s is not private',
  (address) => expect(isPrivateAddress(address)).toBe(false),
);
