import { randomBytes } from 'node:crypto';
import { format, inspect } from 'node:util';
import { fingerprintSecret, SecretValue } from './index';

describe('SecretValue', () => {
  const canary = `canary-${randomBytes(16).toString('hex')}`;
  const secret = new SecretValue(canary, 'tenant-a');

  test('reveal() is the only way to the plaintext', () => {
    expect(secret.reveal()).toBe(canary);
  });

  test('String(), templates, JSON.stringify, util.inspect and console formats all print [redacted]', () => {
    const printed = [
      String(secret),
      `${secret}`,
      'x' + secret,
      JSON.stringify(secret),
      JSON.stringify({ nested: { secret } }),
      inspect(secret),
      inspect({ nested: { secret } }, { showHidden: true, depth: 10 }),
      format('%s %o %O %j', secret, secret, secret, secret),
      JSON.stringify(structuredClone(secret)),
      JSON.stringify(Object.entries(secret)),
    ];
    for (const text of printed) expect(text).not.toContain(canary);
    expect(String(secret)).toBe('[redacted]');
    expect(JSON.stringify(secret)).toBe('"[redacted]"');
    expect(inspect(secret)).toBe('[redacted]');
  });

  test('the fingerprint is sha256: and 16 hex characters, stable for one tenant and secret', () => {
    expect(secret.fingerprint).toMatch(/^sha256:[0-9a-f]{16}$/);
    expect(secret.fingerprint).toBe(fingerprintSecret('tenant-a', canary));
    expect(new SecretValue(canary, 'tenant-a').fingerprint).toBe(secret.fingerprint);
  });

  test('the same secret fingerprints differently in two tenants, so tenants cannot be correlated', () => {
    expect(fingerprintSecret('tenant-b', canary)).not.toBe(secret.fingerprint);
    expect(fingerprintSecret('tenant-a', `${canary}x`)).not.toBe(secret.fingerprint);
    // The tenant id and the secret are length-prefixed: moving a character across does not collide.
    expect(fingerprintSecret('ab', 'cdefghijklmnopqrstu')).not.toBe(fingerprintSecret('a', 'bcdefghijklmnopqrstu'));
  });

  test('last4 shows the last four characters of a secret of 16 or more, and nothing of a shorter one', () => {
    expect(new SecretValue('0123456789abcdef', 't').last4).toBe('cdef');
    expect(new SecretValue('0123456789abcde', 't').last4).toBe('');
    expect(new SecretValue('0123456789abcd😀é€ß', 't').last4).toBe('😀é€ß');
  });
});
