// The flows a person follows in a real browser, against the app started as `npm start` does:
// staff creates a tenant and invites its admin; the admin walks the five setup steps from an
// empty tenant to a token the debugger calls valid, then uses the rest of the tenant's pages.
// Every page gets an axe check; each wizard step is photographed for the README.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test as nodeTest } from 'node:test';
import { STAFF, root, startApp } from './support/app.mjs';
import { startIntercomStandIn } from './support/intercom-stand-in.mjs';
import { storyTest } from './support/story.mjs';
import {
  DESKTOP,
  PHONE,
  expectNoHorizontalOverflow,
  expectNoSeriousA11yViolations,
  launchBrowser,
  screenshot,
} from './support/browser.mjs';

const ADMIN = { email: 'admin@tenant-e2e.example', password: 'admin-password-e2e-456' };
const INTERCOM_URL = 'https://app.eu.intercom.com/a/inbox/e2eapp42/inbox/admin/1';
const SECRET_KEY = 'e2e-messenger-secret-0123456789abcdef';
const SECOND_SECRET_KEY = 'e2e-messenger-secret-rotated-9876543210';
const TIMEOUT = 15_000;

const test = storyTest();

describe('tenant admin connects Intercom in the browser', { timeout: 600_000 }, () => {
  let app;
  let browser;
  let staff; // page of the staff user
  let admin; // page of the tenant admin
  let tenantPath;
  let inviteUrl;
  let intercom;

  before(async () => {
    intercom = await startIntercomStandIn({
      id_code: 'e2eapp42',
      name: 'E2E Workspace',
      region: 'Europe',
      identity_verification: false,
    });
    process.env.INTERCOM_API_URL = intercom.url; // startApp passes its environment on
    app = await startApp();
    browser = await launchBrowser();
    staff = await newPage();
  });

  after(async () => {
    await browser?.close();
    await app?.stop();
    await intercom?.stop();
  });

  async function newPage(viewport = DESKTOP) {
    const context = await browser.newContext({ viewport, baseURL: app.baseUrl, reducedMotion: 'reduce' });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.baseUrl });
    const page = await context.newPage();
    page.setDefaultTimeout(TIMEOUT);
    return page;
  }

  /** Follows a link of the tenant's own navigation. */
  function openTenantPage(page, name) {
    return page.getByRole('navigation', { name: 'Tenant' }).getByRole('link', { name, exact: true }).click();
  }

  async function signIn(page, { email, password }) {
    await page.getByLabel('Email').fill(email);
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  nodeTest("the web's generated API types match the running API's OpenAPI document", async () => {
    const { generateSchemaTypes } = await import(join(root, 'apps/web/scripts/gen-api.mjs'));
    const prettier = await import('prettier');
    const schemaFile = join(root, 'apps/web/src/api/schema.d.ts');
    const document = await (await fetch(`${app.baseUrl}/api/docs-json`)).json();
    const options = (await prettier.resolveConfig(schemaFile)) ?? {};
    const expected = await prettier.format(await generateSchemaTypes(document), { ...options, filepath: schemaFile });
    assert.equal(
      readFileSync(schemaFile, 'utf8'),
      expected,
      'apps/web/src/api/schema.d.ts is out of date: run `npm run gen:api -w apps/web` against a running API.',
    );
  });

  test('staff signs in, creates a tenant and invites its admin', async () => {
    await staff.goto('/login');
    await expectNoSeriousA11yViolations(staff, 'the sign-in page');
    await signIn(staff, STAFF);
    await staff.waitForURL('**/tenants');
    await staff.getByText('No tenants yet').waitFor();
    await expectNoSeriousA11yViolations(staff, 'the empty tenant list');
    await staff.getByRole('button', { name: 'Create tenant' }).click();
    await staff.getByRole('dialog').getByLabel('Name').fill('Acme Support E2E');
    await staff.getByRole('dialog').getByRole('button', { name: 'Create tenant' }).click();
    await staff.waitForURL(/\/tenants\/[0-9a-f-]{36}$/);
    tenantPath = new URL(staff.url()).pathname;
    await staff.getByRole('heading', { level: 1, name: 'Acme Support E2E' }).waitFor();

    await staff.getByLabel("Admin's email").fill(ADMIN.email);
    await staff.getByRole('button', { name: 'Create invitation' }).click();
    inviteUrl = await staff.getByLabel('Invitation link').inputValue();
    assert.match(inviteUrl, /\/invite\?token=/);
    await expectNoSeriousA11yViolations(staff, 'the tenant page as staff');
  });

  test('the admin accepts the invitation and lands on an empty tenant', async () => {
    admin = await newPage();
    await admin.goto(inviteUrl);
    await expectNoSeriousA11yViolations(admin, 'the invitation page');
    await admin.getByRole('textbox', { name: 'Password', exact: true }).fill(ADMIN.password);
    await admin.getByLabel('Confirm password').fill(ADMIN.password);
    await admin.getByRole('button', { name: 'Set password and sign in' }).click();
    await admin.waitForURL(`**${tenantPath}`);
    await admin.getByText('0 of 5 steps done').waitFor();
    await expectNoSeriousA11yViolations(admin, 'the empty tenant overview');
    await screenshot(admin, 'overview-empty');
    await admin.getByRole('link', { name: 'Start setup' }).click();
    await admin.waitForURL(`**${tenantPath}/setup/app-id`);
  });

  test('step 1: connecting Intercom with an access token shows the workspace as Intercom reports it', async () => {
    const card = admin.getByRole('region', { name: 'Connect to Intercom' });
    await card.getByText('Not connected').waitFor();
    const field = card.getByLabel('Intercom access token', { exact: true });
    await field.fill('not-the-right-token-at-all');
    await card.getByRole('button', { name: 'Connect', exact: true }).click();
    await card.getByText('Intercom did not accept this token').waitFor();
    await field.fill(intercom.token);
    await card.getByRole('button', { name: 'Connect', exact: true }).click();
    const evidence = card.getByTestId('intercom-connection');
    await evidence.waitFor();
    assert.match(await evidence.innerText(), /E2E Workspace[\s\S]*e2eapp42[\s\S]*Europe region/);
    assert.match(await evidence.innerText(), /Identity verification in Intercom:\s*Off/i);
    // No APP_ID was saved yet: the workspace's became it.
    await admin.getByText('APP_ID saved').waitFor();
    assert.equal(await card.getByLabel('Replace the access token', { exact: true }).inputValue(), '');
    await expectNoSeriousA11yViolations(admin, 'step 1 connected');
    await screenshot(admin, 'step-1-intercom-connected');
  });

  test('step 1: a pasted Intercom address shows the APP_ID it holds, and saves it', async () => {
    const field = admin.getByLabel('APP_ID or Intercom address');
    await field.fill('https://example.com/a/inbox/nope');
    await admin.getByText('"example.com" is not an Intercom address').waitFor();
    await field.fill(INTERCOM_URL);
    const extracted = admin.getByTestId('extracted-app-id');
    await extracted.waitFor();
    assert.match(await extracted.innerText(), /e2eapp42[\s\S]*Europe region/);
    await expectNoSeriousA11yViolations(admin, 'step 1');
    await screenshot(admin, 'step-1-app-id');
    await admin.getByRole('button', { name: 'Save and continue' }).click();
    await admin.waitForURL('**/setup/secret-key');
  });

  test('step 2: the secret key is written once, then shown only by fingerprint and last 4', async () => {
    await admin.getByRole('button', { name: 'Save key' }).click();
    await admin.getByText('Paste the Messenger API secret key from Intercom.').waitFor();
    await admin.getByLabel('Messenger API secret key').fill(SECRET_KEY);
    await admin.getByRole('button', { name: 'Save key' }).click();
    const saved = admin.getByRole('alert').filter({ hasText: 'Signing with version 1' });
    await saved.waitFor();
    assert.match(await saved.innerText(), /ends in\s+cdef/);
    assert.equal(await admin.getByLabel('New secret key').inputValue(), '', 'the field is emptied once saved');
    assert.ok(!(await admin.content()).includes(SECRET_KEY), 'the key is nowhere on the page');
    const versions = admin.getByRole('table', { name: 'Key versions' });
    await versions.getByText('v1').waitFor();

    // Rotation: a second key replaces the first on every platform; the first can then be retired.
    await admin.getByLabel('New secret key').fill(SECOND_SECRET_KEY);
    await admin.getByRole('button', { name: 'Save as a new version' }).click();
    await admin.getByRole('alert').filter({ hasText: 'Signing with version 2' }).waitFor();
    await versions.getByRole('row', { name: /^v1/ }).getByText('Replaced').waitFor();
    await admin.getByRole('button', { name: 'Retire version 1' }).click();
    await admin.getByRole('dialog').getByRole('button', { name: 'Retire version' }).click();
    await versions.getByRole('row', { name: /^v1/ }).getByText('Retired').waitFor();
    await admin.getByRole('dialog').waitFor({ state: 'detached' });
    await expectNoSeriousA11yViolations(admin, 'step 2');
    await screenshot(admin, 'step-2-secret-key');
    await admin.getByRole('button', { name: 'Continue' }).click();
    await admin.waitForURL('**/setup/messenger-security');
  });

  test('step 3: Messenger Security is confirmed per platform, with a warning where it is off', async () => {
    const web = admin.getByRole('region', { name: 'Web' });
    const ios = admin.getByRole('region', { name: 'iOS' });
    await ios.getByText('Security off').waitFor();
    // Evidence from Intercom itself (GET /me at connection, step 1): the workspace's own flag.
    const evidence = admin.getByTestId('intercom-verification-evidence');
    assert.match(await evidence.innerText(), /Intercom says: identity verification is off[\s\S]*E2E Workspace/);
    await web.getByRole('switch', { name: 'JWT verification is on for Web in Intercom' }).click();
    await web.getByText('On · no traffic').waitFor();
    await ios.getByText(/impersonate|anyone could/i).waitFor();
    // The tenant says it ships web only (issue 15 item 7): iOS then no longer counts, nor warns.
    const shipped = admin.getByRole('region', { name: 'Where does your app show the Messenger?' });
    await shipped.getByRole('checkbox', { name: 'Web' }).check();
    await shipped.getByRole('button', { name: 'Save platforms' }).click();
    await admin.getByText('Platforms saved.').waitFor();
    await ios.getByText('Not one of the platforms you ship').waitFor();
    await expectNoSeriousA11yViolations(admin, 'step 3');
    await screenshot(admin, 'step-3-messenger-security');
    await admin.getByRole('button', { name: 'Continue' }).click();
    await admin.waitForURL('**/setup/best-practices');
  });

  test('step 4: token lifetime and rotation are checked as the API checks them, then saved', async () => {
    const lifetime = admin.getByLabel('Token lifetime (seconds)');
    await lifetime.fill('30');
    const lead = admin.getByLabel('Remind me this many days before (days)');
    await lead.fill('120');
    await admin.getByRole('button', { name: 'Save and continue' }).click();
    await admin.getByText('A token must last at least 60 seconds (one minute).').waitFor();
    await admin.getByText('Remind at most 60 days ahead.').waitFor();
    await lifetime.fill('1800');
    await lead.fill('10');
    await admin.getByText('Next rotation').waitFor();
    // Signed custom attributes (issue 15 item 5): reserved names are refused here as by the API.
    const signed = admin.getByRole('region', { name: 'Signed custom attributes' });
    await signed.getByRole('button', { name: 'Add an attribute' }).click();
    await signed.getByRole('textbox', { name: 'Name' }).fill('exp');
    await signed.getByText(/"exp" is reserved/).waitFor();
    await signed.getByRole('textbox', { name: 'Name' }).fill('plan');
    await signed.getByRole('button', { name: 'Save signed attributes' }).click();
    await admin.getByText('Signed attributes saved.').waitFor();
    await expectNoSeriousA11yViolations(admin, 'step 4');
    await screenshot(admin, 'step-4-best-practices');
    await admin.getByRole('button', { name: 'Save and continue' }).click();
    await admin.waitForURL('**/setup/identity-verification');
  });

  test('step 5: JWT is chosen, with the HMAC → JWT checklist at hand', async () => {
    await admin.getByRole('radio', { name: /^JWT/ }).waitFor();
    assert.equal(await admin.getByRole('radio', { name: /^JWT/ }).getAttribute('aria-checked'), 'true');
    await admin.getByRole('radio', { name: /HMAC/ }).click();
    await admin.getByText('HMAC is the weaker option').waitFor();
    await admin.getByText('Moving from HMAC to JWT: the checklist').waitFor();
    await admin.getByRole('radio', { name: /^JWT/ }).click();
    // Email user ids stay refused (the test page below relies on it), with the reasons at hand.
    await admin.getByText('Why this is discouraged').waitFor();
    assert.equal(await admin.getByRole('switch', { name: 'Accept email addresses as user_id' }).isChecked(), false);
    await expectNoSeriousA11yViolations(admin, 'step 5');
    await screenshot(admin, 'step-5-identity-verification');
    await admin.getByRole('button', { name: 'Save and test it' }).click();
    await admin.waitForURL('**/setup/test');
  });

  test('test it: a test token is issued and the debugger calls it valid', async () => {
    await admin.getByLabel('User id').fill('jane@example.com');
    await admin.getByRole('button', { name: 'Issue test token' }).click();
    await admin.getByText(/That is an email address/).waitFor();
    await admin.getByLabel('User id').fill('e2e-user-1');
    await admin.getByRole('button', { name: 'Issue test token' }).click();
    await admin.getByRole('button', { name: 'Check it in the debugger' }).click();
    const verdict = admin.getByTestId('debugger-verdict');
    await verdict.getByText('Valid token').waitFor();
    assert.match(await verdict.innerText(), /"user_id": "e2e-user-1"/);
    await expectNoSeriousA11yViolations(admin, 'the test page');
    await screenshot(admin, 'step-6-test-it');

    // A token that isn't one is explained, not just refused.
    await admin.getByLabel('JWT').fill('eyJhbGciOiJub25lIn0.eyJ1c2VyX2lkIjoiamFuZUBleGFtcGxlLmNvbSJ9.');
    await admin.getByRole('button', { name: 'Check token' }).click();
    await verdict.getByText(/^Not valid/).waitFor();
  });

  test('the stepper shows all five steps done, from the server', async () => {
    await admin.getByRole('button', { name: /^Step 1: APP_ID\W+done$/ }).click();
    await admin.waitForURL('**/setup/app-id');
    for (const name of ['APP_ID', 'Secret key', 'Messenger Security', 'Best practices', 'Identity verification']) {
      await admin.getByRole('button', { name: new RegExp(`^Step \\d: ${name}\\W+done$`) }).waitFor();
    }
  });

  test('the overview shows per-platform security status with badges', async () => {
    await openTenantPage(admin, 'Overview');
    await admin.getByText('5 of 5 steps done').waitFor();
    const status = admin.getByRole('table', { name: 'Security status' });
    await status.getByRole('row', { name: /Web/ }).getByText('On · no traffic').waitFor();
    await status.getByRole('row', { name: /iOS/ }).getByText('Security off').waitFor();
    await status
      .getByRole('row', { name: /Android/ })
      .getByText('Security off')
      .waitFor();
    await admin.getByText('e2eapp42').waitFor();
    await expectNoSeriousA11yViolations(admin, 'the tenant overview');
    await screenshot(admin, 'overview');
  });

  test('integration snippets carry the APP_ID and api_base, and copy', async () => {
    await openTenantPage(admin, 'Integration');
    await admin.getByRole('tab', { name: 'Web' }).click();
    const web = admin.getByRole('region', { name: 'Web code' });
    assert.match(await web.innerText(), /app_id: 'e2eapp42'/);
    assert.match(await web.innerText(), /api_base: 'https:\/\/api-iam\.eu\.intercom\.io'/);
    await admin.getByRole('button', { name: 'Copy Web code' }).click();
    assert.match(await admin.evaluate(() => navigator.clipboard.readText()), /app_id: 'e2eapp42'/);
    for (const tab of ['iOS', 'Android', 'React Native', 'Token client']) {
      await admin.getByRole('tab', { name: tab }).click();
      assert.match(await admin.getByRole('region', { name: `${tab} code` }).innerText(), /e2eapp42/);
    }
    await expectNoSeriousA11yViolations(admin, 'the integration page');
    await screenshot(admin, 'integration');
  });

  test("the backend examples on the Integration page carry this instance's address, never a key", async () => {
    await admin.getByRole('tab', { name: 'Your backend' }).click();
    const examples = admin.getByRole('tablist', { name: 'Your backend code by language' });
    for (const language of ['Node', 'Python', 'Ruby', 'PHP', 'Go', 'Java', 'C#']) {
      await examples.getByRole('tab', { name: language, exact: true }).click();
      const code = await admin.getByRole('region', { name: `Your backend code in ${language}` }).innerText();
      assert.ok(code.includes(app.baseUrl), `${language}: ${code.slice(0, 400)}`);
      assert.ok(!code.includes('vault.example.com'), language);
      assert.match(code, /MESSENGER_VAULT_API_KEY/);
      assert.doesNotMatch(code, /mvk_[\w-]{8,}/);
    }
    await expectNoSeriousA11yViolations(admin, 'the backend examples');
  });

  test('API keys: created and shown once, listed, revoked after confirmation', async () => {
    await openTenantPage(admin, 'API keys');
    await admin.getByText('No API keys yet.').waitFor();
    await admin.getByLabel('Name').fill('E2E backend');
    await admin.getByRole('button', { name: 'Create key' }).click();
    const key = await admin.locator('pre', { hasText: /^mvk_/ }).innerText();
    await admin.getByRole('button', { name: 'Copy new API key' }).click();
    assert.equal(await admin.evaluate(() => navigator.clipboard.readText()), key);
    await expectNoSeriousA11yViolations(admin, 'the API keys page');
    await screenshot(admin, 'api-keys');
    await admin.getByRole('button', { name: /Done/ }).click();
    assert.ok(!(await admin.content()).includes(key), 'the full key is gone once dismissed');
    await admin.getByRole('button', { name: 'Revoke E2E backend' }).click();
    await admin.getByRole('dialog').getByRole('button', { name: 'Revoke key' }).click();
    await admin
      .getByRole('row', { name: /E2E backend/ })
      .getByText('Revoked')
      .waitFor();
  });

  test('identity provider: refused with the rule, then saved', async () => {
    await openTenantPage(admin, 'Identity provider');
    await admin.getByText('Not set up').waitFor();
    await admin.getByLabel('Issuer').fill('https://auth.acme.example/');
    await admin.getByLabel('JWKS address').fill('http://auth.acme.example/jwks.json');
    await admin.getByLabel('Audience').fill('acme-web');
    await admin.getByLabel('Allowed browser origins').fill('https://app.acme.example\nhttps://app.acme.example/path');
    await admin.getByRole('button', { name: 'Save identity provider' }).click();
    await admin.getByText(/Use an https:\/\/ address/).waitFor();
    await admin.getByText(/https:\/\/app\.acme\.example\/path: an origin is/).waitFor();
    await admin.getByLabel('JWKS address').fill('https://auth.acme.example/.well-known/jwks.json');
    await admin.getByLabel('Allowed browser origins').fill('https://app.acme.example');
    await admin.getByRole('button', { name: 'Save identity provider' }).click();
    await admin.getByText('Token exchange is on.').waitFor();
    await expectNoSeriousA11yViolations(admin, 'the identity provider page');
  });

  test('webhook: refused without https, saved with its signing secret shown once, removed', async () => {
    await openTenantPage(admin, 'Webhook');
    await admin.getByText('No webhook yet').waitFor();
    const url = admin.getByLabel('Receiver address');
    await url.fill('http://hooks.example.com/messenger-vault');
    await admin.getByRole('button', { name: 'Save webhook' }).click();
    await admin.getByText(/^Use https/).waitFor();
    await url.fill('https://hooks.example.com/messenger-vault');
    await admin.getByRole('button', { name: 'Save webhook' }).click();
    const secret = await admin.locator('pre').first().innerText();
    assert.ok(secret.length >= 16, 'a signing secret is shown');
    await expectNoSeriousA11yViolations(admin, 'the webhook page with its new secret');
    await admin.getByRole('button', { name: /Done/ }).click();
    await admin.getByText('Reminders go to').waitFor();
    assert.ok(!(await admin.content()).includes(secret), 'the signing secret is gone once dismissed');
    await admin.getByRole('button', { name: 'Remove webhook' }).click();
    await admin.getByRole('dialog').getByRole('button', { name: 'Remove webhook' }).click();
    await admin.getByText('No webhook yet').waitFor();
  });

  test('notifications: none yet, and the bell in the header says so', async () => {
    await openTenantPage(admin, 'Notifications');
    await admin.getByText(/No reminders yet/).waitFor();
    await admin.getByRole('link', { name: 'Notifications, none unread' }).waitFor();
    await expectNoSeriousA11yViolations(admin, 'the notifications page');
  });

  test("the audit log lists the tenant's own events", async () => {
    await openTenantPage(admin, 'Audit log');
    await admin.getByRole('heading', { name: 'Audit log' }).waitFor();
    await admin.getByRole('table', { name: 'Audit log' }).getByText('Admin joined').first().waitFor();
    await expectNoSeriousA11yViolations(admin, 'the audit log');
  });

  test('at phone width the wizard and overview fit the screen and stay usable', async () => {
    const phone = await newPage(PHONE);
    await phone.goto('/login');
    await signIn(phone, ADMIN);
    await phone.waitForURL(`**${tenantPath}`);
    await phone.getByText('5 of 5 steps done').waitFor();
    await expectNoHorizontalOverflow(phone, 'the overview');
    await screenshot(phone, 'phone-overview');
    for (const slug of [
      'app-id',
      'secret-key',
      'messenger-security',
      'best-practices',
      'identity-verification',
      'test',
    ]) {
      await phone.goto(`${tenantPath}/setup/${slug}`);
      await phone.locator('#wizard-step-heading').waitFor();
      await expectNoHorizontalOverflow(phone, `setup step ${slug}`);
      if (slug === 'secret-key') await screenshot(phone, 'phone-step-2-secret-key');
    }
    await phone.getByRole('button', { name: 'Open navigation' }).click();
    await phone.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Tenants' }).waitFor();
    await expectNoSeriousA11yViolations(phone, 'the test page at phone width');
    await phone.context().close();
  });

  test('an expired session sends the admin to sign-in and back to the same page', async () => {
    const context = admin.context();
    await context.clearCookies();
    // A full load: the guard finds no session.
    await admin.goto(`${tenantPath}/api-keys`);
    await admin.waitForURL(/\/login\?next=/);
    assert.equal(new URL(admin.url()).searchParams.get('next'), `${tenantPath}/api-keys`);
    await signIn(admin, ADMIN);
    await admin.waitForURL(`**${tenantPath}/api-keys`);
    await admin.getByRole('heading', { name: 'API keys' }).waitFor();

    // Inside the app: the next API call answers 401 and the client sends the browser to sign-in.
    // (Signing in emptied the cache, so the audit log is fetched afresh.)
    await context.clearCookies();
    await openTenantPage(admin, 'Audit log');
    await admin.waitForURL(/\/login\?next=/);
    assert.equal(new URL(admin.url()).searchParams.get('next'), `${tenantPath}/audit`);
  });
  test('an existing account accepts another invitation by signing in first, never by typing its password there', async () => {
    await staff.goto('/tenants');
    await staff.getByRole('button', { name: 'Create tenant' }).click();
    await staff.getByRole('dialog').getByLabel('Name').fill('Acme Second E2E');
    await staff.getByRole('dialog').getByRole('button', { name: 'Create tenant' }).click();
    await staff.getByRole('heading', { level: 1, name: 'Acme Second E2E' }).waitFor();
    await staff.getByLabel("Admin's email").fill(ADMIN.email);
    await staff.getByRole('button', { name: 'Create invitation' }).click();
    const secondInvite = await staff.getByLabel('Invitation link').inputValue();

    // Signed out (the previous chapter cleared the cookies), the password form refuses the account's password.
    await admin.goto(secondInvite);
    await admin.getByRole('textbox', { name: 'Password', exact: true }).fill(ADMIN.password);
    await admin.getByLabel('Confirm password').fill(ADMIN.password);
    await admin.getByRole('button', { name: 'Set password and sign in' }).click();
    const alert = admin.getByRole('alert').filter({ hasText: 'You already have an account' });
    await alert.waitFor();
    await expectNoSeriousA11yViolations(admin, 'the invitation page for an existing account');
    await alert.getByRole('link', { name: 'Sign in to accept' }).click();
    await admin.waitForURL(/\/login\?next=/);
    await signIn(admin, ADMIN);
    await admin.waitForURL(/\/invite\?token=/);
    await admin.getByText(`You are signed in as ${ADMIN.email}`).waitFor();
    await expectNoSeriousA11yViolations(admin, 'the invitation page, signed in');
    await admin.getByRole('button', { name: 'Accept invitation' }).click();
    await admin.waitForURL('**/tenants');
    await admin.getByText('Acme Second E2E').first().waitFor();
    await admin.getByText('Acme Support E2E').first().waitFor();
  });

  test('"Sign out everywhere" in the account menu ends the session on every device', async () => {
    const phone = await newPage(PHONE);
    await phone.goto('/login');
    await signIn(phone, ADMIN);
    await phone.waitForURL('**/tenants');

    await admin.getByRole('button', { name: 'Sign out' }).click();
    await admin.getByRole('menuitem', { name: /Sign out everywhere/ }).click();
    await admin.waitForURL('**/login');

    await phone.reload();
    await phone.waitForURL(/\/login/);
    await phone.context().close();
  });
});
