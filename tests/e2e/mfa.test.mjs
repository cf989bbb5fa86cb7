// Two-factor sign-in in a real browser: staff enrol an authenticator app from the Account
// security page (QR code, the key as text), keep the recovery codes shown once, then sign in with
// a code and, another time, with a recovery code. Codes are computed as an authenticator app
// would, with the same RFC 6238 library the API uses.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { Secret, TOTP } from 'otpauth';
import { STAFF, startApp } from './support/app.mjs';
import { storyTest } from './support/story.mjs';
import { DESKTOP, expectNoSeriousA11yViolations, launchBrowser } from './support/browser.mjs';

const TIMEOUT = 15_000;
const test = storyTest();

const codeAt = (secret, offsetSteps = 0) =>
  new TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secret) }).generate({
    timestamp: Date.now() + offsetSteps * 30_000,
  });

describe('two-factor sign-in in the browser', { timeout: 600_000 }, () => {
  let app;
  let browser;
  let page;
  let secret;
  let recoveryCodes;

  before(async () => {
    app = await startApp();
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: DESKTOP, baseURL: app.baseUrl, reducedMotion: 'reduce' });
    page = await context.newPage();
    page.setDefaultTimeout(TIMEOUT);
  });

  after(async () => {
    await browser?.close();
    await app?.stop();
  });

  async function signInWithPassword() {
    await page.goto('/login');
    await page.getByLabel('Email').fill(STAFF.email);
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill(STAFF.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  async function signOut() {
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.getByRole('menuitem', { name: 'Sign out', exact: true }).click();
    await page.waitForURL('**/login');
  }

  test('staff enrol from Account security: QR code, key, first code, ten recovery codes shown once', async () => {
    await signInWithPassword();
    await page.waitForURL('**/tenants');
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.getByRole('menuitem', { name: 'Account security' }).click();
    await page.waitForURL('**/account/security');
    await page.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
    await page.getByRole('img', { name: 'QR code for your authenticator app' }).waitFor();
    secret = (await page.locator('code').first().textContent()).trim();
    assert.match(secret, /^[A-Z2-7]{32}$/);
    await expectNoSeriousA11yViolations(page, 'TOTP enrolment');
    await page.getByLabel('Code from the app').fill(codeAt(secret, -1));
    await page.getByRole('button', { name: 'Turn on' }).click();
    const list = page.getByRole('list', { name: 'Recovery codes' });
    await list.waitFor();
    recoveryCodes = (await list.getByRole('listitem').allTextContents()).map((c) => c.trim());
    assert.equal(recoveryCodes.length, 10);
    await page.getByRole('button', { name: 'I saved them' }).click();
    await page.getByText('Two-factor sign-in is on.').waitFor();
    assert.equal(await page.getByRole('list', { name: 'Recovery codes' }).count(), 0);
    await signOut();
  });

  test('signing in asks for the code after the password; a wrong one is refused, the right one lands', async () => {
    await signInWithPassword();
    const code = page.getByLabel('Authentication code');
    await code.waitFor();
    await code.fill('000000');
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByText(/code is incorrect/).waitFor();
    await code.fill(codeAt(secret));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL('**/tenants');
    await signOut();
  });

  test('a recovery code signs in once', async () => {
    await signInWithPassword();
    await page.getByLabel('Authentication code').fill(recoveryCodes[0]);
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL('**/tenants');
    await signOut();
    await signInWithPassword();
    await page.getByLabel('Authentication code').fill(recoveryCodes[0]);
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByText(/already used/).waitFor();
  });
});
