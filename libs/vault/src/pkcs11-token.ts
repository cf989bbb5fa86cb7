import { randomBytes } from 'node:crypto';
import * as pkcs11 from 'pkcs11js';
import type { RemoteMasterKey } from './remote-master-key';
import { DecryptionFailed, InvalidInput, KeyProviderUnavailable } from './vault-errors';

export interface Pkcs11Config {
  /** Path of the PKCS#11 library, such as SoftHSM2's libsofthsm2.so. */
  readonly module: string;
  readonly tokenLabel: string;
  /** Read when logging in; never stored in messages. */
  readonly pin: () => string;
}

const GCM_IV_BYTES = 12;
const GCM_TAG_BITS = 128;
/** Layout version of a wrapped key: `0x01 || iv (12) || ciphertext (32) || tag (16)`. */
const WRAP_FORMAT_GCM = 0x01;
const KEY_CHECK_LABEL = Buffer.from('messenger-vault:key-check');
const KEY_CHECK_BYTES = 16;
/** After a failed (re)connect, calls fail at once for this long instead of each retrying. */
const RECONNECT_AFTER_MS = 1_000;

/** PKCS#11 errors that mean the PIN itself is wrong or locked: retrying would only lock a real HSM. */
const PIN_ERRORS = new Set(['CKR_PIN_INCORRECT', 'CKR_PIN_LOCKED', 'CKR_PIN_INVALID', 'CKR_PIN_LEN_RANGE']);
/** What a token says when ciphertext or AAD do not authenticate (SoftHSM2 answers CKR_GENERAL_ERROR). */
const AUTH_ERRORS = new Set(['CKR_ENCRYPTED_DATA_INVALID', 'CKR_ENCRYPTED_DATA_LEN_RANGE', 'CKR_GENERAL_ERROR']);

function ckr(err: unknown): string {
  if (err instanceof Error) return err.message.split(/[\s:]/)[0] || 'CKR_GENERAL_ERROR';
  return 'CKR_GENERAL_ERROR';
}

/**
 * Users of each PKCS#11 library in this process. The library is one per process (the API and a
 * CLI command run in one process in tests), so C_Initialize and C_Finalize are shared: a clean
 * close leaves the library initialised while another user holds a session.
 */
const LIVE = new Map<string, Set<Pkcs11Token>>();
/** Bumped at each C_Finalize of a library: sessions opened before it are gone. */
const GENERATION = new Map<string, number>();

function liveUsers(module: string): Set<Pkcs11Token> {
  let users = LIVE.get(module);
  if (!users) LIVE.set(module, (users = new Set()));
  return users;
}

interface Session {
  handle: pkcs11.Handle;
  generation: number;
  keys: Map<string, pkcs11.Handle>;
}

/**
 * One logged-in session on one PKCS#11 token, shared by every key on it. The token can go away
 * while serving (pulled, rebooted, network HSM unreachable): a failing call drops the session,
 * and the next call finalises the library and connects again, so the token coming back heals
 * without a restart. A wrong or locked PIN is never retried: a real HSM locks the user out.
 * pkcs11js calls are synchronous, so no two calls interleave on the session.
 */
export class Pkcs11Token {
  readonly #config: Pkcs11Config;
  #lib: pkcs11.PKCS11 | undefined;
  #initialized = false;
  #session: Session | undefined;
  #failure: { at: number; problem: string; sticky: boolean } | undefined;

  constructor(config: Pkcs11Config) {
    this.#config = config;
  }

  get description(): string {
    return `PKCS#11 token "${this.#config.tokenLabel}"`;
  }

  key(keyId: string, label: string): Pkcs11MasterKey {
    return new Pkcs11MasterKey(this, keyId, label);
  }

  /**
   * Generates a sensitive, non-extractable AES-256 key under `label`, allowed to encrypt,
   * decrypt and compute the CMAC key check value only. Refuses a label already in use.
   */
  generateKey(label: string): void {
    this.#run('(generating a key)', (lib, session) => {
      if (this.#find(lib, session, label).length > 0) {
        throw new InvalidInput('label', `"${label}" already names a key on ${this.description}; pick another label`);
      }
      lib.C_GenerateKey(session.handle, { mechanism: pkcs11.CKM_AES_KEY_GEN, parameter: undefined }, [
        { type: pkcs11.CKA_CLASS, value: pkcs11.CKO_SECRET_KEY },
        { type: pkcs11.CKA_KEY_TYPE, value: pkcs11.CKK_AES },
        { type: pkcs11.CKA_VALUE_LEN, value: 32 },
        { type: pkcs11.CKA_LABEL, value: label },
        { type: pkcs11.CKA_TOKEN, value: true },
        { type: pkcs11.CKA_PRIVATE, value: true },
        { type: pkcs11.CKA_SENSITIVE, value: true },
        { type: pkcs11.CKA_EXTRACTABLE, value: false },
        { type: pkcs11.CKA_MODIFIABLE, value: false },
        { type: pkcs11.CKA_ENCRYPT, value: true },
        { type: pkcs11.CKA_DECRYPT, value: true },
        { type: pkcs11.CKA_SIGN, value: true },
        { type: pkcs11.CKA_VERIFY, value: false },
        { type: pkcs11.CKA_WRAP, value: false },
        { type: pkcs11.CKA_UNWRAP, value: false },
        { type: pkcs11.CKA_DERIVE, value: false },
      ]);
    });
  }

  /** AES-256-GCM inside the token under the key labelled `label`, with `aad` authenticated. */
  encrypt(keyId: string, label: string, plaintext: Buffer, aad: Buffer): Buffer {
    const iv = randomBytes(GCM_IV_BYTES);
    return this.#run(keyId, (lib, session) => {
      const key = this.#keyHandle(lib, session, keyId, label);
      lib.C_EncryptInit(session.handle, gcm(iv, aad), key);
      const out = lib.C_Encrypt(session.handle, plaintext, Buffer.alloc(plaintext.length + GCM_TAG_BITS / 8 + 16));
      return Buffer.concat([Buffer.from([WRAP_FORMAT_GCM]), iv, out]);
    });
  }

  decrypt(keyId: string, label: string, wrapped: Buffer, aad: Buffer): Buffer {
    if (wrapped.length < 1 + GCM_IV_BYTES + GCM_TAG_BITS / 8 || wrapped[0] !== WRAP_FORMAT_GCM) {
      throw new DecryptionFailed('data-key', keyId);
    }
    const iv = wrapped.subarray(1, 1 + GCM_IV_BYTES);
    const body = wrapped.subarray(1 + GCM_IV_BYTES);
    return this.#run(keyId, (lib, session) => {
      const key = this.#keyHandle(lib, session, keyId, label);
      lib.C_DecryptInit(session.handle, gcm(iv, aad), key);
      try {
        return lib.C_Decrypt(session.handle, body, Buffer.alloc(body.length));
      } catch (err) {
        if (!AUTH_ERRORS.has(ckr(err))) throw err;
        // CKR_GENERAL_ERROR may also be the token failing: only a token that still answers for
        // this key makes it a verdict on the data.
        lib.C_GetAttributeValue(session.handle, key, [{ type: pkcs11.CKA_CLASS }]);
        throw new DecryptionFailed('data-key', keyId);
      }
    });
  }

  /** AES-CMAC of a fixed label inside the token, truncated to 128 bits. */
  checkValue(keyId: string, label: string): string {
    return this.#run(keyId, (lib, session) => {
      const key = this.#keyHandle(lib, session, keyId, label);
      lib.C_SignInit(session.handle, { mechanism: pkcs11.CKM_AES_CMAC, parameter: undefined }, key);
      const mac = lib.C_Sign(session.handle, KEY_CHECK_LABEL, Buffer.alloc(16));
      return `pkcs11-aes-cmac:${mac.subarray(0, KEY_CHECK_BYTES).toString('hex')}`;
    });
  }

  close(): void {
    this.#disconnect({ finalize: false });
  }

  #run<T>(keyId: string, op: (lib: pkcs11.PKCS11, session: Session) => T): T {
    let session = this.#connect(keyId);
    if (session.generation !== (GENERATION.get(this.#config.module) ?? 0)) {
      // Another user of the library finalised it (recovering from a failure): open afresh.
      this.#session = undefined;
      this.#initialized = false;
      session = this.#connect(keyId);
    }
    try {
      return op(this.#lib!, session);
    } catch (err) {
      if (err instanceof DecryptionFailed || err instanceof InvalidInput || err instanceof KeyProviderUnavailable) {
        throw err;
      }
      const code = ckr(err);
      // The session or the token went away: connect afresh next time.
      this.#disconnect();
      this.#failure = { at: Date.now(), problem: `${this.description}: ${code}`, sticky: false };
      throw new KeyProviderUnavailable(keyId, `${this.description} failed (${code}); it is retried on the next use`);
    }
  }

  #connect(keyId: string): Session {
    if (this.#session) return this.#session;
    const failure = this.#failure;
    if (failure && (failure.sticky || Date.now() - failure.at < RECONNECT_AFTER_MS)) {
      throw new KeyProviderUnavailable(keyId, failure.problem);
    }
    try {
      this.#session = this.#open();
      this.#failure = undefined;
      return this.#session;
    } catch (err) {
      // A wrong PIN is not the token failing: leave other sessions alone. A token not (yet) back
      // needs the library started afresh to be seen when it is.
      this.#disconnect({ finalize: !(err instanceof ConnectProblem && err.sticky) });
      const problem = err instanceof ConnectProblem ? err.message : `${this.description}: ${ckr(err)}`;
      this.#failure = { at: Date.now(), problem, sticky: err instanceof ConnectProblem && err.sticky };
      throw new KeyProviderUnavailable(keyId, problem);
    }
  }

  #open(): Session {
    const { module, tokenLabel } = this.#config;
    if (!this.#lib) {
      const lib = new pkcs11.PKCS11();
      try {
        lib.load(module);
      } catch (err) {
        throw new ConnectProblem(
          `the PKCS#11 module ${module} can't be loaded (${(err as Error).message}); check VAULT_PKCS11_MODULE`,
        );
      }
      this.#lib = lib;
    }
    const lib = this.#lib;
    const users = liveUsers(module);
    try {
      lib.C_Initialize();
    } catch (err) {
      if (ckr(err) !== 'CKR_CRYPTOKI_ALREADY_INITIALIZED') throw err;
      // Initialised by a user gone without finalising it: start the library afresh.
      if (users.size === 0) {
        lib.C_Finalize();
        lib.C_Initialize();
      }
    }
    users.add(this);
    this.#initialized = true;
    const slot = lib.C_GetSlotList(true).find((s) => lib.C_GetTokenInfo(s).label.trim() === tokenLabel);
    if (slot === undefined) {
      throw new ConnectProblem(
        `no PKCS#11 token labelled "${tokenLabel}" is present in ${module} (CKR_TOKEN_NOT_PRESENT); check VAULT_PKCS11_TOKEN_LABEL and the HSM`,
      );
    }
    const handle = lib.C_OpenSession(slot, pkcs11.CKF_SERIAL_SESSION | pkcs11.CKF_RW_SESSION);
    try {
      lib.C_Login(handle, pkcs11.CKU_USER, this.#config.pin());
    } catch (err) {
      const code = ckr(err);
      if (code !== 'CKR_USER_ALREADY_LOGGED_IN') {
        try {
          lib.C_CloseSession(handle);
        } catch {
          // The session is useless either way.
        }
        const sticky = PIN_ERRORS.has(code);
        throw new ConnectProblem(
          `login to ${this.description} failed (${code})${sticky ? '; check VAULT_PKCS11_PIN or VAULT_PKCS11_PIN_FILE and restart (a wrong PIN is not retried, so the HSM does not lock it)' : ''}`,
          sticky,
        );
      }
    }
    return { handle, generation: GENERATION.get(module) ?? 0, keys: new Map() };
  }

  #keyHandle(lib: pkcs11.PKCS11, session: Session, keyId: string, label: string): pkcs11.Handle {
    const known = session.keys.get(label);
    if (known) return known;
    const found = this.#find(lib, session, label);
    if (found.length !== 1) {
      throw new KeyProviderUnavailable(
        keyId,
        found.length === 0
          ? `no secret key labelled "${label}" on ${this.description} (CKR_KEY_HANDLE_INVALID); create it with \`npm run cli -- vault:generate-key --pkcs11 ${label}\` or fix the keyring entry`
          : `${found.length} secret keys are labelled "${label}" on ${this.description}; labels must name one key`,
      );
    }
    const key = found[0]!;
    const [type, length, extractable] = lib.C_GetAttributeValue(session.handle, key, [
      { type: pkcs11.CKA_KEY_TYPE },
      { type: pkcs11.CKA_VALUE_LEN },
      { type: pkcs11.CKA_EXTRACTABLE },
    ]);
    if (
      (type!.value as Buffer).readUInt32LE(0) !== pkcs11.CKK_AES ||
      (length!.value as Buffer).readUInt32LE(0) !== 32
    ) {
      throw new KeyProviderUnavailable(
        keyId,
        `the key labelled "${label}" on ${this.description} is not an AES-256 key`,
      );
    }
    if ((extractable!.value as Buffer)[0] !== 0) {
      throw new KeyProviderUnavailable(
        keyId,
        `the key labelled "${label}" on ${this.description} is extractable; a master key must never leave the HSM (generate one with vault:generate-key --pkcs11)`,
      );
    }
    session.keys.set(label, key);
    return key;
  }

  #find(lib: pkcs11.PKCS11, session: Session, label: string): pkcs11.Handle[] {
    lib.C_FindObjectsInit(session.handle, [
      { type: pkcs11.CKA_CLASS, value: pkcs11.CKO_SECRET_KEY },
      { type: pkcs11.CKA_LABEL, value: label },
    ]);
    try {
      return lib.C_FindObjects(session.handle, 2);
    } finally {
      lib.C_FindObjectsFinal(session.handle);
    }
  }

  /**
   * Drops this session. After a failure the library is finalised even while others use it: a
   * token that went away leaves SoftHSM2 (and some HSMs) unusable until C_Finalize, and the
   * other users' next call fails and reconnects the same way.
   */
  #disconnect({ finalize = true }: { finalize?: boolean } = {}): void {
    const lib = this.#lib;
    const session = this.#session;
    this.#session = undefined;
    if (!lib || !this.#initialized) return;
    this.#initialized = false;
    const users = liveUsers(this.#config.module);
    users.delete(this);
    try {
      if (finalize || users.size === 0) {
        GENERATION.set(this.#config.module, (GENERATION.get(this.#config.module) ?? 0) + 1);
        lib.C_Finalize();
      } else if (session) lib.C_CloseSession(session.handle);
    } catch {
      // Already finalised, or the token is gone: either way there is nothing left to close.
    }
    if (finalize) users.clear();
  }
}

class ConnectProblem extends Error {
  constructor(
    message: string,
    readonly sticky = false,
  ) {
    super(message);
  }
}

function gcm(iv: Buffer, aad: Buffer): pkcs11.Mechanism {
  const parameter: pkcs11.AesGCM = {
    type: pkcs11.CK_PARAMS_AES_GCM,
    iv,
    aad,
    ivBits: GCM_IV_BYTES * 8,
    tagBits: GCM_TAG_BITS,
  };
  return { mechanism: pkcs11.CKM_AES_GCM, parameter };
}

/** A keyring entry `<id>:pkcs11:<label>`: a non-extractable AES-256 key on the configured token. */
export class Pkcs11MasterKey implements RemoteMasterKey {
  readonly kind = 'pkcs11';

  constructor(
    private readonly token: Pkcs11Token,
    readonly keyId: string,
    readonly label: string,
  ) {}

  get description(): string {
    return `key "${this.label}" on ${this.token.description}`;
  }

  async wrap(dataKey: Buffer, aad: Buffer): Promise<Buffer> {
    return this.token.encrypt(this.keyId, this.label, dataKey, aad);
  }

  async unwrap(wrapped: Buffer, aad: Buffer): Promise<Buffer> {
    return this.token.decrypt(this.keyId, this.label, wrapped, aad);
  }

  async checkValue(): Promise<string> {
    return this.token.checkValue(this.keyId, this.label);
  }

  async close(): Promise<void> {
    this.token.close();
  }
}
