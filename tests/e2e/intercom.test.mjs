// Issue 14 in a real browser, against the app started as `npm start` does, with Intercom played by
// the stand-ins (REST + OAuth): an admin connects the workspace with "Connect with Intercom",
// links the key version pasted by hand to the Intercom secret it is, sees a connection Intercom
// stopped accepting, and reconnects. The Intercom stand-in listens on 127.0.0.1 and the app on
// localhost, so the trip to Intercom and back is cross-site, as it is in production.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe } from 'node:test';
import { signInToApi } from './support/api.mjs';
import { STAFF, startApp } from './support/app.mjs';
import { IntercomStandIn } from './support/intercom-stand-in.mjs';
import { startIntercomOAuthStandIn } from './support/intercom-oauth-stand-in.mjs';
import { storyTest } from './support/story.mjs';
import { DESKTOP, expectNoSeriousA11yViolations, launchBrowser, screenshot } from './support/browser.mjs';

const ADMIN = { email: 'admin@intercom-e2e.example', password: 'admin-password-intercom-789' };
const WORKSPACE = { id_code: 'oauthe2e7', name: 'OAuth E2E Workspace', region: 'US', identity_verification: true };
const SECRET_KEY = 'e2e-messenger-secret-linked-0123456789';
const CLIENT = { clientId: 'e2e-intercom-client', clientSecret: 'e2e-intercom-client-secret-42' };
const TIMEOUT = 15_000;

const test = storyTest();

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('tenant admin connects Intercom with OAuth and links its secrets in the browser', { timeout: 600_000 }, () => {
  let app;
  let browser;
  let admin;
  let intercom;
  let oauth;
  let tenantId;
  let inviteToken;
  let webSecret;

  before(async () => {
    intercom = new IntercomStandIn();
    await intercom.start();
    oauth = await startIntercomOAuthStandIn(intercom, { ...CLIENT, workspace: WORKSPACE });
    webSecret = intercom.addSecret(WORKSPACE.id_code, { name: 'Messenger web (dashboard)', supports_web: true });
    intercom.addSecret(WORKSPACE.id_code, { name: 'Mobile apps', supports_ios: true, supports_android: true });
    const port = await freePort();
    Object.assign(process.env, {
      INTERCOM_API_URL: intercom.url,
      INTERCOM_CLIENT_ID: CLIENT.clientId,
      INTERCOM_CLIENT_SECRET: CLIENT.clientSecret,
      INTERCOM_OAUTH_AUTHORIZE_URL: `${oauth.url}/oauth`,
      INTERCOM_OAUTH_TOKEN_URL: `${oauth.url}/auth/eagle/token`,
      PUBLIC_URL: `http://localhost:${port}`,
    });
    app = await startApp({ port });
    const api = await signInToApi(app.baseUrl, STAFF);
    tenantId = (await api('POST', '/api/tenants', { name: 'OAuth Tenant E2E' })).id;
    inviteToken = (await api('POST', `/api/tenants/${tenantId}/members`, { email: ADMIN.email, role: 'admin' }))
      .inviteToken;
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: DESKTOP, baseURL: app.baseUrl, reducedMotion: 'reduce' });
    admin = await context.newPage();
    admin.setDefaultTimeout(TIMEOUT);
  });

  after(async () => {
    await browser?.close();
    await app?.stop();
    await oauth?.stop();
    await intercom?.stop();
    for (const name of [
      'INTERCOM_CLIENT_ID',
      'INTERCOM_CLIENT_SECRET',
      'INTERCOM_OAUTH_AUTHORIZE_URL',
      'INTERCOM_OAUTH_TOKEN_URL',
      'PUBLIC_URL',
    ])
      delete process.env[name];
  });

  test('the admin accepts the invitation and opens step 1', async () => {
    await admin.goto(`/invite?token=${encodeURIComponent(inviteToken)}`);
    await admin.getByRole('textbox', { name: 'Password', exact: true }).fill(ADMIN.password);
    await admin.getByLabel('Confirm password').fill(ADMIN.password);
    await admin.getByRole('button', { name: 'Set password and sign in' }).click();
    await admin.waitForURL(`**/tenants/${tenantId}`);
    await admin.goto(`/tenants/${tenantId}/setup/app-id`);
    await admin.getByRole('region', { name: 'Connect to Intercom' }).getByText('Not connected').waitFor();
  });

  test('"Connect with Intercom" goes to Intercom and back, and shows the workspace as Intercom reports it', async () => {
    const card = admin.getByRole('region', { name: 'Connect to Intercom' });
    await card.getByRole('button', { name: 'Connect with Intercom' }).click();
    await admin.waitForURL(`**/tenants/${tenantId}/setup/app-id`);
    const evidence = card.getByTestId('intercom-connection');
    await evidence.waitFor();
    const shown = await evidence.innerText();
    assert.match(shown, /OAuth E2E Workspace[\s\S]*oauthe2e7[\s\S]*United States region/);
    assert.match(shown, /\(Connect with Intercom\)/);
    assert.match(shown, /Identity verification in Intercom:\s*On/i);
    assert.equal(oauth.issued.length, 1, 'one code traded for one token');
    assert.ok(!(await admin.content()).includes(oauth.issued[0]), 'the token is nowhere on the page');
    await expectNoSeriousA11yViolations(admin, 'step 1 connected with OAuth');
    await screenshot(admin, 'step-1-connected-with-intercom');
  });

  test("step 2: the pasted key is linked to the Intercom secret it is, from Intercom's own list", async () => {
    await admin.goto(`/tenants/${tenantId}/setup/secret-key`);
    await admin.getByLabel('Messenger API secret key').fill(SECRET_KEY);
    await admin.getByRole('button', { name: 'Save key' }).click();
    await admin.getByRole('alert').filter({ hasText: 'Signing with version 1' }).waitFor();

    const table = admin.getByRole('table', { name: 'Secrets in Intercom' });
    const row = table.getByTestId(`intercom-secret-${webSecret.id}`);
    await row.getByText('Messenger web (dashboard)').waitFor();
    await table.getByText('Mobile apps').waitFor();
    await row.getByLabel('Key version of Messenger web (dashboard)').selectOption('1');
    await row.getByRole('button', { name: 'Link Messenger web (dashboard) to the chosen version' }).click();
    await row.getByText('Version 1').waitFor();
    await expectNoSeriousA11yViolations(admin, 'step 2 with the Intercom secrets linked');
    await screenshot(admin, 'step-2-intercom-secrets-linked');

    const api = await signInToApi(app.baseUrl, STAFF);
    const connection = await api('GET', `/api/tenants/${tenantId}/intercom/connection`);
    assert.deepEqual(
      connection.intercomSecrets.map((s) => [s.name, s.linkedVersion]),
      [
        ['Messenger web (dashboard)', 1],
        ['Mobile apps', null],
      ],
    );
  });

  test('step 4: "Rotate now" shows the run live, "Finish now" deletes the linked old secret in Intercom', async () => {
    await admin.goto(`/tenants/${tenantId}/setup/best-practices`);
    const card = admin.getByRole('region', { name: 'Rotate through Intercom' });
    const autoRotate = admin.getByRole('switch', { name: 'Rotate automatically when the key falls due' });
    assert.equal(await autoRotate.isChecked(), false);
    await autoRotate.click({ force: true });
    await admin.getByText('Automatic rotation is on.').waitFor();
    assert.equal(await autoRotate.isChecked(), true);

    await card.getByRole('button', { name: 'Rotate now' }).click();
    const timeline = card.getByTestId('rotation-timeline');
    await timeline.waitFor();
    // The worker creates the new secret in Intercom and switches signing to it; the page follows by polling.
    const state = card.getByTestId('rotation-state');
    await state.filter({ hasText: 'Overlapping' }).waitFor({ timeout: 30_000 });
    await timeline.getByText(/The old secret is deleted at/).waitFor();
    assert.match(await timeline.innerText(), /Version 1 → version 2/);
    assert.equal(intercom.liveSecrets(WORKSPACE.id_code).length, 3, 'the new secret exists next to the old ones');
    await expectNoSeriousA11yViolations(admin, 'step 4 during a rotation');
    await screenshot(admin, 'step-4-rotation-overlapping');

    await card.getByRole('button', { name: 'Finish now' }).click();
    await admin.getByRole('dialog').getByRole('button', { name: 'Delete the old secret now' }).click();
    await state.filter({ hasText: 'Done' }).waitFor({ timeout: 30_000 });
    const live = intercom.liveSecrets(WORKSPACE.id_code).map((x) => x.id);
    assert.ok(!live.includes(webSecret.id), 'the linked old secret was deleted in Intercom');
    assert.equal(live.length, 2, 'the unlinked one is left alone, the new one stays');
    await screenshot(admin, 'step-4-rotation-done');

    const api = await signInToApi(app.baseUrl, STAFF);
    const setup = await api('GET', `/api/tenants/${tenantId}/intercom`);
    assert.equal(setup.secret.version, 2);
    assert.equal(setup.autoRotate, true);
    const overview = await api('GET', '/api/staff/integrations');
    assert.equal(overview.items.find((r) => r.tenantId === tenantId).autoRotate, true);
  });

  test('Intercom stops accepting the token: the card says so and reconnecting fixes it', async () => {
    intercom.revoke(oauth.issued[0]);
    await admin.goto(`/tenants/${tenantId}/setup/app-id`);
    const card = admin.getByRole('region', { name: 'Connect to Intercom' });
    await card.getByTestId('intercom-connection-broken').waitFor();
    assert.match(await card.getByTestId('intercom-connection-broken').innerText(), /Access Token Invalid/);
    await screenshot(admin, 'step-1-intercom-connection-broken');
    await card.getByRole('button', { name: 'Reconnect with Intercom' }).click();
    // Already on step 1 before the trip: wait for the callback page's own word that it connected.
    await admin.getByText('Connected to OAuth E2E Workspace with Intercom.').waitFor();
    await admin.waitForURL(`**/tenants/${tenantId}/setup/app-id`);
    await card.getByTestId('intercom-connection').waitFor();
    assert.equal(await card.getByTestId('intercom-connection-broken').count(), 0);
    assert.equal(oauth.issued.length, 2);
  });
});
