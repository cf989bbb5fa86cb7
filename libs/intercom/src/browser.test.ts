import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as browser from './browser';
import * as server from './index';

/** Every module `file` reaches through relative imports, with the bare specifiers each one uses. */
function importGraph(file: string, seen = new Map<string, string[]>()): Map<string, string[]> {
  if (seen.has(file)) return seen;
  const source = readFileSync(file, 'utf8');
  const specifiers = [...source.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((m) => m[1]!);
  seen.set(
    file,
    specifiers.filter((s) => !s.startsWith('.')),
  );
  for (const s of specifiers.filter((s) => s.startsWith('.'))) importGraph(join(dirname(file), `${s}.ts`), seen);
  return seen;
}

test('the browser entry imports nothing outside this library: no node:*, no jose', () => {
  const graph = importGraph(join(__dirname, 'browser.ts'));
  expect(graph.size).toBeGreaterThan(1);
  expect([...graph].filter(([, bare]) => bare.length > 0)).toEqual([]);
});

test('the browser entry is the same code the API imports, not a copy', () => {
  expect(browser.parseAppId).toBe(server.parseAppId);
  expect(browser.INTERCOM_APP_HOSTS).toBe(server.INTERCOM_APP_HOSTS);
});
