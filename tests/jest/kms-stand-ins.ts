import { createCipheriv, createDecipheriv, generateKeyPairSync, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * Stand-ins for AWS KMS and Google Cloud KMS that speak the documented wire protocol of the
 * calls the vault makes, so the official SDKs run unmodified against them:
 * - AWS: JSON 1.1 over HTTP POST /, `X-Amz-Target: TrentService.Encrypt|Decrypt`, SigV4
 *   `Authorization` required; errors as `{"__type": "InvalidCiphertextException", ...}`.
 * - Google: the REST surface `POST /v1/{name}:encrypt|decrypt`, a Bearer token required;
 *   errors as `{"error": {"code": 400, "status": "INVALID_ARGUMENT", ...}}`.
 * Keys live in memory; ciphertexts are AES-256-GCM with the context or AAD authenticated.
 */
export interface KmsStandIn {
  readonly url: string;
  /** Every request's call name (`TrentService.Encrypt`, `encrypt`) and whether it was signed. */
  readonly calls: Array<{ call: string; signed: boolean }>;
  addKey(name: string): void;
  /** Connections are dropped while down, as an unreachable KMS. */
  down: boolean;
  close(): Promise<void>;
}

interface Base {
  server: Server;
  url: string;
  sockets: Set<Socket>;
}

async function listen(handler: (req: IncomingMessage, body: string, res: ServerResponse) => void): Promise<Base> {
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => handler(req, body, res));
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, sockets, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function seal(key: Buffer, name: string, plaintext: Buffer, aad: Buffer): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(aad);
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const nameBytes = Buffer.from(name);
  return Buffer.concat([Buffer.from([nameBytes.length]), nameBytes, iv, ct, cipher.getAuthTag()]);
}

function open(keys: Map<string, Buffer>, blob: Buffer, aad: Buffer): { name: string; plaintext: Buffer } | null {
  if (blob.length < 1 + 12 + 16) return null;
  const n = blob[0]!;
  const name = blob.subarray(1, 1 + n).toString();
  const key = keys.get(name);
  if (!key || blob.length < 1 + n + 12 + 16) return null;
  const iv = blob.subarray(1 + n, 13 + n);
  const tag = blob.subarray(blob.length - 16);
  try {
    const d = createDecipheriv('aes-256-gcm', key, iv).setAAD(aad);
    d.setAuthTag(tag);
    return { name, plaintext: Buffer.concat([d.update(blob.subarray(13 + n, blob.length - 16)), d.final()]) };
  } catch {
    return null;
  }
}

const canonical = (ctx: Record<string, string> | undefined) =>
  Buffer.from(JSON.stringify(Object.entries(ctx ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));

function finish(base: Base, keys: Map<string, Buffer>, calls: KmsStandIn['calls']): KmsStandIn {
  const standIn: KmsStandIn = {
    url: base.url,
    calls,
    down: false,
    addKey: (name) => keys.set(name, randomBytes(32)),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of base.sockets) s.destroy();
        base.server.close(() => resolve());
      }),
  };
  base.server.prependListener('request', (req: IncomingMessage) => {
    if (standIn.down) req.socket.destroy();
  });
  return standIn;
}

export async function startAwsKmsStandIn(): Promise<KmsStandIn> {
  const keys = new Map<string, Buffer>();
  const calls: KmsStandIn['calls'] = [];
  const reply = (res: ServerResponse, status: number, body: object) => {
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(body));
  };
  const base = await listen((req, body, res) => {
    if (res.destroyed) return;
    const target = String(req.headers['x-amz-target'] ?? '');
    const auth = String(req.headers.authorization ?? '');
    const signed =
      /^AWS4-HMAC-SHA256 Credential=[^/]+\/\d{8}\/[a-z0-9-]+\/kms\/aws4_request, SignedHeaders=.+, Signature=[0-9a-f]{64}$/.test(
        auth,
      ) && typeof req.headers['x-amz-date'] === 'string';
    calls.push({ call: target, signed });
    if (!signed) return reply(res, 400, { __type: 'MissingAuthenticationTokenException', message: 'not signed' });
    if (req.method !== 'POST' || req.headers['content-type'] !== 'application/x-amz-json-1.1')
      return reply(res, 400, { __type: 'SerializationException', message: 'expected application/x-amz-json-1.1' });
    const input = JSON.parse(body) as Record<string, unknown>;
    const context = canonical(input.EncryptionContext as Record<string, string> | undefined);
    if (target === 'TrentService.Encrypt') {
      const key = keys.get(String(input.KeyId));
      if (!key)
        return reply(res, 400, { __type: 'NotFoundException', message: `Key '${String(input.KeyId)}' does not exist` });
      const blob = seal(key, String(input.KeyId), Buffer.from(String(input.Plaintext), 'base64'), context);
      return reply(res, 200, {
        CiphertextBlob: blob.toString('base64'),
        KeyId: input.KeyId,
        EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
      });
    }
    if (target === 'TrentService.Decrypt') {
      const opened = open(keys, Buffer.from(String(input.CiphertextBlob), 'base64'), context);
      if (!opened) return reply(res, 400, { __type: 'InvalidCiphertextException', message: '' });
      if (input.KeyId !== undefined && input.KeyId !== opened.name)
        return reply(res, 400, { __type: 'IncorrectKeyException', message: 'wrong key' });
      return reply(res, 200, {
        Plaintext: opened.plaintext.toString('base64'),
        KeyId: opened.name,
        EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
      });
    }
    return reply(res, 400, { __type: 'UnknownOperationException', message: target });
  });
  return finish(base, keys, calls);
}

export async function startGcpKmsStandIn(): Promise<KmsStandIn & { credentialsFile(path: string): void }> {
  const keys = new Map<string, Buffer>();
  const calls: KmsStandIn['calls'] = [];
  const reply = (res: ServerResponse, status: number, body: object) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  const invalid = (res: ServerResponse, message: string) =>
    reply(res, 400, { error: { code: 400, message, status: 'INVALID_ARGUMENT' } });
  const base = await listen((req, body, res) => {
    if (res.destroyed) return;
    const url = new URL(req.url ?? '/', 'http://stand-in');
    if (url.pathname === '/token')
      return reply(res, 200, { access_token: 'stand-in', expires_in: 3600, token_type: 'Bearer' });
    const m = /^\/v1\/(projects\/[^/]+\/locations\/[^/]+\/keyRings\/[^/]+\/cryptoKeys\/[^/:]+):(encrypt|decrypt)$/.exec(
      url.pathname,
    );
    const signed = /^Bearer \S+$/.test(String(req.headers.authorization ?? ''));
    calls.push({ call: m?.[2] ?? url.pathname, signed });
    if (!signed) return reply(res, 401, { error: { code: 401, message: 'no credentials', status: 'UNAUTHENTICATED' } });
    if (req.method !== 'POST' || !m)
      return reply(res, 404, { error: { code: 404, message: 'not found', status: 'NOT_FOUND' } });
    const [, name, call] = m;
    const key = keys.get(name!);
    if (!key) return reply(res, 404, { error: { code: 404, message: `${name} not found`, status: 'NOT_FOUND' } });
    const input = JSON.parse(body || '{}') as Record<string, string | undefined>;
    const aad = Buffer.from(input.additionalAuthenticatedData ?? '', 'base64');
    if (call === 'encrypt') {
      const blob = seal(key, name!, Buffer.from(input.plaintext ?? '', 'base64'), aad);
      return reply(res, 200, { name: `${name}/cryptoKeyVersions/1`, ciphertext: blob.toString('base64') });
    }
    const opened = open(keys, Buffer.from(input.ciphertext ?? '', 'base64'), aad);
    if (!opened || opened.name !== name) return invalid(res, 'Decryption failed: the ciphertext is invalid.');
    return reply(res, 200, { plaintext: opened.plaintext.toString('base64'), usedPrimary: true });
  });
  const standIn = finish(base, keys, calls);
  return Object.assign(standIn, {
    /** A service-account key for Application Default Credentials (the client signs its own JWTs). */
    credentialsFile(path: string) {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      writeFileSync(
        path,
        JSON.stringify({
          type: 'service_account',
          project_id: 'p',
          private_key_id: 'stand-in',
          private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }),
          client_email: 'vault@p.iam.gserviceaccount.com',
          client_id: '1',
          token_uri: `${base.url}/token`,
        }),
        { mode: 0o600 },
      );
    },
  });
}
