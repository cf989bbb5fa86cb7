// What SalesMind staff do in a real browser, against the app started as `npm start` does: find
// tenants that need attention in the integrations overview (badges, filters, sort, search, CSV),
// open one read-only, read and verify the audit trail across tenants, and see token traffic per
// platform. The tenants are set up through the API, quickly; the tenant admin's own walk through
// the wizard is wizard.test.mjs.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe } from 'node:test';
import { issueToken, signInToApi } from './support/api.mjs';
import { STAFF, startApp } from './support/app.mjs';
import { storyTest } from './support/story.mjs';
import {
  DESKTOP,
  PHONE,
  expectNoHorizontalOverflow,
  expectNoSeriousA11yViolations,
  launchBrowser,
  screenshot,
} from './support/browser.mjs';

const TIMEOUT = 15_000;
const HEALTHY = { name: 'Northwind Healthy', appId: 'northwind1' };
const LEGACY = { name: 'Legacy Lighthouse', appId: 'lighthouse1' };
// A name a spreadsheet would run as a formula, with a comma and quotes: the CSV must defuse it.
const NO_SECRET = { name: '=Formula "Tenant", Inc', appId: 'formula1' };
const TOKENS = { web: 3, ios: 2, android: 1 };

const test = storyTest();

describe('staff audit every integration in the browser', { timeout: 600_000 }, () => {
  let app;
  let browser;
  let page;
  const tenantIds = {};

  before(async () => {
    app = await startApp();
    await setUpTenants();
    browser = await launchBrowser();
    page = await newPage();
  });

  after(async () => {
    await browser?.close();
    await app?.stop();
  });

  async function newPage(viewport = DESKTOP) {
    const context = await browser.newContext({ viewport, baseURL: app.baseUrl, reducedMotion: 'reduce' });
    const newOne = await context.newPage();
    newOne.setDefaultTimeout(TIMEOUT);
    return newOne;
  }

  /** Three tenants: one healthy with traffic on every platform, one on legacy HMAC, one with no secret. */
  async function setUpTenants() {
    const api = await signInToApi(app.baseUrl, STAFF);
    const tenant = async ({ name, appId }) => {
      const { id } = await api('POST', '/api/tenants', { name });
      await api('PUT', `/api/tenants/${id}/intercom/app-id`, { appId });
      return id;
    };

    tenantIds.healthy = await tenant(HEALTHY);
    await api('PUT', `/api/tenants/${tenantIds.healthy}/intercom/secret`, {
      secret: 'northwind-secret-0123456789abcdef',
    });
    for (const platform of Object.keys(TOKENS)) {
      await api('PUT', `/api/tenants/${tenantIds.healthy}/intercom/platforms/${platform}`, { securityEnabled: true });
    }
    await api('PATCH', `/api/tenants/${tenantIds.healthy}/intercom/settings`, {
      tokenTtlSeconds: 1800,
      identityMode: 'jwt',
    });
    const { key } = await api('POST', `/api/tenants/${tenantIds.healthy}/api-keys`, { name: 'E2E backend' });
    for (const [platform, count] of Object.entries(TOKENS)) {
      for (let i = 0; i < count; i += 1) await issueToken(app.baseUrl, key, { userId: `user-${i}`, platform });
    }

    tenantIds.legacy = await tenant(LEGACY);
    await api('PUT', `/api/tenants/${tenantIds.legacy}/intercom/secret`, { secret: 'lighthouse-secret-0123456789abc' });
    await api('PATCH', `/api/tenants/${tenantIds.legacy}/intercom/settings`, { identityMode: 'hmac' });

    tenantIds.noSecret = await tenant(NO_SECRET);

    // Token counts are flushed from memory every few seconds; wait until the overview has them.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const { items } = await api('GET', '/api/staff/integrations');
      const healthy = items.find((row) => row.tenantId === tenantIds.healthy);
      if (healthy?.tokensLast24h === 6) break;
      assert.ok(Date.now() < deadline, `token counts never reached the overview: ${JSON.stringify(healthy)}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }

  const table = () => page.getByRole('table', { name: 'Integrations' });
  const row = (name) => table().getByRole('row').filter({ hasText: name });
  const problemChip = (label) =>
    page.getByRole('group', { name: 'Only tenants with any of these problems' }).getByText(label, { exact: true });

  /** The tenant names in the table, top to bottom. */
  async function tenantNamesShown() {
    return table().locator('tbody tr td:first-child a').allInnerTexts();
  }

  async function waitUntil(condition, what) {
    const deadline = Date.now() + TIMEOUT;
    while (!(await condition())) {
      assert.ok(Date.now() < deadline, `timed out waiting: ${what}`);
      await page.waitForTimeout(100);
    }
  }

  /** Waits until the table shows exactly these tenants, in this order. */
  async function expectTenants(names, why) {
    const deadline = Date.now() + TIMEOUT;
    let shown;
    do {
      shown = await tenantNamesShown();
      if (JSON.stringify(shown) === JSON.stringify(names)) return;
      await page.waitForTimeout(100);
    } while (Date.now() < deadline);
    assert.deepEqual(shown, names, why);
  }

  test('staff find every tenant in the integrations overview, with the right badges', async () => {
    await page.goto('/login');
    await page.getByLabel('Email').fill(STAFF.email);
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill(STAFF.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/tenants');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Integrations' }).click();
    await page.waitForURL('**/staff/integrations');
    await page.getByRole('heading', { level: 1, name: 'Integrations' }).waitFor();
    await expectTenants([NO_SECRET.name, LEGACY.name, HEALTHY.name], 'sorted by name at first');
    await page.getByText('3 tenants').waitFor();

    const healthy = row(HEALTHY.name);
    await healthy.getByText(HEALTHY.appId).waitFor();
    await healthy.getByText('5 of 5').waitFor();
    await healthy.getByText('On schedule').waitFor();
    assert.equal(await healthy.locator('td').nth(3).innerText(), 'Off', 'automatic rotation (autoRotate)');
    assert.equal(await healthy.locator('td').nth(5).innerText(), '6', 'tokens in the last 24 h');
    assert.equal(await healthy.locator('td').last().innerText(), 'None', 'no problems');

    const legacy = row(LEGACY.name);
    await legacy.getByText('Legacy HMAC', { exact: true }).waitFor();
    await legacy.getByText('Platform off · Web, iOS, Android').waitFor();
    assert.equal(await legacy.getByText('No secret', { exact: true }).count(), 0);

    const noSecret = row(NO_SECRET.name);
    await noSecret.getByText('No secret', { exact: true }).waitFor();
    assert.equal(await noSecret.getByText('Legacy HMAC', { exact: true }).count(), 0);

    await expectNoSeriousA11yViolations(page, 'the integrations overview');
    await screenshot(page, 'staff-overview');
  });

  test('the chart shows tokens per platform, with the numbers as a table', async () => {
    const chart = page.getByRole('img', { name: /Tokens issued per platform/ });
    await chart.waitFor();
    const summary = await chart.evaluate((svg) => svg.querySelector('title').textContent);
    assert.match(summary, /Web 3, iOS 2, Android 1/);
    await page.getByText('Show the numbers as a table').click();
    const numbers = page.getByRole('table', { name: 'Tokens issued per day (UTC)' });
    const today = numbers.getByRole('row').last();
    assert.deepEqual((await today.getByRole('cell').allInnerTexts()).map(Number), [3, 2, 1]);
    await expectNoSeriousA11yViolations(page, 'the overview with the chart table open');
    await page.getByText('Show the numbers as a table').click();
  });

  test('the "Legacy HMAC" filter leaves only the tenant on HMAC, and lives in the address', async () => {
    await problemChip('Legacy HMAC').click();
    await expectTenants([LEGACY.name], 'only the HMAC tenant');
    assert.equal(new URL(page.url()).searchParams.get('problem'), 'legacy_hmac');
    await problemChip('No secret').click();
    await expectTenants([NO_SECRET.name, LEGACY.name], 'any of the chosen problems');
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expectTenants([NO_SECRET.name, LEGACY.name, HEALTHY.name], 'cleared');
  });

  test('headers sort, and clicking again reverses', async () => {
    const tokens = page.getByRole('columnheader', { name: 'Tokens, 24 h' });
    // Ties (no tokens, same number of problems) are in a stable but arbitrary order: check the ends.
    await page.getByRole('button', { name: 'Tokens, 24 h' }).click();
    await waitUntil(async () => (await tenantNamesShown())[0] === HEALTHY.name, 'most tokens first');
    assert.equal(await tokens.getAttribute('aria-sort'), 'descending');
    await page.getByRole('button', { name: 'Tokens, 24 h' }).click();
    await waitUntil(async () => (await tenantNamesShown()).at(-1) === HEALTHY.name, 'most tokens last');
    assert.equal(await tokens.getAttribute('aria-sort'), 'ascending');
    assert.equal(new URL(page.url()).searchParams.get('order'), 'asc');

    await page.getByRole('button', { name: 'Problems', exact: true }).click();
    await waitUntil(async () => (await tenantNamesShown()).at(-1) === HEALTHY.name, 'the healthy tenant last');
    await page.getByRole('button', { name: 'Tenant', exact: true }).click();
    await expectTenants([NO_SECRET.name, LEGACY.name, HEALTHY.name], 'by name again');
  });

  test('search matches a name or an APP_ID once typing pauses; no match says so', async () => {
    const search = page.getByRole('searchbox', { name: 'Search' });
    await search.fill('northwind');
    await expectTenants([HEALTHY.name], 'by name');
    await search.fill(LEGACY.appId);
    await expectTenants([LEGACY.name], 'by APP_ID');
    await search.fill('nobody-by-this-name');
    await page.getByRole('heading', { name: 'No tenant matches these filters' }).waitFor();
    await expectNoSeriousA11yViolations(page, 'the overview with no match');
    await search.fill('');
    await expectTenants([NO_SECRET.name, LEGACY.name, HEALTHY.name], 'search cleared');
  });

  test('CSV export holds the filtered set, escaped, with formulas defused', async () => {
    await problemChip('Platform off').click();
    await expectTenants([NO_SECRET.name, LEGACY.name], 'platform off');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Export CSV' }).click(),
    ]);
    assert.match(download.suggestedFilename(), /^integrations-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync(await download.path(), 'utf8').replace(/^\uFEFF/, '');
    const lines = csv.split('\r\n');
    assert.equal(lines.length, 4, `a header, two tenants and the final line end:\n${csv}`);
    assert.match(lines[0], /^tenant_id,tenant_name,app_id,identity_mode,/);
    assert.ok(
      lines[1].startsWith(`${tenantIds.noSecret},"'=Formula ""Tenant"", Inc",formula1,jwt,,`),
      `the formula is defused and quoted: ${lines[1]}`,
    );
    assert.match(lines[1], /,"No secret; Platform off · Web, iOS, Android"$/);
    assert.ok(lines[2].startsWith(`${tenantIds.legacy},Legacy Lighthouse,lighthouse1,hmac,1,0,`), lines[2]);
    assert.match(lines[2], /,"Platform off · Web, iOS, Android; Legacy HMAC"$/);
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expectTenants([NO_SECRET.name, LEGACY.name, HEALTHY.name], 'cleared');
  });

  test('a drill-down opens read-only, until staff turn editing on', async () => {
    await row(LEGACY.name).getByRole('link', { name: LEGACY.name }).click();
    await page.waitForURL(`**/tenants/${tenantIds.legacy}`);
    await page.getByRole('heading', { level: 1, name: LEGACY.name }).waitFor();
    const banner = page.getByTestId('staff-view-banner');
    await banner.getByText('Viewing as SalesMind staff — read-only').waitFor();
    await expectNoSeriousA11yViolations(page, 'the tenant overview as staff, read-only');

    await page.goto(`/tenants/${tenantIds.legacy}/setup/app-id`);
    const save = page.getByRole('button', { name: 'Save and continue' });
    await save.waitFor();
    assert.ok(await save.isDisabled(), 'saving the APP_ID is locked');
    assert.ok(await page.getByLabel('APP_ID or Intercom address').isDisabled(), 'the field is locked');
    await expectNoSeriousA11yViolations(page, 'step 1 as staff, read-only');

    await page.getByRole('navigation', { name: 'Tenant' }).getByRole('link', { name: 'API keys', exact: true }).click();
    const create = page.getByRole('button', { name: 'Create key' });
    await create.waitFor();
    assert.ok(await create.isDisabled(), 'creating an API key is locked');

    await page.getByRole('switch', { name: 'Edit' }).click();
    await banner.getByText('Editing as SalesMind staff').waitFor();
    assert.ok(await create.isEnabled(), 'unlocked once editing is on');
    await page.getByRole('navigation', { name: 'Tenant' }).getByRole('link', { name: 'Setup', exact: true }).click();
    await page.getByRole('button', { name: /^Step 1: APP_ID\W+done$/ }).click();
    assert.ok(await save.isEnabled(), 'editing stays on within the tenant');

    // Another tenant starts read-only again.
    await page.getByRole('link', { name: 'All tenants' }).click();
    await page.getByRole('link', { name: HEALTHY.name }).click();
    await page.getByText('Viewing as SalesMind staff — read-only').waitFor();
  });

  test('the audit log across tenants filters, exports and verifies its chain', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
    await page.waitForURL('**/staff/audit');
    const log = page.getByRole('table', { name: 'Audit log' });
    await log.getByText('API key created').first().waitFor();
    await log.getByRole('link', { name: LEGACY.name }).first().waitFor();

    await page.getByRole('combobox', { name: 'Tenant', exact: true }).click();
    await page.getByRole('option', { name: LEGACY.name }).click();
    await page.waitForURL(`**/staff/audit?tenant=${tenantIds.legacy}`);
    await expectTenantColumn(log, LEGACY.name);
    await log.getByText('Token settings changed').waitFor();

    const href = await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href');
    assert.equal(href, `/api/audit/export.csv?tenantId=${tenantIds.legacy}`);
    const exported = await page.request.get(href);
    assert.equal(exported.status(), 200);
    assert.match(exported.headers()['content-type'], /text\/csv/);
    const body = await exported.text();
    assert.ok(body.includes(tenantIds.legacy) && !body.includes(tenantIds.healthy), 'only the chosen tenant');

    await page.getByRole('button', { name: 'Verify chain' }).click();
    await page.getByText('The audit chain is intact').waitFor();
    assert.match(await page.getByRole('status').filter({ hasText: 'intact' }).innerText(), /\d+ entries checked/);
    await expectNoSeriousA11yViolations(page, 'the audit log across tenants');
    await screenshot(page, 'staff-audit');
  });

  test('at phone width the overview fits the screen and stays usable', async () => {
    const phone = await newPage(PHONE);
    await phone.goto('/login');
    await phone.getByLabel('Email').fill(STAFF.email);
    await phone.getByRole('textbox', { name: 'Password', exact: true }).fill(STAFF.password);
    await phone.getByRole('button', { name: 'Sign in' }).click();
    await phone.waitForURL('**/tenants');
    await phone.getByRole('button', { name: 'Open navigation' }).click();
    await phone.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Integrations' }).click();
    await phone.getByRole('table', { name: 'Integrations' }).getByText(HEALTHY.name).waitFor();
    await phone.getByRole('img', { name: /Tokens issued per platform/ }).waitFor();
    await expectNoHorizontalOverflow(phone, 'the integrations overview');
    await expectNoSeriousA11yViolations(phone, 'the integrations overview at phone width');
    await screenshot(phone, 'staff-phone-overview');
    await phone.goto('/staff/audit');
    await phone.getByRole('table', { name: 'Audit log' }).waitFor();
    await expectNoHorizontalOverflow(phone, 'the audit log across tenants');
    await phone.context().close();
  });

  /** Every row of the audit table names this tenant. */
  async function expectTenantColumn(log, name) {
    const deadline = Date.now() + TIMEOUT;
    let tenants;
    do {
      tenants = await log.locator('tbody tr td:nth-child(2)').allInnerTexts();
      if (tenants.length > 0 && tenants.every((tenant) => tenant === name)) return;
      await page.waitForTimeout(100);
    } while (Date.now() < deadline);
    assert.fail(`the audit log shows other tenants: ${tenants.join(', ')}`);
  }
});
