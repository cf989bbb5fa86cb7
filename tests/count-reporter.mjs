// A node:test reporter that writes pass/fail totals (leaf tests only) as JSON for scripts/test.mjs.
export default async function* countReporter(source) {
  const totals = { passed: 0, failed: 0, failures: [] };
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    if (event.data.details?.type === 'suite') continue;
    if (event.type === 'test:pass' && !event.data.skip && !event.data.todo) totals.passed += 1;
    if (event.type === 'test:fail') {
      totals.failed += 1;
      totals.failures.push(event.data.name);
    }
  }
  yield `${JSON.stringify(totals)}\n`;
}
