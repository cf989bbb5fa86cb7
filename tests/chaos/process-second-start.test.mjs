// A second `npm start` while one runs: it says which one runs and what to do, in one line, and
// leaves the running one alone.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { appEnv, cleanup, launch, postmasterPid, processTree, randomPort, waitGone } from './process-support.mjs';

test(
  'a second npm start while one runs says so clearly and leaves the first one serving',
  { timeout: 60_000 },
  async () => {
    const { dir, env, base } = appEnv('mv-chaos-second-');
    const first = launch(env, { direct: true });
    const other = appEnv('mv-chaos-second-other-', { PORT: env.PORT });
    try {
      await first.ready;
      const postgres = postmasterPid(dir);

      // The same data directory (and port): the lock on the data directory answers first.
      const began = Date.now();
      const same = launch(env);
      const { code } = await same.exited;
      const ms = Date.now() - began;
      console.log(`# the second npm start gave up in ${ms} ms`);
      assert.notEqual(code, 0);
      assert.match(same.output(), /Messenger Vault is already running from .* \(pid \d+, http:\/\/localhost:\d+\)/);
      assert.match(same.output(), /Stop it first \(kill \d+\), or start this one with another DATA_DIR, PORT/);
      assert.doesNotMatch(same.output(), /EADDRINUSE|^\s+at /m, 'no listen error and no stack trace');

      // Another data directory on the same port: the port is named.
      const port = launch({ ...other.env, EMBEDDED_PG_PORT: String(randomPort(42000)) }, { direct: true });
      assert.notEqual((await port.exited).code, 0);
      assert.match(port.output(), new RegExp(`Port ${env.PORT} is already in use`));
      assert.doesNotMatch(port.output(), /EADDRINUSE|^\s+at /m);

      assert.equal(postmasterPid(dir), postgres, "the first one's PostgreSQL was not touched");
      assert.equal((await fetch(`${base}/readyz`)).status, 200, 'the first one still serves');
      const tree = processTree(first.child.pid);
      first.child.kill('SIGTERM');
      await waitGone(tree, 10_000);
    } finally {
      await cleanup(first, dir);
      await cleanup(null, other.dir);
    }
  },
);
