import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInThisContext } from 'node:vm';

/** Debian's softhsm2 package, and where other distributions put the library. */
const MODULE_CANDIDATES = [
  '/usr/lib/softhsm/libsofthsm2.so',
  '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so',
  '/usr/lib64/pkcs11/libsofthsm2.so',
  '/usr/local/lib/softhsm/libsofthsm2.so',
];

export const SOFTHSM_MODULE = MODULE_CANDIDATES.find((path) => existsSync(path));

/**
 * Whether the SoftHSM2 tests can run. In CI a missing softhsm2 is a failure (.ci/run installs
 * it); on a developer machine the suite is skipped with a message saying so.
 */
export function softHsmOrSkip(suite: string): boolean {
  let util: boolean;
  try {
    execFileSync('softhsm2-util', ['--version'], { stdio: 'ignore' });
    util = true;
  } catch {
    util = false;
  }
  if (util && SOFTHSM_MODULE) return true;
  const why = `softhsm2 is not installed (softhsm2-util ${util ? 'found' : 'missing'}, libsofthsm2.so ${SOFTHSM_MODULE ? 'found' : 'missing'})`;
  if (process.env.CI) throw new Error(`${suite}: ${why}; .ci/run installs it with apt (softhsm2).`);
  process.stderr.write(`\n== SKIPPED ${suite}: ${why}. Install it with \`apt-get install -y softhsm2\`.\n`);
  return false;
}

export interface SoftHsmToken {
  readonly module: string;
  readonly label: string;
  readonly pin: string;
  readonly conf: string;
  /** The environment a child process needs to see this token. */
  readonly env: Record<string, string>;
  /** Takes the token away from the library, as if the HSM were unplugged. */
  unplug(): void;
  plugBackIn(): void;
  cleanup(): void;
}

/**
 * A fresh SoftHSM2 token in its own temporary directory, initialised with softhsm2-util, and
 * SOFTHSM2_CONF pointing at it for this process (SoftHSM reads it at C_Initialize).
 */
export function createSoftHsmToken(label = 'mv-test', pin = '4321-user-pin'): SoftHsmToken {
  const dir = mkdtempSync(join(tmpdir(), 'mv-softhsm-'));
  const tokens = join(dir, 'tokens');
  const away = join(dir, 'unplugged');
  mkdirSync(tokens);
  const conf = join(dir, 'softhsm2.conf');
  writeFileSync(conf, `directories.tokendir = ${tokens}\nobjectstore.backend = file\nlog.level = ERROR\n`);
  const env = { SOFTHSM2_CONF: conf };
  execFileSync('softhsm2-util', ['--init-token', '--free', '--label', label, '--pin', pin, '--so-pin', '8765-so-pin'], {
    env: { ...process.env, ...env },
    stdio: 'ignore',
  });
  setRealEnv('SOFTHSM2_CONF', conf);
  let tokenDir = '';
  return {
    module: SOFTHSM_MODULE!,
    label,
    pin,
    conf,
    env,
    unplug() {
      tokenDir = readdirSync(tokens)[0]!;
      renameSync(join(tokens, tokenDir), away);
    },
    plugBackIn() {
      renameSync(away, join(tokens, tokenDir));
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Jest hands each test file a copy of process.env, which the native library never sees; the
 * process's own environment (where SoftHSM's getenv looks at C_Initialize) is set from Node's
 * main context.
 */
function setRealEnv(name: string, value: string): void {
  process.env[name] = value;
  (runInThisContext('(name, value) => { process.env[name] = value; }') as (n: string, v: string) => void)(name, value);
}
