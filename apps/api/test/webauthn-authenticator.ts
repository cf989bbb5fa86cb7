import { isoCBOR } from '@simplewebauthn/server/helpers';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { createHash, generateKeyPairSync, KeyObject, randomBytes, sign } from 'node:crypto';

const b64url = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64url');
const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest();

const UP = 0x01;
const UV = 0x04;
const AT = 0x40;

/**
 * A software authenticator for the tests: a real ECDSA P-256 key pair, real CBOR (COSE key,
 * attestation object with fmt "none"), real authenticator data and signatures over
 * authData || SHA-256(clientDataJSON), as a platform authenticator would make them.
 */
export class SoftAuthenticator {
  readonly credentialId = randomBytes(16);
  counter = 0;

  constructor(
    readonly origin: string,
    readonly rpID = new URL(origin).hostname,
    private readonly keys: { publicKey: KeyObject; privateKey: KeyObject } = generateKeyPairSync('ec', {
      namedCurve: 'P-256',
    }),
  ) {}

  get id(): string {
    return b64url(this.credentialId);
  }

  /** The same key and credential id, counter and all: what copying the authenticator would give. */
  clone(): SoftAuthenticator {
    const copy = new SoftAuthenticator(this.origin, this.rpID, this.keys);
    (copy as { credentialId: Buffer }).credentialId = this.credentialId;
    copy.counter = this.counter;
    return copy;
  }

  private cosePublicKey(): Uint8Array {
    const jwk = this.keys.publicKey.export({ format: 'jwk' });
    return isoCBOR.encode(
      new Map<number, number | Uint8Array>([
        [1, 2], // kty: EC2
        [3, -7], // alg: ES256
        [-1, 1], // crv: P-256
        [-2, Buffer.from(jwk.x!, 'base64url')],
        [-3, Buffer.from(jwk.y!, 'base64url')],
      ]),
    );
  }

  private authData(rpID: string, flags: number, attested: boolean): Buffer {
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(this.counter);
    const parts = [sha256(rpID), Buffer.from([flags | (attested ? AT : 0)]), counter];
    if (attested) {
      const idLength = Buffer.alloc(2);
      idLength.writeUInt16BE(this.credentialId.length);
      parts.push(Buffer.alloc(16), idLength, this.credentialId, Buffer.from(this.cosePublicKey()));
    }
    return Buffer.concat(parts);
  }

  register(
    options: PublicKeyCredentialCreationOptionsJSON,
    tweak: { origin?: string; challenge?: string } = {},
  ): RegistrationResponseJSON {
    const clientDataJSON = JSON.stringify({
      type: 'webauthn.create',
      challenge: tweak.challenge ?? options.challenge,
      origin: tweak.origin ?? this.origin,
      crossOrigin: false,
    });
    const attestationObject = isoCBOR.encode(
      new Map<string, unknown>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', this.authData(options.rp.id ?? this.rpID, UP | UV, true)],
      ]) as never,
    );
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      response: {
        clientDataJSON: b64url(clientDataJSON),
        attestationObject: b64url(attestationObject),
        transports: ['internal'],
      },
      clientExtensionResults: {},
    };
  }

  /** Signs the options' challenge; the counter moves forward unless told what to send. */
  authenticate(
    options: PublicKeyCredentialRequestOptionsJSON,
    tweak: { origin?: string; counter?: number } = {},
  ): AuthenticationResponseJSON {
    this.counter = tweak.counter ?? this.counter + 1;
    const authenticatorData = this.authData(options.rpId ?? this.rpID, UP | UV, false);
    const clientDataJSON = JSON.stringify({
      type: 'webauthn.get',
      challenge: options.challenge,
      origin: tweak.origin ?? this.origin,
      crossOrigin: false,
    });
    const signature = sign('sha256', Buffer.concat([authenticatorData, sha256(clientDataJSON)]), this.keys.privateKey);
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      response: {
        clientDataJSON: b64url(clientDataJSON),
        authenticatorData: b64url(authenticatorData),
        signature: b64url(signature),
      },
      clientExtensionResults: {},
    };
  }
}
