import { createHmac } from 'node:crypto';
import { generateSigningSecret, signatureHeader } from './webhook-signature';

test('the header is t=<unix>,v1=<HMAC-SHA256 of "t.body"> under the signing secret', () => {
  const secret = 'whsec_test';
  const body = '{"id":"1","type":"secret.rotation_due"}';
  const expected = createHmac('sha256', secret).update(`1700000000.${body}`).digest('hex');
  expect(signatureHeader(secret, body, 1700000000)).toBe(`t=1700000000,v1=${expected}`);
});

test('signing secrets are random and prefixed', () => {
  const a = generateSigningSecret();
  expect(a).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
  expect(generateSigningSecret()).not.toBe(a);
});
