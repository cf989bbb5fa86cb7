import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { DecryptCommand, EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { KeyManagementServiceClient } from '@google-cloud/kms';
import type { RemoteMasterKey } from './remote-master-key';
import { DecryptionFailed, KeyProviderUnavailable } from './vault-errors';

/** A KMS call that takes longer than this counts as the KMS being down: requests must not hang on it. */
const KMS_TIMEOUT_MS = 3_000;
const BINDING_CONTEXT = 'messenger-vault:binding';
const PROBE_CONTEXT = Buffer.from('messenger-vault:key-check');

/**
 * The key check value of a KMS key: the KMS never shows key bytes and encrypts at random, so the
 * value identifies the key by its name (a KMS key name never changes its key material, only its
 * versions, which the KMS tracks inside the ciphertext). Computing it also runs an
 * encrypt/decrypt round trip, so the start-up check proves the key is reachable and usable.
 */
async function checkByRoundTrip(key: RemoteMasterKey, prefix: string, name: string): Promise<string> {
  const probe = randomBytes(32);
  const back = await key.unwrap(await key.wrap(probe, PROBE_CONTEXT), PROBE_CONTEXT);
  if (back.length !== probe.length || !timingSafeEqual(back, probe)) {
    throw new KeyProviderUnavailable(key.keyId, `${key.description} returned a different value than it encrypted`);
  }
  return `${prefix}:${createHash('sha256').update(name).digest('hex').slice(0, 32)}`;
}

export interface AwsKmsOptions {
  /** Overrides the regional endpoint (a VPC endpoint, or a stand-in in tests). */
  readonly endpoint?: string | null;
}

/** AWS KMS errors that say the ciphertext or its encryption context do not authenticate. */
const AWS_AUTH_ERRORS = new Set(['InvalidCiphertextException', 'IncorrectKeyException']);

/**
 * A keyring entry `<id>:awskms:<key ARN>`: Encrypt/Decrypt on a symmetric KMS key, the binding
 * carried as encryption context (authenticated, not stored in the ciphertext blob).
 */
export class AwsKmsMasterKey implements RemoteMasterKey {
  readonly kind = 'awskms';
  readonly #client: KMSClient;

  constructor(
    readonly keyId: string,
    readonly arn: string,
    options: AwsKmsOptions = {},
  ) {
    const region = arn.split(':')[3]!;
    this.#client = new KMSClient({
      region,
      maxAttempts: 2,
      requestHandler: { connectionTimeout: KMS_TIMEOUT_MS, requestTimeout: KMS_TIMEOUT_MS },
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    });
  }

  get description(): string {
    return `AWS KMS key ${this.arn}`;
  }

  async wrap(dataKey: Buffer, aad: Buffer): Promise<Buffer> {
    const out = await this.#call(() =>
      this.#client.send(new EncryptCommand({ KeyId: this.arn, Plaintext: dataKey, EncryptionContext: context(aad) })),
    );
    if (!out.CiphertextBlob) throw new KeyProviderUnavailable(this.keyId, `${this.description}: no CiphertextBlob`);
    return Buffer.from(out.CiphertextBlob);
  }

  async unwrap(wrapped: Buffer, aad: Buffer): Promise<Buffer> {
    const out = await this.#call(() =>
      this.#client.send(
        new DecryptCommand({ KeyId: this.arn, CiphertextBlob: wrapped, EncryptionContext: context(aad) }),
      ),
    );
    if (!out.Plaintext) throw new KeyProviderUnavailable(this.keyId, `${this.description}: no Plaintext`);
    return Buffer.from(out.Plaintext);
  }

  checkValue(): Promise<string> {
    return checkByRoundTrip(this, 'awskms-arn-sha256', this.arn);
  }

  async close(): Promise<void> {
    this.#client.destroy();
  }

  async #call<T>(send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (err) {
      const name = (err as Error).name || 'Error';
      if (AWS_AUTH_ERRORS.has(name)) throw new DecryptionFailed('data-key', this.keyId);
      const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      throw new KeyProviderUnavailable(
        this.keyId,
        `${this.description} failed (${name}${status ? `, HTTP ${status}` : ''}); check the key policy, credentials and network`,
      );
    }
  }
}

function context(aad: Buffer): Record<string, string> {
  return { [BINDING_CONTEXT]: aad.toString('base64') };
}

export interface GcpKmsOptions {
  /** A REST endpoint (`https://host[:port]` or `http://` for a local stand-in); unset, gRPC to Google. */
  readonly endpoint?: string | null;
}

const GRPC_STATUS: Record<number, string> = {
  3: 'INVALID_ARGUMENT',
  4: 'DEADLINE_EXCEEDED',
  5: 'NOT_FOUND',
  7: 'PERMISSION_DENIED',
  14: 'UNAVAILABLE',
  16: 'UNAUTHENTICATED',
};

/**
 * The canonical status of a Cloud KMS error: gRPC gives a numeric code, the REST fallback the
 * HTTP status with Google's JSON error body as message. INVALID_ARGUMENT is Cloud KMS's answer
 * to a ciphertext or AAD that does not authenticate.
 */
function grpcStatus(err: unknown): string | undefined {
  const { code, message } = err as { code?: unknown; message?: unknown };
  if (typeof message === 'string') {
    const rest = /"status":\s*"([A-Z_]+)"/.exec(message);
    if (rest) return rest[1];
  }
  if (typeof code === 'number') return GRPC_STATUS[code] ?? `gRPC status ${code}`;
  return undefined;
}

/**
 * A keyring entry `<id>:gcpkms:<key resource name>`: encrypt/decrypt on a symmetric Cloud KMS
 * key (its primary version encrypts; the version is inside the ciphertext), the binding as
 * additionalAuthenticatedData.
 */
export class GcpKmsMasterKey implements RemoteMasterKey {
  readonly kind = 'gcpkms';
  readonly #client: KeyManagementServiceClient;

  constructor(
    readonly keyId: string,
    readonly resource: string,
    options: GcpKmsOptions = {},
  ) {
    // Node's own fetch rather than gaxios' dynamic import of node-fetch: one HTTP stack, and it
    // loads under jest too.
    const clientOptions = { transporterOptions: { fetchImplementation: fetch } };
    type Options = ConstructorParameters<typeof KeyManagementServiceClient>[0];
    if (options.endpoint) {
      const url = new URL(options.endpoint);
      this.#client = new KeyManagementServiceClient({
        fallback: true,
        apiEndpoint: url.hostname,
        port: Number(url.port || (url.protocol === 'http:' ? 80 : 443)),
        protocol: url.protocol.replace(':', ''),
        clientOptions,
      } as Options);
    } else {
      this.#client = new KeyManagementServiceClient({ clientOptions } as Options);
    }
  }

  get description(): string {
    return `Google Cloud KMS key ${this.resource}`;
  }

  async wrap(dataKey: Buffer, aad: Buffer): Promise<Buffer> {
    const [out] = await this.#call(() =>
      this.#client.encrypt(
        { name: this.resource, plaintext: dataKey, additionalAuthenticatedData: aad },
        { timeout: KMS_TIMEOUT_MS, retry: null },
      ),
    );
    if (!out.ciphertext) throw new KeyProviderUnavailable(this.keyId, `${this.description}: no ciphertext`);
    return Buffer.from(out.ciphertext as Uint8Array | string);
  }

  async unwrap(wrapped: Buffer, aad: Buffer): Promise<Buffer> {
    const [out] = await this.#call(() =>
      this.#client.decrypt(
        { name: this.resource, ciphertext: wrapped, additionalAuthenticatedData: aad },
        { timeout: KMS_TIMEOUT_MS, retry: null },
      ),
    );
    if (!out.plaintext) throw new KeyProviderUnavailable(this.keyId, `${this.description}: no plaintext`);
    return Buffer.from(out.plaintext as Uint8Array | string);
  }

  checkValue(): Promise<string> {
    return checkByRoundTrip(this, 'gcpkms-name-sha256', this.resource);
  }

  async close(): Promise<void> {
    await this.#client.close();
  }

  async #call<T>(send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (err) {
      const status = grpcStatus(err);
      if (status === 'INVALID_ARGUMENT') throw new DecryptionFailed('data-key', this.keyId);
      const name = status ?? ((err as Error).name || 'Error');
      throw new KeyProviderUnavailable(
        this.keyId,
        `${this.description} failed (${name}); check the key's IAM bindings, credentials and network`,
      );
    }
  }
}
