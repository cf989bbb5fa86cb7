// Signals to `npm start` as a person or a process manager sends them: the API, the embedded
// PostgreSQL and npm itself are all gone within 10 s, and nothing is orphaned.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  alive,
  appEnv,
  cleanup,
  cmdline,
  launch,
  postmasterPid,
  processesUsing,
  processTree,
  waitGone,
} from './process-support.mjs';

// One data directory for the file: initdb once, then every test starts over the same data.
const app = appEnv('mv-chaos-signals-');

async function running() {
  const started = launch(app.env);
  await started.ready;
  const tree = processTree(started.child.pid);
  const api = tree.find((pid) => cmdline(pid).includes('scripts/start.mjs'));
  const postgres = postmasterPid(app.dir);
  assert.ok(api, `the API runs under npm: ${tree.map(cmdline).join(' | ')}`);
  assert.ok(postgres && tree.includes(postgres), 'the embedded PostgreSQL is a child of the API');
  return { started, tree, api, postgres };
}

for (const signal of ['SIGTERM', 'SIGINT']) {
  test(
    `${signal} to the npm start process stops npm, the API and the embedded PostgreSQL within 10 s`,
    { timeout: 60_000 },
    async () => {
      const { started, tree } = await running();
      try {
        const sent = Date.now();
        started.child.kill(signal);
        const ms = await waitGone(tree, 10_000, sent);
        assert.deepEqual(processesUsing(app.dir), [], 'no process of this data directory is left');
        const { code } = await started.exited;
        console.log(`# ${signal} to npm: ${tree.length} processes gone in ${ms} ms (npm exit ${code})`);
        // npm exits with the API's code: 0 is the orderly shutdown, 1 its deadline.
        assert.equal(code, 0, started.output());
      } finally {
        await cleanup(started, app.dir);
      }
    },
  );
}

test(
  'Ctrl-C in a terminal (SIGINT to the whole process group) stops everything in order, nothing restarted',
  { timeout: 60_000 },
  async () => {
    const started = launch(app.env, { group: true });
    await started.ready;
    const tree = processTree(started.child.pid);
    try {
      const sent = Date.now();
      process.kill(-started.child.pid, 'SIGINT');
      const ms = await waitGone(tree, 10_000, sent);
      await started.exited; // npm itself ends by the signal, as it does in a terminal
      console.log(`# Ctrl-C to the npm start process group: ${tree.length} processes gone in ${ms} ms`);
      assert.doesNotMatch(started.output(), /exited unexpectedly|restarting the embedded PostgreSQL/);
    } finally {
      await cleanup(started, app.dir);
    }
  },
);

test(
  'npm killed with SIGKILL: the API notices its parent is gone and stops with its PostgreSQL within 10 s',
  { timeout: 60_000 },
  async () => {
    const { started, tree, api } = await running();
    try {
      const sent = Date.now();
      started.child.kill('SIGKILL');
      const rest = tree.filter((pid) => pid !== started.child.pid);
      const ms = await waitGone(rest, 10_000, sent);
      assert.deepEqual(processesUsing(app.dir), []);
      console.log(
        `# SIGKILL to npm: the API (pid ${api}) and ${rest.length - 1} PostgreSQL processes gone in ${ms} ms`,
      );
    } finally {
      await cleanup(started, app.dir);
    }
  },
);

test(
  'the API killed with SIGKILL: its PostgreSQL stops by itself, and the next start runs normally',
  { timeout: 60_000 },
  async () => {
    const { started, api, postgres } = await running();
    try {
      const sent = Date.now();
      process.kill(api, 'SIGKILL');
      const ms = await waitGone([postgres], 10_000, sent);
      console.log(`# SIGKILL to the API: its PostgreSQL (pid ${postgres}) stopped ${ms} ms later`);
      await started.exited;
    } finally {
      await cleanup(started, app.dir);
    }
    const again = await running();
    try {
      assert.equal((await fetch(`${app.base}/readyz`)).status, 200);
      assert.ok(!alive(postgres));
    } finally {
      again.started.child.kill('SIGTERM');
      await waitGone(again.tree, 10_000);
      await cleanup(again.started, app.dir);
    }
  },
);
