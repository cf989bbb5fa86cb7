// `npm start`: build what is stale, then run the API (which serves the web app) in this process,
// so SIGTERM reaches it directly and it can stop the embedded PostgreSQL cleanly. package.json
// starts this with `exec`, so no shell sits between npm and the API to swallow the signal.
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from './build.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
build();
watchParent();
await import(pathToFileURL(join(root, 'apps/api/dist/apps/api/src/main.js')).href);

/**
 * Under npm, a killed npm (SIGKILL, a closed terminal) passes no signal on: the API would run on,
 * orphaned, holding its port. It notices its parent change and stops as if sent SIGTERM.
 */
function watchParent() {
  if (!process.env.npm_lifecycle_event) return;
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    process.stderr.write(`The npm process that started Messenger Vault (pid ${parent}) is gone; stopping.\n`);
    process.kill(process.pid, 'SIGTERM');
  }, 500);
  timer.unref();
}
