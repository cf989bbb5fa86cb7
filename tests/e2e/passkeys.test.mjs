// Passkeys in a real browser: Chromium's virtual authenticator (DevTools protocol, WebAuthn
// domain: CTAP2, platform, resident keys, user verification) stands in for Touch ID. Staff add a
// passkey on Account security, sign in with it instead of a code, and confirm a sensitive action
// with it when the step-up dialog asks (the session's last second factor aged in the database).
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import pg from 'pg';
import { STAFF, startApp } from './support/app.mjs';
import { signInToApi } from './support/api.mjs';
import { storyTest } from './support/story.mjs';
import { signInWithPassword, signOut } from './support/session.mjs';
import { DESKTOP, expectNoSeriousA11yViolations, launchBrowser } from './support/browser.mjs';

const TIMEOUT = 15_000;
const test = storyTest();

describe('passkeys in the browser', { timeout: 600_000 }, () => {
  // Below the ephemeral range (see support/app.mjs).
  const pgPort = 13000 + Math.floor(Math.random() * 5000);
  let app;
  let browser;
  let page;
  let cdp;
  let authenticatorId;
  let tenant;

  before(async () => {
    app = await startApp({ EMBEDDED_PG_PORT: String(pgPort) });
    const api = await signInToApi(app.baseUrl, STAFF);
    tenant = await api('POST', '/api/tenants', { name: 'Passkey Tenant' });
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: DESKTOP, baseURL: app.baseUrl, reducedMotion: 'reduce' });
    page = await context.newPage();
    page.setDefaultTimeout(TIMEOUT);
    cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    ({ authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
      },
    }));
  });

  after(async () => {
    await browser?.close();
    await app?.stop();
  });

  test('staff add a passkey from Account security; the authenticator holds it', async () => {
    await signInWithPassword(page);
    await page.waitForURL('**/tenants');
    await page.goto('/account/security');
    await page.getByRole('heading', { name: 'Passkeys' }).waitFor();
    await page.getByLabel('Passkey name').fill('Chromium virtual key');
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    await page.getByText('Passkey added.').waitFor();
    await page.getByRole('table', { name: 'Passkeys' }).getByText('Chromium virtual key').waitFor();
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    assert.equal(credentials.length, 1);
    assert.equal(credentials[0].rpId, 'localhost');
    await expectNoSeriousA11yViolations(page, 'passkeys on Account security');
    await signOut(page);
  });

  test('signing in offers the passkey after the password, and it lands without a code', async () => {
    await signInWithPassword(page);
    const usePasskey = page.getByRole('button', { name: 'Use a passkey' });
    await usePasskey.waitFor();
    assert.equal(await page.getByLabel('Authentication code').count(), 0, 'no code field for a passkey-only account');
    await usePasskey.click();
    await page.waitForURL('**/tenants');
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    assert.ok(credentials[0].signCount >= 1, 'the authenticator signed');
  });

  test('archiving a tenant 11 minutes after the last factor asks to confirm with the passkey, then goes through', async () => {
    const db = new pg.Client({ connectionString: `postgres://postgres:embedded@localhost:${pgPort}/messenger_vault` });
    await db.connect();
    try {
      await db.query(`UPDATE sessions SET mfa_at = now() - interval '11 minutes'`);
    } finally {
      await db.end();
    }
    // Staff editing a tenant is one of the guarded actions: archive it from the tenant list.
    await page.goto('/tenants');
    await page.getByRole('button', { name: `Archive ${tenant.name}` }).click();
    await page.getByRole('button', { name: 'Archive tenant' }).click();
    const dialog = page.getByRole('dialog', { name: "Confirm it's you" });
    await dialog.waitFor();
    await expectNoSeriousA11yViolations(page, 'the step-up dialog');
    await dialog.getByRole('button', { name: 'Use a passkey' }).click();
    await page.getByText(`${tenant.name} is archived.`).waitFor();
    assert.equal(await dialog.count(), 0);
  });
});
