// A deep link to the setup wizard's first step loads only the Mantine styles the signed-in shell,
// the tenant frame and that step use (apps/web/src/features/shell/AppShell.tsx), not all of them
// (decision 0060). The list is kept by hand, so this checks it against what the page renders, on
// a phone and on a desktop, with the navigation, the account menu and the step's states shown:
// every Mantine class on the page has its rules loaded.
/* global document -- the callbacks of page.evaluate run in the browser */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { STAFF, root, startApp } from './support/app.mjs';
import { DESKTOP, PHONE, launchBrowser } from './support/browser.mjs';

const TIMEOUT = 15_000;
const MANTINE = join(root, 'node_modules/@mantine/core');
const ALL_STYLES = readFileSync(join(MANTINE, 'styles.layer.css'), 'utf8');
// Components the wizard's first step never shows: their rules arriving would mean all of
// Mantine's styles were loaded again.
const NOT_ON_THE_PAGE = ['Table', 'Tabs', 'Modal', 'SegmentedControl'];

describe("the wizard's first step loads the styles it shows, and only those", { timeout: 300_000 }, () => {
  let app;
  let browser;
  let cookie;
  let tenantId;

  before(async () => {
    app = await startApp();
    browser = await launchBrowser();
    const login = await fetch(`${app.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: app.baseUrl },
      body: JSON.stringify(STAFF),
    });
    assert.equal(login.status, 200);
    cookie = login.headers.getSetCookie().map((header) => header.split(';')[0]);
    const created = await fetch(`${app.baseUrl}/api/tenants`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: app.baseUrl, Cookie: cookie.join('; ') },
      body: JSON.stringify({ name: 'Styles Ltd' }),
    });
    assert.equal(created.status, 201);
    tenantId = (await created.json()).id;
  });

  after(async () => {
    await browser?.close();
    await app?.stop();
  });

  for (const [name, viewport] of [
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ]) {
    test(`on a ${name}`, async () => {
      const context = await browser.newContext({ viewport, reducedMotion: 'reduce' });
      await context.addCookies(
        cookie.map((pair) => {
          const at = pair.indexOf('=');
          return { name: pair.slice(0, at), value: pair.slice(at + 1), url: app.baseUrl };
        }),
      );
      const page = await context.newPage();
      page.setDefaultTimeout(TIMEOUT);
      const used = new Set();
      const collect = async () => {
        for (const className of await page.evaluate(() =>
          [...document.querySelectorAll('[class]')].flatMap((element) => [...element.classList]),
        ))
          if (className.startsWith('m_')) used.add(className);
      };

      await page.goto(`${app.baseUrl}/tenants/${tenantId}/setup/app-id`);
      await page.getByText('Step 1 of 5').waitFor();
      await page.getByTestId('staff-view-banner').waitFor();
      await collect();
      if (viewport === PHONE) {
        await page.getByRole('button', { name: 'Open navigation' }).click();
        await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Tenants' }).waitFor();
        await collect();
        await page.getByRole('button', { name: 'Close navigation' }).click();
      }
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('menuitem', { name: 'Account security' }).waitFor();
      await collect();
      await page.keyboard.press('Escape');
      await page.getByRole('switch', { name: /Edit/ }).check({ force: true });
      await page.getByRole('button', { name: 'Save and continue' }).click();
      await page.getByRole('textbox', { name: /APP_ID or Intercom address/ }).fill('not an id!');
      await collect();

      const loaded = await page.evaluate(() => {
        const selectors = [];
        const walk = (rules) => {
          for (const rule of rules) {
            if (rule.cssRules) walk(rule.cssRules);
            if (rule.selectorText) selectors.push(rule.selectorText);
          }
        };
        for (const sheet of document.styleSheets) walk(sheet.cssRules);
        return selectors.join(' ');
      });
      const missing = [...used].filter((c) => ALL_STYLES.includes(`.${c}`) && !loaded.includes(`.${c}`));
      assert.deepEqual(missing, [], `Mantine classes on the page without their styles: ${missing.join(' ')}`);
      assert.ok(used.size > 50, `only ${used.size} Mantine classes seen: did the page render?`);
      for (const component of NOT_ON_THE_PAGE) {
        const firstClass = /\.(m_[0-9a-f]+)/.exec(
          readFileSync(join(MANTINE, 'styles', `${component}.layer.css`), 'utf8'),
        )[1];
        assert.ok(!loaded.includes(`.${firstClass}`), `${component}'s styles were loaded: all of Mantine's are back`);
      }
      await context.close();
    });
  }
});
