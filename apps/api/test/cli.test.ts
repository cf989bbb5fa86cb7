import { randomUUID } from 'node:crypto';
import { runCliCaptured } from './cli-runner';
import { COMMANDS } from '../src/cli/commands';
import { startTestApp, TestApp } from './harness';

const cli = (...argv: string[]) => runCliCaptured(argv);

test('--help lists every command', async () => {
  const { code, out } = await cli('--help');
  expect(code).toBe(0);
  for (const c of COMMANDS) expect(out).toContain(c.name);
});

test('an unknown command exits 2 with the help text on stderr', async () => {
  const { code, err } = await cli('no-such-command');
  expect(code).toBe(2);
  expect(err).toContain('Unknown command "no-such-command"');
});

test('migrate on an up-to-date database says so and exits 0', async () => {
  const { code, out } = await cli('migrate');
  expect(code).toBe(0);
  expect(out).toMatch(/up to date/);
});

describe('users:create-staff', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  test('creates a staff user who can sign in with the printed password', async () => {
    const email = `ops-${randomUUID().slice(0, 8)}@salesmind.test`;
    const { code, out } = await cli('users:create-staff', '--email', email);
    expect(code).toBe(0);
    const password = out.match(/Password \(shown once\): (\S+)/)![1]!;
    const login = await t.client().post('/api/auth/login', { email, password });
    expect(login.status).toBe(200);
    expect(login.body.isStaff).toBe(true);
  });

  test('refuses a bad email and an unknown flag with exit 1 and a clear message', async () => {
    const bad = await cli('users:create-staff', '--email', 'nope');
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/--email must be an email address/);
    const unknown = await cli('users:create-staff', '--emial', 'x@y.test');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/Unknown argument "--emial"/);
  });
});
