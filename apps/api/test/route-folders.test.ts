import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { TOKEN_ROUTE } from '../src/tokens/token-route';
import { startTestApp, TestApp } from './harness';

const ROOT = join(__dirname, '../../..');
const SRC = join(ROOT, 'apps/api/src');

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

/** ARCHITECTURE.md's table under "One URL tree, one folder": the rule is written once, there. */
function homes(): Array<{ prefix: string; folder: string }> {
  const doc = readFileSync(join(ROOT, 'ARCHITECTURE.md'), 'utf8');
  const section = doc.split('### One URL tree, one folder')[1]?.split(/\n#{2,3} /)[0] ?? '';
  const rows = [...section.matchAll(/^\| (`[^|]+`) \| `([\w-]+)` \|/gm)];
  return rows.flatMap(([, prefixes, folder]) =>
    [...prefixes!.matchAll(/`([^`]+)`/g)].map(([, prefix]) => ({ prefix: prefix!, folder: folder! })),
  );
}

/** Longest prefix wins: `/api/tenants/:tenantId/intercom/...` before `/api/tenants/...`. */
function homeOf(path: string, table: ReturnType<typeof homes>): string | undefined {
  return table
    .filter(({ prefix }) => path === prefix || path.startsWith(`${prefix}/`))
    .sort((a, b) => b.prefix.length - a.prefix.length)[0]?.folder;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Which file declares each controller class: every file with `@Controller(` in it, loaded. */
async function controllerFiles(): Promise<Map<unknown, string>> {
  const files = new Map<unknown, string>();
  for (const file of sourceFiles(SRC).filter((f) => readFileSync(f, 'utf8').includes('@Controller('))) {
    for (const exported of Object.values((await import(file)) as Record<string, unknown>)) files.set(exported, file);
  }
  return files;
}

const join2 = (...parts: string[]) =>
  `/${parts
    .flatMap((p) => p.split('/'))
    .filter(Boolean)
    .join('/')}`;

test('every route lives in the folder its URL prefix names in ARCHITECTURE.md', async () => {
  const table = homes();
  // The table was found and parsed: without it every route would be "unlisted".
  expect(table).toEqual(expect.arrayContaining([{ prefix: '/api/tenants/:tenantId/intercom', folder: 'intercom' }]));
  const files = await controllerFiles();
  const routes: Array<{ route: string; file: string }> = [];
  for (const module of t.app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => unknown) | null;
      if (!controller) continue;
      const file = files.get(controller) ?? `(${controller.name}: not in a file with @Controller)`;
      const base = [Reflect.getMetadata(PATH_METADATA, controller) as string | string[]].flat();
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = controller.prototype[name] as object;
        const path = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
        if (path === undefined || name === 'constructor') continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
        for (const b of base) for (const p of [path].flat()) routes.push({ route: `${method} ${join2(b, p)}`, file });
      }
    }
  }
  routes.push({ route: `${TOKEN_ROUTE.method} ${TOKEN_ROUTE.url}`, file: join(SRC, 'tokens/token-route.ts') });
  // Sanity: the walk saw the app's routes, the ones this rule moved among them.
  expect(routes.map((r) => r.route)).toEqual(
    expect.arrayContaining([
      'PUT /api/tenants/:tenantId/intercom/secret',
      'POST /api/tenants/:tenantId/intercom/test-token',
    ]),
  );

  const misplaced = routes.flatMap(({ route, file }) => {
    const folder = homeOf(route.split(' ')[1]!, table);
    const actual = relative(SRC, file).split(sep)[0];
    if (folder === undefined) return [`${route}: no row in ARCHITECTURE.md's URL table; add one`];
    return folder === actual
      ? []
      : [`${route} is served from ${relative(ROOT, file)}; its home is apps/api/src/${folder}/`];
  });
  expect(misplaced).toEqual([]);
});
