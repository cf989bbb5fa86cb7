import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { startTestApp, TestApp } from './harness';
import { attemptsOf, newSecret, outboxOf, runnerOf, tenantWithSecret } from './rotation-fixtures';

interface Received {
  from: string;
  to: string[];
  raw: string;
}

const SMTP_USER = 'mailer';
const SMTP_PASSWORD = `smtp-pw-${Math.random().toString(36).slice(2)}`;

/** A real SMTP server in this process, with AUTH, that can be told to refuse the next messages. */
let server: SMTPServer;
const received: Received[] = [];
let refuseNext = 0;
let t: TestApp;

beforeAll(async () => {
  server = new SMTPServer({
    logger: false,
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    onAuth(auth, _session, callback) {
      if (auth.username === SMTP_USER && auth.password === SMTP_PASSWORD) callback(null, { user: SMTP_USER });
      else callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (refuseNext > 0) {
          refuseNext--;
          const err = Object.assign(new Error('Mailbox busy, try again later'), { responseCode: 451 });
          callback(err);
          return;
        }
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  t = await startTestApp({ SMTP_URL: `smtp://${SMTP_USER}:${SMTP_PASSWORD}@127.0.0.1:${port}` });
});
afterAll(async () => {
  await t.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

test('a reminder is emailed to every admin of the tenant, from SMTP_FROM, and holds no secret', async () => {
  const secret = `sk_mailcanary_${newSecret()}`;
  const s = await tenantWithSecret(t, secret);
  const second = await t.newTenantAdmin(s.tenantId);
  const other = await tenantWithSecret(t);
  const report = await runnerOf(t).run({ at: s.day(80), tenantId: s.tenantId });
  expect(report.delivery).toEqual({ delivered: 1, retrying: 0, failed: 0, cancelled: 0 });

  const mails = received.filter((m) => m.to.includes(s.adminEmail));
  expect(mails).toHaveLength(1);
  const mail = mails[0]!;
  expect(mail.to.sort()).toEqual([s.adminEmail, second.email].sort());
  expect(mail.to).not.toContain(other.adminEmail);
  expect(mail.from).toBe('no-reply@localhost');
  const headers = mail.raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
  expect(headers).toMatch(/^From: Messenger Vault <no-reply@localhost>$/m);
  expect(headers).toMatch(
    /^Subject: \[Tenant [0-9a-f]{8}\] Messenger secret version 1 is due for rotation on \d{4}-\d{2}-\d{2}$/m,
  );
  expect(mail.raw).toContain('Secret version: 1');
  const unfolded = mail.raw.replace(/=\r?\n/g, '');
  for (const form of [secret, secret.slice(-12), Buffer.from(secret).toString('base64').slice(0, 20)]) {
    expect(unfolded).not.toContain(form);
  }
  expect(await attemptsOf(t, s.tenantId, 'email')).toEqual([
    { attempt: 1, outcome: 'delivered', status_code: 250, error: null },
  ]);
});

test('a refused message is retried 30 s later and then delivered; nothing is sent twice', async () => {
  const s = await tenantWithSecret(t);
  refuseNext = 1;
  const first = await runnerOf(t).run({ at: s.day(90), tenantId: s.tenantId });
  expect(first.delivery).toMatchObject({ delivered: 0, retrying: 1 });
  const [attempt] = await attemptsOf(t, s.tenantId, 'email');
  expect(attempt).toMatchObject({ attempt: 1, outcome: 'failed', status_code: 451 });
  expect(attempt!.error).toMatch(/Mailbox busy/);

  const retry = await runnerOf(t).deliverDue({ tenantId: s.tenantId, now: new Date(Date.now() + 31_000) });
  expect(retry).toMatchObject({ delivered: 1 });
  expect(received.filter((m) => m.to.includes(s.adminEmail))).toHaveLength(1);
  expect((await outboxOf(t, s.tenantId))[0]).toMatchObject({ channel: 'email', state: 'delivered', attempts: 2 });
  await runnerOf(t).deliverDue({ tenantId: s.tenantId, now: new Date(Date.now() + 86_400_000) });
  expect(received.filter((m) => m.to.includes(s.adminEmail))).toHaveLength(1);
});

test('the SMTP password appears in no log line and no attempt', async () => {
  const s = await tenantWithSecret(t);
  refuseNext = 1;
  await runnerOf(t).run({ at: s.day(100), tenantId: s.tenantId });
  const attempts = await t.db.query(`SELECT * FROM notification_delivery_attempts`);
  for (const text of [t.logs.join('\n'), JSON.stringify(attempts)]) expect(text).not.toContain(SMTP_PASSWORD);
});
