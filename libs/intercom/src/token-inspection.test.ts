import { createHmac } from 'node:crypto';

import fc from 'fast-check';

import {
  buildMessengerClaims,
  importHmacKey,
  InspectionError,
  inspectToken,
  signMessengerJwt,
  type TokenInspection,
  type TokenProblemCode,
  type TokenWarningCode,
} from './index';

const secret = 'canary-SECRET-4f9c2e71b0d8a6';
const policy = { maxTtlSeconds: 3600 };
const now = new Date('2026-01-01T00:00:00Z');
const nowSeconds = now.getTime() / 1000;

const b64 = (value: unknown): string =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** Builds a token by hand (not with the code under test), so any header or payload can be tried. */
function craft(payload: unknown, options: { header?: unknown; key?: string; signature?: string } = {}): string {
  const signingInput = `${b64(options.header ?? { alg: 'HS256', typ: 'JWT' })}.${b64(payload)}`;
  const signature =
    options.signature ??
    createHmac('sha256', options.key ?? secret)
      .update(signingInput)
      .digest('base64url');
  return `${signingInput}.${signature}`;
}

const goodPayload = { user_id: '42', email: 'jane@example.com', iat: nowSeconds - 10, exp: nowSeconds + 3000 };

const codes = (inspection: TokenInspection): TokenProblemCode[] => inspection.problems.map((problem) => problem.code);
const warningCodes = (inspection: TokenInspection): TokenWarningCode[] =>
  inspection.warnings.map((warning) => warning.code);
const messageFor = (inspection: TokenInspection, code: TokenProblemCode | TokenWarningCode): string =>
  [...inspection.problems, ...inspection.warnings].find((found) => found.code === code)?.message ?? '';

describe('inspectToken', () => {
  test('a token from signMessengerJwt is valid, with no problems and its header and payload decoded', async () => {
    const claims = buildMessengerClaims({ userId: '42', name: 'Jane' }, { now, ttlSeconds: 3600 });
    const token = await signMessengerJwt(claims, await importHmacKey(secret));
    const inspection = await inspectToken(token, secret, policy, now);
    expect(inspection).toEqual({
      valid: true,
      header: { alg: 'HS256', typ: 'JWT' },
      payload: claims,
      problems: [],
      warnings: [],
    });
  });

  test('accepts an imported CryptoKey as well as the secret text, and surrounding whitespace in the paste', async () => {
    const inspection = await inspectToken(`\n ${craft(goodPayload)} \n`, await importHmacKey(secret), policy, now);
    expect(inspection.problems).toEqual([]);
    expect(inspection.valid).toBe(true);
  });

  test('a token forged with another key → bad_signature, still showing its header and payload', async () => {
    const inspection = await inspectToken(
      craft(goodPayload, { key: 'some-other-secret-key-123' }),
      secret,
      policy,
      now,
    );
    expect(codes(inspection)).toEqual(['bad_signature']);
    expect(inspection.valid).toBe(false);
    expect(inspection.header).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(inspection.payload).toEqual(goodPayload);
    expect(messageFor(inspection, 'bad_signature')).toMatch(/correct Secret Key.*workspace.*rotated/);
  });

  test('a signature whose last character differs only in unused bits → bad_signature (no base64 malleability)', async () => {
    const token = craft(goodPayload);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(token.at(-1) ?? '');
    const twin = `${token.slice(0, -1)}${alphabet[last ^ 1]}`;
    expect(Buffer.from(twin.split('.')[2] ?? '', 'base64url')).toEqual(
      Buffer.from(token.split('.')[2] ?? '', 'base64url'),
    );
    expect(codes(await inspectToken(twin, secret, policy, now))).toEqual(['bad_signature']);
  });

  test.each(['none', 'None', 'NONE'])(
    'an unsigned alg %j token → alg_not_hs256 with the message for unsigned tokens',
    async (alg) => {
      const inspection = await inspectToken(
        craft(goodPayload, { header: { alg, typ: 'JWT' }, signature: '' }),
        secret,
        policy,
        now,
      );
      expect(codes(inspection)).toEqual(['alg_not_hs256']);
      expect(messageFor(inspection, 'alg_not_hs256')).toMatch(/unsigned \(alg "none"\)/);
    },
  );

  test.each([
    [{ alg: 'RS256' }, /alg "RS256"/],
    [{ alg: 'HS512' }, /alg "HS512"/],
    [{ typ: 'JWT' }, /no usable alg/],
  ])('header %j → alg_not_hs256 naming what was found', async (header, mentions) => {
    const inspection = await inspectToken(craft(goodPayload, { header }), secret, policy, now);
    expect(codes(inspection)).toEqual(['alg_not_hs256']);
    expect(messageFor(inspection, 'alg_not_hs256')).toMatch(mentions);
    expect(messageFor(inspection, 'alg_not_hs256')).toMatch(/HS256/);
  });

  test('an expired token → expired, saying how long ago; exp equal to now already counts as expired', async () => {
    const inspection = await inspectToken(
      craft({ ...goodPayload, iat: nowSeconds - 7200, exp: nowSeconds - 3600 }),
      secret,
      policy,
      now,
    );
    expect(codes(inspection)).toEqual(['expired']);
    expect(messageFor(inspection, 'expired')).toMatch(/expired 1 hour ago.*fresh token/);
    expect(codes(await inspectToken(craft({ ...goodPayload, exp: nowSeconds }), secret, policy, now))).toEqual([
      'expired',
    ]);
  });

  test('iat more than the clock skew in the future → not_yet_valid; within the skew it is tolerated', async () => {
    const ahead = await inspectToken(
      craft({ ...goodPayload, iat: nowSeconds + 61, exp: nowSeconds + 600 }),
      secret,
      policy,
      now,
    );
    expect(codes(ahead)).toEqual(['not_yet_valid']);
    expect(messageFor(ahead, 'not_yet_valid')).toMatch(/issued 1 minute 1 second in the future.*clock/);
    const withinSkew = await inspectToken(
      craft({ ...goodPayload, iat: nowSeconds + 60, exp: nowSeconds + 600 }),
      secret,
      policy,
      now,
    );
    expect(withinSkew.valid).toBe(true);
  });

  test('nbf in the future → not_yet_valid', async () => {
    const inspection = await inspectToken(craft({ ...goodPayload, nbf: nowSeconds + 600 }), secret, policy, now);
    expect(codes(inspection)).toEqual(['not_yet_valid']);
    expect(messageFor(inspection, 'not_yet_valid')).toMatch(/\(nbf\)/);
  });

  // Intercom accepts a token without exp, so the debugger must not call it invalid.
  test('no exp → still valid, with a missing_exp warning', async () => {
    const { exp: _exp, ...withoutExp } = goodPayload;
    const inspection = await inspectToken(craft(withoutExp), secret, policy, now);
    expect(inspection.valid).toBe(true);
    expect(codes(inspection)).toEqual([]);
    expect(warningCodes(inspection)).toEqual(['missing_exp']);
    expect(messageFor(inspection, 'missing_exp')).toMatch(/Intercom accepts it.*Set exp/);
  });

  test('exp - iat above the policy → still valid, with a lifetime_exceeds_policy warning naming both durations', async () => {
    const inspection = await inspectToken(
      craft({ ...goodPayload, iat: nowSeconds, exp: nowSeconds + 7200 }),
      secret,
      policy,
      now,
    );
    expect(inspection.valid).toBe(true);
    expect(codes(inspection)).toEqual([]);
    expect(warningCodes(inspection)).toEqual(['lifetime_exceeds_policy']);
    expect(messageFor(inspection, 'lifetime_exceeds_policy')).toMatch(
      /lives 2 hours.*limit of 1 hour\. Intercom accepts it/,
    );
  });

  test('without iat the remaining lifetime is held to the policy', async () => {
    const inspection = await inspectToken(craft({ user_id: '42', exp: nowSeconds + 7200 }), secret, policy, now);
    expect(inspection.valid).toBe(true);
    expect(codes(inspection)).toEqual([]);
    expect(warningCodes(inspection)).toEqual(['lifetime_exceeds_policy']);
    expect(messageFor(inspection, 'lifetime_exceeds_policy')).toMatch(/valid for another 2 hours/);
  });

  test('an exp written in milliseconds → a lifetime_exceeds_policy warning that says to divide by 1000', async () => {
    const inspection = await inspectToken(
      craft({ user_id: '42', iat: nowSeconds, exp: (nowSeconds + 600) * 1000 }),
      secret,
      policy,
      now,
    );
    expect(inspection.valid).toBe(true);
    expect(codes(inspection)).toEqual([]);
    expect(warningCodes(inspection)).toEqual(['lifetime_exceeds_policy']);
    expect(messageFor(inspection, 'lifetime_exceeds_policy')).toMatch(/milliseconds.*divide by 1000/);
  });

  test('exp or iat given as text → claim_not_numeric naming the claims', async () => {
    const inspection = await inspectToken(
      craft({ user_id: '42', iat: 'now', exp: String(nowSeconds + 60) }),
      secret,
      policy,
      now,
    );
    expect(codes(inspection)).toEqual(['claim_not_numeric']);
    expect(messageFor(inspection, 'claim_not_numeric')).toMatch(/^exp, iat must be a number of seconds/);
  });

  test('an email as user_id → user_id_looks_like_email, telling to use the user id instead', async () => {
    const inspection = await inspectToken(craft({ ...goodPayload, user_id: 'jane@example.com' }), secret, policy, now);
    expect(codes(inspection)).toEqual(['user_id_looks_like_email']);
    expect(messageFor(inspection, 'user_id_looks_like_email')).toMatch(/stable user id as user_id, not the email/);
  });

  test('with the workspace opt-in, an email as user_id is a user_id_is_email warning and the token stays valid', async () => {
    const inspection = await inspectToken(
      craft({ ...goodPayload, user_id: 'jane@example.com' }),
      secret,
      { ...policy, allowEmailUserId: true },
      now,
    );
    expect(inspection.valid).toBe(true);
    expect(inspection.warnings.map((w) => w.code)).toEqual(['user_id_is_email']);
  });

  test('attributes nested under custom_attributes → an attributes_nested warning: Intercom reads them top-level', async () => {
    const inspection = await inspectToken(
      craft({ ...goodPayload, custom_attributes: { plan: 'pro' } }),
      secret,
      policy,
      now,
    );
    expect(inspection.valid).toBe(true);
    expect(inspection.warnings.map((w) => w.code)).toEqual(['attributes_nested']);
  });

  test.each([
    ['absent', { email: 'jane@example.com', exp: nowSeconds + 60 }, /only by email/],
    ['empty', { user_id: '', exp: nowSeconds + 60 }, /no user_id/],
    ['null', { user_id: null, exp: nowSeconds + 60 }, /no user_id/],
  ])('user_id %s → user_id_missing', async (_label, payload, mentions) => {
    const inspection = await inspectToken(craft(payload), secret, policy, now);
    expect(codes(inspection)).toEqual(['user_id_missing']);
    expect(messageFor(inspection, 'user_id_missing')).toMatch(mentions);
  });

  test('a numeric user_id → user_id_not_string', async () => {
    const inspection = await inspectToken(craft({ ...goodPayload, user_id: 42 }), secret, policy, now);
    expect(codes(inspection)).toEqual(['user_id_not_string']);
    expect(messageFor(inspection, 'user_id_not_string')).toMatch(/a number.*"123"/);
  });

  test('reports every problem at once, not just the first', async () => {
    const token = craft(
      { user_id: 'jane@example.com', iat: nowSeconds - 90_000, exp: nowSeconds - 3600 },
      { key: 'wrong-key-0000000000' },
    );
    const inspection = await inspectToken(token, secret, policy, now);
    expect(codes(inspection)).toEqual(['bad_signature', 'expired', 'user_id_looks_like_email']);
    expect(warningCodes(inspection)).toEqual(['lifetime_exceeds_policy']);
  });

  test.each([
    ['', /but this has no dots/],
    ['hello', /no dots/],
    ['a.b', /2 parts/],
    ['a.b.c.d.e', /5 parts/],
    ['a.b.c', /header is not base64url|header does not decode/],
    [`${b64('[1,2]')}.${b64({ user_id: '1' })}.sig`, /header decodes to JSON that is not an object/],
    [`${b64({ alg: 'HS256' })}.${b64('not json')}.sig`, /payload does not decode to JSON/],
    [`${b64({ alg: 'HS256' })}.${b64(goodPayload)}.sig=`, /signature has characters/],
    [`"${craft(goodPayload)}"`, /header is not base64url/],
    [`${b64({ alg: 'HS256' })}..sig`, /payload is empty/],
  ])('malformed %j → malformed, saying what is wrong', async (token, mentions) => {
    const inspection = await inspectToken(token, secret, policy, now);
    expect(codes(inspection)).toContain('malformed');
    expect(inspection.valid).toBe(false);
    expect(messageFor(inspection, 'malformed')).toMatch(mentions);
    expect(messageFor(inspection, 'malformed')).toMatch(/Copy the whole token again/);
  });

  test('a decodable header is still shown and checked when the payload is malformed', async () => {
    const inspection = await inspectToken(`${b64({ alg: 'RS256' })}.%%%.sig`, secret, policy, now);
    expect(inspection.header).toEqual({ alg: 'RS256' });
    expect(inspection.payload).toBeNull();
    expect(codes(inspection)).toEqual(['malformed', 'alg_not_hs256']);
  });

  test('random strings never throw and are always reported as malformed', async () => {
    const decodesToObject = (part: string | undefined): boolean => {
      try {
        const value: unknown = JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8'));
        return typeof value === 'object' && value !== null && /^[\w-]+$/.test(part ?? '');
      } catch {
        return false;
      }
    };
    const key = await importHmacKey(secret);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string(),
          fc.stringMatching(/^[A-Za-z0-9_.-]{0,80}$/),
          fc.array(fc.base64String(), { maxLength: 4 }).map((p) => p.join('.')),
        ),
        async (token) => {
          const parts = token.trim().split('.');
          fc.pre(!(parts.length === 3 && decodesToObject(parts[0]) && decodesToObject(parts[1])));
          const inspection = await inspectToken(token, key, policy, now);
          expect(inspection.valid).toBe(false);
          expect(codes(inspection)).toContain('malformed');
        },
      ),
      { numRuns: 300 },
    );
  });

  test('no problem or warning message ever contains the secret', async () => {
    const tokens = [
      craft(goodPayload, { key: 'x-other-key-000000000' }),
      craft({ user_id: secret, exp: nowSeconds - 1 }, { header: { alg: 'none' }, signature: '' }),
      craft({ user_id: 1, iat: 'x', exp: (nowSeconds + 60) * 1000 }),
      craft({ user_id: secret }),
      'garbage',
    ];
    for (const token of tokens) {
      const inspection = await inspectToken(token, secret, policy, now);
      expect(inspection.problems.length + inspection.warnings.length).toBeGreaterThan(0);
      for (const found of [...inspection.problems, ...inspection.warnings]) expect(found.message).not.toContain(secret);
    }
  });

  test('bad arguments (not bad tokens) throw typed errors', async () => {
    const token = craft(goodPayload);
    await expect(inspectToken(token, secret, { maxTtlSeconds: 0 }, now)).rejects.toBeInstanceOf(InspectionError);
    await expect(inspectToken(token, secret, policy, new Date(Number.NaN))).rejects.toMatchObject({
      code: 'now_invalid',
    });
    await expect(inspectToken(token, '', policy, now)).rejects.toMatchObject({ code: 'secret_empty' });
  });
});
