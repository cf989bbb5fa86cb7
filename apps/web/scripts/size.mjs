// Size budget for the first page: the gzipped JavaScript a browser downloads before anything
// shows, that is every module script and modulepreload that dist/index.html names. Pages loaded
// later (React.lazy chunks) don't count; that is the point of loading them lazily.
//
// Usage, after `vite build`:  node scripts/size.mjs      (exit 1 when over budget)

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const BUDGET_KB = 250;
const KB = 1000; // the same unit as Vite's build report

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const indexHtml = join(dist, 'index.html');

if (!existsSync(indexHtml)) {
  console.error(`No ${relative(process.cwd(), indexHtml)}: run \`npx vite build\` first.`);
  process.exit(1);
}

const scripts = firstPageScripts(readFileSync(indexHtml, 'utf8'));
if (scripts.length === 0) {
  console.error('dist/index.html names no script: is this a Vite build?');
  process.exit(1);
}

let totalBytes = 0;
for (const src of scripts) {
  const file = join(dist, new URL(src, 'http://app.invalid/').pathname);
  if (!existsSync(file)) {
    console.error(`dist/index.html names ${src}, which is not in dist/.`);
    process.exit(1);
  }
  const gzipped = gzipSync(readFileSync(file)).length;
  totalBytes += gzipped;
  console.log(`  ${formatKb(gzipped).padStart(10)}  ${src}`);
}

const total = totalBytes / KB;
console.log(`first-page JS: ${total.toFixed(1)} KB gzipped (budget ${BUDGET_KB} KB)`);
if (total > BUDGET_KB) {
  console.error(
    `Over budget by ${(total - BUDGET_KB).toFixed(1)} KB: load more of the app lazily ` +
      '(React.lazy per route) or drop a dependency from the first page.',
  );
  process.exit(1);
}

/** The src of every <script src> and the href of every <link rel="modulepreload">, in order. */
function firstPageScripts(html) {
  const found = [];
  for (const [tag] of html.matchAll(/<(script|link)\b[^>]*>/gi)) {
    const isScript = /^<script/i.test(tag);
    if (!isScript && !/\brel=["']?modulepreload["']?/i.test(tag)) continue;
    const url = attribute(tag, isScript ? 'src' : 'href');
    if (url && !found.includes(url)) found.push(url);
  }
  return found;
}

function attribute(tag, name) {
  const match = tag.match(new RegExp(`\\b${name}=(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i'));
  return match ? (match[1] ?? match[2] ?? match[3]) : null;
}

function formatKb(bytes) {
  return `${(bytes / KB).toFixed(1)} KB`;
}
