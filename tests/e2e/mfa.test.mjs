// Two-factor sign-in in a real browser: staff enrol an authenticator app from the Account
// security page (QR code, the key as text), keep the recovery codes shown once, then sign in with
// a code and, another time, with a recovery code. Codes are computed as an authenticator app
// would, with the same RFC 6238 library the API uses. Last, a sensitive action long after the
// sign-in's code brings up the step-up dialog, which takes a code and lets the action through.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { Secret, TOTP } from 'otpauth';
import pg from 'pg';
import { startApp } from './support/app.mjs';
import { storyTest } from './support/story.mjs';
import { signInWithPassword, signOut } from './support/session.mjs';
import { DESKTOP, expectNoSeriousA11yViolations, launchBrowser } from './support/browser.mjs';

const TIMEOUT = 15_000;
const test = storyTest();

const codeAt = (secret, offsetSteps = 0) =>
  new TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secret) }).generate({
    timestamp: Date.now() + offsetSteps * 30_000,
  });

/**
 * A code taken at least 5 s before its 30 s step ends, so the server checks it in the same step:
 * a previous-step code typed at the very end of a step is two steps old when it arrives, and
 * refused (an occasional flake before this wait).
 */
async function freshCode(secret, offsetSteps = 0) {
  const left = 30_000 - (Date.now() % 30_000);
  if (left < 5_000) await new Promise((resolve) => setTimeout(resolve, left + 100));
  return codeAt(secret, offsetSteps);
}

describe('two-factor sign-in in the browser', { timeout: 600_000 }, () => {
  // Below the ephemeral range (see support/app.mjs).
  const pgPort = 13000 + Math.floor(Math.random() * 5000);
  let app;
  let browser;
  let page;
  let secret;
  let recoveryCodes;

  before(async () => {
    app = await startApp({ EMBEDDED_PG_PORT: String(pgPort) });
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: DESKTOP, baseURL: app.baseUrl, reducedMotion: 'reduce' });
    page = await context.newPage();
    page.setDefaultTimeout(TIMEOUT);
  });

  after(async () => {
    await browser?.close();
    await app?.stop();
  });

  test('staff enrol from Account security: QR code, key, first code, ten recovery codes shown once', async () => {
    await signInWithPassword(page);
    await page.waitForURL('**/tenants');
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.getByRole('menuitem', { name: 'Account security' }).click();
    await page.waitForURL('**/account/security');
    await page.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
    await page.getByRole('img', { name: 'QR code for your authenticator app' }).waitFor();
    secret = (await page.locator('code').first().textContent()).trim();
    assert.match(secret, /^[A-Z2-7]{32}$/);
    await expectNoSeriousA11yViolations(page, 'TOTP enrolment');
    // A mistyped code is an answer about the code, shown by the field: the page stays.
    await page.getByLabel('Code from the app').fill('000000');
    await page.getByRole('button', { name: 'Turn on' }).click();
    await page.getByText(/code is incorrect/).waitFor();
    assert.match(new URL(page.url()).pathname, /\/account\/security$/);
    await page.getByLabel('Code from the app').fill(await freshCode(secret, -1));
    await page.getByRole('button', { name: 'Turn on' }).click();
    const list = page.getByRole('list', { name: 'Recovery codes' });
    await list.waitFor();
    recoveryCodes = (await list.getByRole('listitem').allTextContents()).map((c) => c.trim());
    assert.equal(recoveryCodes.length, 10);
    await page.getByRole('button', { name: 'I saved them' }).click();
    await page.getByText('Two-factor sign-in is on.').waitFor();
    assert.equal(await page.getByRole('list', { name: 'Recovery codes' }).count(), 0);
    await signOut(page);
  });

  test('signing in asks for the code after the password; a wrong one is refused, the right one lands', async () => {
    await signInWithPassword(page);
    const code = page.getByLabel('Authentication code');
    await code.waitFor();
    await code.fill('000000');
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByText(/code is incorrect/).waitFor();
    await code.fill(await freshCode(secret));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL('**/tenants');
    await signOut(page);
  });

  test('a recovery code signs in once', async () => {
    await signInWithPassword(page);
    await page.getByLabel('Authentication code').fill(recoveryCodes[0]);
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL('**/tenants');
    await signOut(page);
    await signInWithPassword(page);
    await page.getByLabel('Authentication code').fill(recoveryCodes[0]);
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByText(/already used/).waitFor();
  });

  test('a sensitive action 11 minutes after the last code asks for a code, then goes through', async () => {
    await page.getByLabel('Authentication code').fill(recoveryCodes[1]);
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL('**/tenants');
    const created = await page.request.post('/api/tenants', {
      data: { name: 'Step-up Tenant' },
      headers: { origin: app.baseUrl },
    });
    assert.equal(created.status(), 201);
    const db = new pg.Client({ connectionString: `postgres://postgres:embedded@localhost:${pgPort}/messenger_vault` });
    await db.connect();
    try {
      await db.query(`UPDATE sessions SET mfa_at = now() - interval '11 minutes'`);
    } finally {
      await db.end();
    }
    await page.reload();
    await page.getByRole('button', { name: 'Archive Step-up Tenant' }).click();
    await page.getByRole('button', { name: 'Archive tenant' }).click();
    const dialog = page.getByRole('dialog', { name: "Confirm it's you" });
    await dialog.waitFor();
    assert.equal(await dialog.getByRole('button', { name: 'Use a passkey' }).count(), 0, 'no passkey on this account');
    await dialog.getByLabel('Authentication code').fill('000000');
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await dialog.getByText(/code is incorrect/).waitFor();
    await dialog.getByLabel('Authentication code').fill(await freshCode(secret, 1));
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await page.getByText('Step-up Tenant is archived.').waitFor();
  });
});
