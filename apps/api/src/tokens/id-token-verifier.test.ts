import fc from 'fast-check';
import {
  CompactSign,
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  jwtVerify,
  type JWK,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { sign as cryptoSign, generateKeyPairSync, type KeyObject, type webcrypto } from 'node:crypto';
import { IdTokenVerifier, type FullVerify } from './id-token-verifier';

const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
const ISSUER = 'https://idp.example.test/';
const AUDIENCE = 'web-app';
const expected = { issuer: ISSUER, audience: AUDIENCE, algorithms: ALGORITHMS };
const now = () => Math.floor(Date.now() / 1000);

interface Signer {
  alg: string;
  kid: string;
  privateKey: webcrypto.CryptoKey | KeyObject;
  jwk: JWK;
}

async function signer(alg: string, kid = `k-${alg}`): Promise<Signer> {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  return { alg, kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

/** Signs whatever bytes and header it is given: the malformed cases need that. */
async function sign(s: Signer, payload: unknown, header: Record<string, unknown> = {}): Promise<string> {
  const bytes =
    payload instanceof Uint8Array
      ? payload
      : new TextEncoder().encode(typeof payload === 'string' ? payload : JSON.stringify(payload));
  return new CompactSign(bytes)
    .setProtectedHeader({ alg: s.alg, kid: s.kid, ...header } as never)
    .sign(s.privateKey as webcrypto.CryptoKey);
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

const claims = (extra: Record<string, unknown> = {}) => ({
  iss: ISSUER,
  aud: AUDIENCE,
  sub: 'user-1',
  iat: now() - 5,
  exp: now() + 3600,
  email: 'user@example.com',
  ...extra,
});

type Outcome = { accepted: true; payload: JWTPayload } | { accepted: false; error: string; message: string };

async function outcome(run: () => Promise<JWTPayload>): Promise<Outcome> {
  try {
    return { accepted: true, payload: await run() };
  } catch (err) {
    return { accepted: false, error: (err as Error).constructor.name, message: (err as Error).message };
  }
}

function counting() {
  const calls = { full: 0 };
  const full: FullVerify = (token, keys, options) => {
    calls.full += 1;
    return jwtVerify(token, keys, options);
  };
  return { calls, verifier: new IdTokenVerifier(full) };
}

/** Ours against jose's own verdict for the same token, keys and options. */
async function compare(token: string, keys: JWTVerifyGetKey, exp = expected) {
  const { calls, verifier } = counting();
  const ours = await outcome(() => verifier.verify(token, keys, exp));
  const jose = await outcome(async () => {
    const { payload } = await jwtVerify(token, keys, {
      issuer: exp.issuer,
      audience: exp.audience,
      algorithms: [...exp.algorithms],
      requiredClaims: ['exp'],
    });
    return payload;
  });
  expect(ours).toEqual(jose);
  return { ours, fullCalls: calls.full };
}

describe('IdTokenVerifier: the same verdicts as jose, faster when the token is good', () => {
  const signers = new Map<string, Signer>();
  const by = (alg: string) => {
    const found = signers.get(alg);
    if (!found) throw new Error(`no ${alg} key`);
    return found;
  };
  let keys: JWTVerifyGetKey;
  let impostor: Signer;

  beforeAll(async () => {
    for (const alg of ALGORITHMS) signers.set(alg, await signer(alg));
    // Same kid and algorithm as the real RS256 key, another private key: a forged signature.
    impostor = { ...(await signer('RS256')), kid: 'k-RS256' };
    keys = createLocalJWKSet({ keys: [...signers.values()].map((s) => s.jwk) });
  });

  test.each(ALGORITHMS)('%s: a good token is accepted without jose, with the claims jose reads', async (alg) => {
    const token = await sign(by(alg), claims());
    const { ours, fullCalls } = await compare(token, keys);
    expect(ours.accepted).toBe(true);
    expect(fullCalls).toBe(0);
  });

  test.each(ALGORITHMS)('%s: a forged or altered signature is refused as jose refuses it', async (alg) => {
    const good = await sign(by(alg), claims());
    const [h, p, sig = ''] = good.split('.');
    const flipped = `${sig.slice(0, 10)}${sig[10] === 'A' ? 'B' : 'A'}${sig.slice(11)}`;
    for (const token of [
      `${h}.${p}.${flipped}`,
      `${h}.${Buffer.from(JSON.stringify(claims({ sub: 'admin' }))).toString('base64url')}.${sig}`,
    ]) {
      const { ours, fullCalls } = await compare(token, keys);
      expect(ours).toMatchObject({ accepted: false, error: 'JWSSignatureVerificationFailed' });
      // Refused without asking jose again: everything before the signature passed.
      expect(fullCalls).toBe(0);
    }
  });

  test.each(ALGORITHMS)('%s: an expired token is refused with jose’s JWTExpired', async (alg) => {
    const { ours } = await compare(await sign(by(alg), claims({ exp: now() - 10 })), keys);
    expect(ours).toMatchObject({ accepted: false, error: 'JWTExpired' });
  });

  test('a token signed by another key with the same kid is refused', async () => {
    const { ours } = await compare(await sign(impostor, claims()), keys);
    expect(ours).toMatchObject({ accepted: false, error: 'JWSSignatureVerificationFailed' });
  });

  const claimCases: Array<[string, Record<string, unknown>, boolean]> = [
    ['nbf in the future', { nbf: now() + 600 }, false],
    ['nbf in the past', { nbf: now() - 600 }, true],
    ['iat not a number', { iat: '1700000000' }, false],
    ['iat null', { iat: null }, false],
    ['exp not a number', { exp: String(now() + 3600) }, false],
    ['exp missing', { exp: undefined }, false],
    ['exp null', { exp: null }, false],
    ['aud missing', { aud: undefined }, false],
    ['aud another app', { aud: 'other-app' }, false],
    ['aud a list naming it', { aud: ['other-app', AUDIENCE] }, true],
    ['aud a list not naming it', { aud: ['other-app'] }, false],
    ['aud a number', { aud: 7 }, false],
    ['aud a list holding a non-string', { aud: [AUDIENCE, 7] }, true],
    ['iss another issuer', { iss: 'https://evil.example.test/' }, false],
    ['iss missing', { iss: undefined }, false],
    ['iss with a trailing space', { iss: `${ISSUER} ` }, false],
  ];
  test.each(claimCases)('claims: %s', async (_name, extra, accepted) => {
    const { ours, fullCalls } = await compare(await sign(by('RS256'), claims(extra)), keys);
    expect(ours.accepted).toBe(accepted);
    if (accepted) expect(fullCalls).toBe(0);
  });

  const headerCases: Array<[string, Record<string, unknown>]> = [
    ['alg none', { alg: 'none' }],
    ['alg HS256', { alg: 'HS256' }],
    ['an unknown kid', { kid: 'nobody' }],
    ['a crit parameter jose does not know', { crit: ['exp'], exp: 1 }],
    ['b64 false', { b64: false, crit: ['b64'] }],
  ];
  test.each(headerCases)('header: %s is refused as jose refuses it', async (_name, header) => {
    // Signed with the RS256 key whatever the header claims: what jose does with it is the point.
    const token = await sign(by('RS256'), claims(), header).catch(async () => {
      const s = await sign(by('RS256'), claims());
      const [, p, sig] = s.split('.');
      return `${Buffer.from(JSON.stringify({ alg: 'RS256', kid: 'k-RS256', ...header })).toString('base64url')}.${p}.${sig}`;
    });
    const { ours } = await compare(token, keys);
    expect(ours.accepted).toBe(false);
  });

  test('an algorithm the tenant does not allow is refused', async () => {
    const token = await sign(by('ES256'), claims());
    const { ours } = await compare(token, keys, { ...expected, algorithms: ['RS256'] });
    expect(ours).toMatchObject({ accepted: false, error: 'JOSEAlgNotAllowed' });
  });

  test('an RSA key shorter than 2048 bits is refused even with a valid signature', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const weakKeys = createLocalJWKSet({
      keys: [{ ...(publicKey.export({ format: 'jwk' }) as JWK), kid: 'weak', alg: 'RS256' }],
    });
    // jose will not sign with such a key either: signed here with node:crypto.
    const input = `${b64({ alg: 'RS256', kid: 'weak' })}.${b64(claims())}`;
    const token = `${input}.${cryptoSign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
    const { ours } = await compare(token, weakKeys);
    expect(ours).toMatchObject({ accepted: false, message: expect.stringContaining('2048') });
  });

  test('several keys match: jose decides', async () => {
    const twin = await signer('RS256', 'twin');
    const noKid = { ...twin.jwk, kid: undefined };
    const both = createLocalJWKSet({ keys: [{ ...by('RS256').jwk, kid: undefined }, noKid] });
    const { privateKey } = twin;
    const token = await new CompactSign(new TextEncoder().encode(JSON.stringify(claims())))
      .setProtectedHeader({ alg: 'RS256' })
      .sign(privateKey as webcrypto.CryptoKey);
    const { fullCalls } = await compare(token, both);
    expect(fullCalls).toBe(1);
  });

  test.each([
    ['a payload that is not JSON', 'not json'],
    ['a payload that is a JSON array', '[1,2]'],
    ['a payload that is JSON null', 'null'],
    ['a payload that is not UTF-8', new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])],
  ])('%s is refused as jose refuses it', async (_name, payload) => {
    const { ours } = await compare(await sign(by('RS256'), payload), keys);
    expect(ours.accepted).toBe(false);
  });

  test('malformed compact forms are refused as jose refuses them', async () => {
    const good = await sign(by('RS256'), claims());
    const [h, p, s] = good.split('.');
    for (const token of [
      `${h}.${p}`,
      `${h}.${p}.${s}.x`,
      `${h}.${p}.`,
      `.${p}.${s}`,
      `${h}!.${p}.${s}`,
      `${h}.${p}.${s}A`,
      '',
      '...',
    ]) {
      const { ours } = await compare(token, keys);
      expect(ours.accepted).toBe(false);
    }
    // Padding jose's decoder takes: jose accepts it, and so does the verifier (through jose).
    const { ours, fullCalls } = await compare(`${h}.${p}.${s}==`, keys);
    expect({ accepted: ours.accepted, fullCalls }).toEqual({ accepted: true, fullCalls: 1 });
  });

  test('a key set that cannot be reached fails once, with the key set’s own error', async () => {
    let calls = 0;
    const unreachable: JWTVerifyGetKey = () => {
      calls += 1;
      return Promise.reject(new Error('ECONNREFUSED'));
    };
    const { verifier } = counting();
    await expect(verifier.verify(await sign(by('RS256'), claims()), unreachable, expected)).rejects.toThrow(
      'ECONNREFUSED',
    );
    expect(calls).toBe(1);
  });

  test('any one-character change to a good token gets jose’s verdict', async () => {
    const good = await sign(by('ES256'), claims());
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ ';
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: good.length - 1 }), fc.nat({ max: alphabet.length - 1 }), async (at, pick) => {
        const token = `${good.slice(0, at)}${alphabet[pick]}${good.slice(at + 1)}`;
        await compare(token, keys);
      }),
      { numRuns: 300 },
    );
  });
});
