// `npm run bench:hostile`: CPU per request for pathological bodies on the token hot path
// (issue 11, finding 3). Each hostile body goes through the real body parser and token-request
// check from the built API; the same run measures a plain valid body as the baseline, and the
// email pattern main used (/^[^\s@]+@[^\s@]+\.[^\s@]+$/) on the same input for comparison.
// Target: every hostile body within a few milliseconds, whatever its size up to the body limit.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from '../../scripts/build.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
build(['api'], { quiet: true });
const require = createRequire(import.meta.url);
const dist = (path) => require(join(root, 'apps/api/dist/apps/api/src', path));
const { parseJsonBody } = dist('common/json-body.js');
const { parseTokenRequest } = dist('tokens/token-request.js');
const { parseExchangeBody } = dist('tokens/exchange.service.js');

const OLD_EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const N = 60_000;

const bodies = {
  'valid request (baseline)': { user_id: '42', email: 'ada@example.com', platform: 'web' },
  'email: a@ + 60,000 dots + space': { user_id: '42', email: `a@${'.'.repeat(N)} `, platform: 'web' },
  'email: a@ + 30,000 "a." + @': { user_id: '42', email: `a@${'a.'.repeat(N / 2)}@`, platform: 'web' },
  'email: 60,000 letters, no @': { user_id: '42', email: 'a'.repeat(N), platform: 'web' },
  'user_id: a@ + 60,000 dots + space': { user_id: `a@${'.'.repeat(N)} `, platform: 'web' },
  'name: 60,000 characters': { user_id: '42', name: 'x'.repeat(N), platform: 'web' },
  '3,000 unknown fields': Object.fromEntries(Array.from({ length: 3_000 }, (_, i) => [`f${i}`, i])),
  'prototype keys, 2,000 deep': JSON.parse(`${'{"a":'.repeat(2_000)}{"__proto__":1}${'}'.repeat(2_000)}`),
  // Up to the 64 KB body limit: larger bodies are refused before parsing.
  '4,000-item array of prototype keys': {
    user_id: '42',
    platform: 'web',
    tags: Array.from({ length: 4_000 }, () => ({ toString: 1 })),
  },
};

/** CPU milliseconds of one request's body handling, best and median of `runs`. */
function measure(text, parse, runs) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const start = process.cpuUsage();
    try {
      parse(parseJsonBody(text));
    } catch {
      /* a 400 is the expected outcome for every hostile body */
    }
    const used = process.cpuUsage(start);
    times.push((used.user + used.system) / 1000);
  }
  times.sort((a, b) => a - b);
  return { best: times[0], median: times[Math.floor(times.length / 2)] };
}

const fmt = (ms) => `${ms.toFixed(3).padStart(9)} ms`;
console.log(`${'body'.padEnd(38)}${'bytes'.padStart(8)}  ${'token, median'.padStart(13)}  ${'exchange'.padStart(12)}`);
let worst = 0;
let baseline = 0;
for (const [name, body] of Object.entries(bodies)) {
  const text = name.startsWith('prototype')
    ? `${'{"a":'.repeat(2_000)}{"__proto__":1}${'}'.repeat(2_000)}`
    : JSON.stringify(body);
  const token = measure(text, (b) => parseTokenRequest(b), 50);
  const exchange = measure(text, (b) => parseExchangeBody(b), 50);
  if (name.includes('baseline')) baseline = token.median;
  else worst = Math.max(worst, token.median, exchange.median);
  console.log(`${name.padEnd(38)}${String(text.length).padStart(8)}  ${fmt(token.median)}  ${fmt(exchange.median)}`);
}

// main's pattern on the worst input, once (it takes seconds).
const hostile = `a@${'.'.repeat(N)} `;
const start = process.cpuUsage();
OLD_EMAIL.test(hostile);
const old = process.cpuUsage(start);
const oldMs = (old.user + old.system) / 1000;
console.log(`\nmain's email pattern on "a@ + 60,000 dots + space": ${fmt(oldMs)} (one run)`);
console.log(
  `worst hostile body now: ${fmt(worst)} median; valid baseline ${fmt(baseline)}; ${(oldMs / worst).toFixed(0)}x less than main's pattern`,
);
// The parser on an ordinary body, against the one Fastify used before (secure-json-parse), so
// the hot path pays nothing for the prototype-key check.
const sjp = createRequire(join(root, 'node_modules/fastify/package.json'))('secure-json-parse');
const ordinary = JSON.stringify({ user_id: '42', email: 'ada@example.com', name: 'Ada Lovelace', platform: 'web' });
const perOp = (fn) => {
  for (let i = 0; i < 100_000; i++) fn();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < 500_000; i++) fn();
  return Number(process.hrtime.bigint() - t0) / 500_000;
};
const fastifyNs = perOp(() => sjp.parse(ordinary, { protoAction: 'error', constructorAction: 'error' }));
const oursNs = perOp(() => parseJsonBody(ordinary));
console.log(
  `ordinary body: Fastify's parser ${fastifyNs.toFixed(0)} ns, ours ${oursNs.toFixed(0)} ns (${(oursNs / fastifyNs).toFixed(2)}x)`,
);

const LIMIT_MS = 5;
if (worst > LIMIT_MS) {
  console.log(`FAIL: a hostile body costs more than ${LIMIT_MS} ms of CPU`);
  process.exitCode = 1;
}
