// Starts Messenger Vault the way `npm start` does — `node scripts/start.mjs`, embedded PostgreSQL
// under a fresh DATA_DIR, random ports — and stops it with SIGTERM.
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomPort } from '../../smoke/support.mjs';

export const root = fileURLToPath(new URL('../../..', import.meta.url));
const READY_LINE = 'Messenger Vault is running at';

export const STAFF = { email: 'staff@e2e.example', password: 'staff-password-e2e-123' };

/**
 * `env` adds to (or overrides) the environment the app starts with, e.g. the OIDC_* settings;
 * `port`: when a test must know the app's origin before it starts (PUBLIC_URL), random otherwise.
 */
export async function startApp({ port: fixedPort, ...env } = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'mv-e2e-'));
  chmodSync(dataDir, 0o755); // as root, Postgres runs as its own user and must reach its data dir
  const port = fixedPort ?? randomPort(32000);
  const child = spawn(process.execPath, [join(root, 'scripts/start.mjs')], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: '',
      LOG_LEVEL: 'warn',
      DATA_DIR: dataDir,
      PORT: String(port),
      EMBEDDED_PG_PORT: String(randomPort(42000)),
      ADMIN_EMAIL: STAFF.email,
      ADMIN_PASSWORD: STAFF.password,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));

  await new Promise((resolve, reject) => {
    // The first start on a fresh clone builds the API and the web app first.
    const timer = setTimeout(() => reject(new Error(`not ready after 240 s:\n${output}`)), 240_000);
    child.stdout.on('data', () => {
      if (output.includes(READY_LINE)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before it was ready:\n${output}`));
    });
  });

  return {
    baseUrl: `http://localhost:${port}`,
    output: () => output,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
