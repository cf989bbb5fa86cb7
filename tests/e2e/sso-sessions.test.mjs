// Staff single sign-on and the sessions list in a real browser, against a real OpenID Provider
// (oidc-provider, in this process on a random port). The login page offers "Sign in with SSO"
// because the server says SSO is set up; the provider signs the person in and sends them back;
// a refused domain is explained on the login page; the Account security page lists the sessions
// and signs one out, then everywhere else; an account removed at the provider is signed out.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe } from 'node:test';
import { startIdp } from '@messenger-vault/api/test/oidc-idp.mjs';
import { startApp } from './support/app.mjs';
import { storyTest } from './support/story.mjs';
import { DESKTOP, expectNoSeriousA11yViolations, launchBrowser } from './support/browser.mjs';

const TIMEOUT = 15_000;
const test = storyTest();

describe('staff single sign-on and sessions in the browser', { timeout: 600_000 }, () => {
  let idp;
  let app;
  let browser;
  let page;
  const sub = `e2e-${randomUUID()}`;
  const email = `sso-${randomUUID().slice(0, 8)}@salesmind.test`;

  before(async () => {
    idp = await startIdp();
    app = await startApp({
      NODE_ENV: 'test',
      OIDC_ISSUER: idp.issuer,
      OIDC_CLIENT_ID: idp.clientId,
      OIDC_CLIENT_SECRET: idp.clientSecret,
      OIDC_STAFF_DOMAINS: 'salesmind.test',
    });
    await idp.registerClient(app.baseUrl);
    idp.addAccount(sub, email);
    browser = await launchBrowser();
    page = await newPage();
  });

  after(async () => {
    await browser?.close();
    await app?.stop();
    await idp?.close();
  });

  async function newPage() {
    const context = await browser.newContext({ viewport: DESKTOP, baseURL: app.baseUrl, reducedMotion: 'reduce' });
    const p = await context.newPage();
    p.setDefaultTimeout(TIMEOUT);
    return p;
  }

  async function ssoSignIn(p, account) {
    idp.nextAccount = account;
    await p.goto('/login');
    await p.getByRole('link', { name: 'Sign in with SSO' }).click();
  }

  const signedIn = async (p) => (await p.request.get('/api/auth/me')).status() === 200;

  test('the login page offers SSO; the provider signs a staff address in and sends it back signed in', async () => {
    await page.goto('/login');
    await page.getByRole('link', { name: 'Sign in with SSO' }).waitFor();
    await expectNoSeriousA11yViolations(page, 'login with SSO');
    await ssoSignIn(page, sub);
    await page.waitForURL(
      (url) => url.origin === app.baseUrl && !url.pathname.startsWith('/login') && url.pathname !== '/',
    );
    const me = await (await page.request.get('/api/auth/me')).json();
    assert.equal(me.email, email);
    assert.equal(me.isStaff, true);
  });

  test('an address outside the staff domains comes back to the login page, which says why', async () => {
    const outsider = `out-${randomUUID()}`;
    idp.addAccount(outsider, `someone-${randomUUID().slice(0, 6)}@gmail.test`);
    const other = await newPage();
    await ssoSignIn(other, outsider);
    await other.waitForURL('**/login?sso=domain_not_allowed');
    await other.getByText("your email address's domain is not on the list").waitFor();
    assert.equal(await signedIn(other), false);
    await other.context().close();
  });

  test('Account security lists the sessions: this browser alone, then a second one signed out from here', async () => {
    await page.goto('/account/security');
    const table = page.getByRole('table', { name: 'Your sessions' });
    await table.waitFor();
    await page.getByText('You are signed in only here.').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Sign out everywhere else' }).isDisabled(), true);
    await expectNoSeriousA11yViolations(page, 'sessions');

    const phone = await newPage();
    await ssoSignIn(phone, sub);
    await phone.waitForURL((url) => !url.pathname.startsWith('/login') && url.pathname !== '/');
    await page.reload();
    await table.waitFor();
    assert.equal(await table.getByRole('row').count(), 3); // header + two sessions
    await table.getByText('This browser').waitFor();
    const signOut = table.getByRole('button', { name: /^Sign out / });
    assert.equal(await signOut.count(), 1);
    await signOut.click();
    await page.getByText('You are signed in only here.').waitFor();
    assert.equal(await signedIn(phone), false);
    assert.equal(await signedIn(page), true);
    await phone.context().close();
  });

  test('"Sign out everywhere else" ends the other browsers and keeps this one', async () => {
    const laptop = await newPage();
    await ssoSignIn(laptop, sub);
    await laptop.waitForURL((url) => !url.pathname.startsWith('/login') && url.pathname !== '/');
    await page.reload();
    const button = page.getByRole('button', { name: 'Sign out everywhere else' });
    await page.getByRole('button', { name: /^Sign out Chrome/ }).waitFor();
    await button.click();
    await page.getByText('Signed out 1 other session.').waitFor();
    assert.equal(await signedIn(laptop), false);
    assert.equal(await signedIn(page), true);
    await laptop.context().close();
  });

  test('an account removed at the identity provider is signed out at its next request', async () => {
    await idp.removeAccount(sub);
    assert.deepEqual(idp.logouts.at(-1), { accountId: sub, ok: true });
    await page.reload();
    await page.waitForURL('**/login**');
    assert.equal(await signedIn(page), false);
  });
});
