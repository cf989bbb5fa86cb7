// `npm test`: every suite, against a real PostgreSQL (embedded unless DATABASE_URL is set).
// Prints one closing line, `N passed, N failed`, totalled over every suite that ran.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const results = join(root, '.test-results');
rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });

const totals = { passed: 0, failed: 0 };
let exitCode = 0;

function runJest() {
  const out = join(results, 'jest.json');
  const args = [join(root, 'node_modules/jest/bin/jest.js'), '--json', `--outputFile=${out}`, ...process.argv.slice(2)];
  if (process.env.CI) args.push('--ci');
  const run = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (!existsSync(out)) {
    process.stderr.write('jest wrote no results; counting the run as one failure.\n');
    totals.failed += 1;
    exitCode = 1;
    return;
  }
  const report = JSON.parse(readFileSync(out, 'utf8'));
  totals.passed += report.numPassedTests;
  // A suite that fails to load has no failed tests of its own; count it so it can't hide.
  totals.failed += report.numFailedTests + report.numRuntimeErrorTestSuites;
  if (run.status !== 0) exitCode = run.status ?? 1;
}

/** Tests that drive whole processes (`npm start`), written for node:test. */
function runNodeTests(name, files) {
  // With no files, node --test would go looking for tests all over the repository.
  if (files.length === 0) return;
  const out = join(results, `${name}.json`);
  const args = [
    '--test',
    '--test-concurrency=1',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    `--test-reporter=${join(root, 'tests/count-reporter.mjs')}`,
    `--test-reporter-destination=${out}`,
    ...files,
  ];
  process.stdout.write(`\n== ${name}\n`);
  const run = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (!existsSync(out)) {
    totals.failed += 1;
    exitCode = 1;
    return;
  }
  const report = JSON.parse(readFileSync(out, 'utf8'));
  totals.passed += report.passed;
  totals.failed += report.failed;
  if (run.status !== 0) exitCode = run.status ?? 1;
}

/**
 * The browser suite needs Debian's Chromium. On a developer machine without it the suite is
 * left out, loudly, and counted neither way; in CI a missing browser is a failure.
 */
function runBrowserTests(files) {
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (existsSync(chromium)) return runNodeTests('e2e', files);
  if (process.env.CI) {
    process.stderr.write(`\n== e2e: no Chromium at ${chromium}; CI must install it (see .ci/run).\n`);
    totals.failed += 1;
    exitCode = 1;
    return;
  }
  process.stdout.write(
    `\n== e2e: SKIPPED, no Chromium at ${chromium}. Install it (apt-get install chromium) or set CHROMIUM_PATH to run the browser tests.\n`,
  );
}

function testFiles(dir) {
  return readdirSync(join(root, dir))
    .filter((f) => f.endsWith('.test.mjs'))
    .sort()
    .map((f) => join(root, dir, f));
}

const only = process.argv.slice(2);
runJest();
if (only.length === 0)
  runNodeTests('smoke', [
    join(root, 'tests/smoke/start.test.mjs'),
    join(root, 'tests/smoke/rewrap-kill.test.mjs'),
    join(root, 'tests/smoke/backup-restore.test.mjs'),
    join(root, 'tests/smoke/tracing.test.mjs'),
  ]);
// The integration kit as a tenant installs it (npm pack, a fresh project): every file in tests/kit/.
if (only.length === 0) runNodeTests('kit', testFiles('tests/kit'));
// The backend examples (examples/backend/) run against the app; missing runtimes are skipped, visibly.
if (only.length === 0) runNodeTests('examples', testFiles('tests/examples'));
// Faults on purpose (killed processes, a lost database): every file in tests/chaos/, found at run time.
if (only.length === 0) runNodeTests('chaos', testFiles('tests/chaos'));
if (only.length === 0) {
  runBrowserTests([
    join(root, 'tests/e2e/wizard.test.mjs'),
    join(root, 'tests/e2e/wizard-styles.test.mjs'),
    join(root, 'tests/e2e/passkeys.test.mjs'),
    join(root, 'tests/e2e/staff.test.mjs'),
    join(root, 'tests/e2e/mfa.test.mjs'),
    join(root, 'tests/e2e/example-apps.test.mjs'),
    join(root, 'tests/e2e/sso-sessions.test.mjs'),
    join(root, 'tests/e2e/intercom.test.mjs'),
  ]);
}
process.stdout.write(`\n${totals.passed} passed, ${totals.failed} failed\n`);
process.exit(exitCode || (totals.failed ? 1 : 0));
