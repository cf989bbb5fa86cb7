// Debian's Chromium driven by playwright-core, plus what every page check needs: axe, screenshots,
// and a check that nothing is wider than a phone's screen.
/* global window, document -- the callbacks of page.evaluate run in the browser */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { root } from './app.mjs';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 390, height: 844 };

const ARTIFACTS = join(root, 'test-artifacts/screenshots');
const DOCS = join(root, 'docs/screenshots');

/**
 * Every page of every context records the Content-Security-Policy violations it meets, so the
 * page checks below can fail on any: the app's CSP allows no inline script, and a page it breaks
 * must not pass quietly.
 */
export async function launchBrowser() {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext(options);
    await context.addInitScript(() => {
      window.__cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) =>
        window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline code'}`),
      );
    });
    return context;
  };
  return browser;
}

/**
 * Saves a screenshot as a test artifact; with UPDATE_SCREENSHOTS=1 it also replaces the copy in
 * docs/screenshots that the README shows (otherwise every test run would rewrite tracked files).
 */
export async function screenshot(page, name, { fullPage = true } = {}) {
  mkdirSync(ARTIFACTS, { recursive: true });
  mkdirSync(DOCS, { recursive: true });
  const file = join(ARTIFACTS, `${name}.png`);
  // A stable picture of the page itself: from the top (the header is fixed), without the toasts
  // that come and go over it.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(300);
  await page.screenshot({
    path: file,
    fullPage,
    animations: 'disabled',
    style: '.mantine-Notifications-root { display: none !important; }',
  });
  if (process.env.UPDATE_SCREENSHOTS === '1') copyFileSync(file, join(DOCS, `${name}.png`));
}

/** Runs axe on the page as it is now and fails on any serious or critical violation. */
export async function expectNoSeriousA11yViolations(page, where) {
  if (!(await page.evaluate(() => 'axe' in window))) {
    // Evaluated through the DevTools protocol, not as a <script> tag: the app's CSP allows no
    // inline script, and a test tool must not need the policy loosened.
    await page.evaluate(readFileSync(join(root, 'node_modules/axe-core/axe.min.js'), 'utf8'));
  }
  const results = await page.evaluate(() =>
    window.axe.run(document, { resultTypes: ['violations'] }).then((r) =>
      r.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        targets: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')} — ${n.failureSummary?.split('\n')[1] ?? ''}`),
      })),
    ),
  );
  const serious = results.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const blocked = await page.evaluate(() => window.__cspViolations ?? []);
  assert.deepEqual(blocked, [], `the Content-Security-Policy blocked something on ${where}`);
  assert.deepEqual(serious, [], `axe found serious violations on ${where}:\n${JSON.stringify(serious, null, 2)}`);
}

/** Nothing on the page may force sideways scrolling of the whole page. */
export async function expectNoHorizontalOverflow(page, where) {
  const { scrollWidth, innerWidth, culprits } = await page.evaluate(() => {
    const width = window.innerWidth;
    const wide = [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > width + 1)
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}`);
    return { scrollWidth: document.documentElement.scrollWidth, innerWidth: width, culprits: wide };
  });
  assert.ok(
    scrollWidth <= innerWidth,
    `${where} is ${scrollWidth}px wide on a ${innerWidth}px screen; too wide: ${culprits.join(', ')}`,
  );
}
