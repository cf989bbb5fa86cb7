import fc from 'fast-check';

import { buildMessengerClaims, ClaimsError, type ClaimsErrorCode, type MessengerUser } from './index';

const now = new Date('2026-01-01T00:00:00.900Z');
const nowSeconds = 1767225600;

function expectClaimsError(run: () => unknown, code: ClaimsErrorCode, mentions: RegExp): void {
  let thrown: unknown;
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(ClaimsError);
  expect((thrown as ClaimsError).code).toBe(code);
  expect((thrown as ClaimsError).message).toMatch(mentions);
}

describe('buildMessengerClaims', () => {
  test('carries user_id, identity fields and attributes, with iat = now in whole seconds and exp = iat + ttl', () => {
    const claims = buildMessengerClaims(
      {
        userId: '42',
        email: 'jane@example.com',
        name: 'Jane',
        attributes: { plan: 'pro', seats: 3, trial: false, coupon: null },
      },
      { now, ttlSeconds: 3600 },
    );
    expect(claims).toEqual({
      user_id: '42',
      email: 'jane@example.com',
      name: 'Jane',
      plan: 'pro',
      seats: 3,
      trial: false,
      coupon: null,
      iat: nowSeconds,
      exp: nowSeconds + 3600,
    });
  });

  test('leaves out email and name when they are not given', () => {
    expect(buildMessengerClaims({ userId: 'u-1' }, { now, ttlSeconds: 60 })).toEqual({
      user_id: 'u-1',
      iat: nowSeconds,
      exp: nowSeconds + 60,
    });
  });

  test('exp is always iat + ttl and user_id always the given string', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }).filter((id) => id.trim() === id && id.trim() !== '' && !id.includes('@')),
        fc.integer({ min: 0, max: 4_000_000_000_000 }),
        fc.integer({ min: 1, max: 31_536_000 }),
        (userId, millis, ttlSeconds) => {
          const claims = buildMessengerClaims({ userId }, { now: new Date(millis), ttlSeconds });
          expect(claims.user_id).toBe(userId);
          expect(claims.iat).toBe(Math.floor(millis / 1000));
          expect(claims.exp - claims.iat).toBe(ttlSeconds);
        },
      ),
    );
  });

  test.each<[string, MessengerUser, ClaimsErrorCode, RegExp]>([
    ['an empty userId', { userId: '' }, 'user_id_missing', /userId is required/],
    ['a numeric userId', { userId: 123 as unknown as string }, 'user_id_not_string', /must be a string.*"123"/],
    ['a userId with surrounding spaces', { userId: ' 42 ' }, 'user_id_whitespace', /Trim it/],
    ['an email as userId', { userId: 'jane@example.com' }, 'user_id_looks_like_email', /stable user id/],
    ['a malformed email', { userId: '42', email: 'jane' }, 'email_invalid', /jane@example\.com/],
    ['a blank name', { userId: '42', name: '  ' }, 'name_invalid', /display name/],
    [
      'an attribute named exp',
      { userId: '42', attributes: { exp: 1 } },
      'attribute_reserved',
      /"exp" is set by the token/,
    ],
    ['an attribute named user_id', { userId: '42', attributes: { user_id: 'x' } }, 'attribute_reserved', /as userId/],
    ['an attribute with no name', { userId: '42', attributes: { '': 'x' } }, 'attribute_name_invalid', /empty name/],
    [
      'an object attribute',
      { userId: '42', attributes: { company: { id: 1 } as unknown as string } },
      'attribute_value_invalid',
      /"company" is a object/,
    ],
    [
      'a NaN attribute',
      { userId: '42', attributes: { score: Number.NaN } },
      'attribute_value_invalid',
      /finite number/,
    ],
  ])('refuses %s with a typed error', (_label, user, code, mentions) => {
    expectClaimsError(() => buildMessengerClaims(user, { now, ttlSeconds: 3600 }), code, mentions);
  });

  test.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses ttlSeconds %p', (ttlSeconds) => {
    expectClaimsError(
      () => buildMessengerClaims({ userId: '42' }, { now, ttlSeconds }),
      'ttl_invalid',
      /session length/,
    );
  });

  test('refuses an invalid Date as now', () => {
    expectClaimsError(
      () => buildMessengerClaims({ userId: '42' }, { now: new Date('nope'), ttlSeconds: 60 }),
      'now_invalid',
      /valid Date/,
    );
  });
});

test('allowEmailUserId signs a user_id that is an email address; without it the address is refused', () => {
  const timing = { now: new Date('2026-01-01T00:00:00Z'), ttlSeconds: 60 };
  expect(() => buildMessengerClaims({ userId: 'jane@example.com' }, timing)).toThrow(/looks like an email/);
  expect(buildMessengerClaims({ userId: 'jane@example.com' }, timing, { allowEmailUserId: true }).user_id).toBe(
    'jane@example.com',
  );
});
