// bench/token/attributes: what signed custom attributes (decision 0043) add to the token path's
// own work — body check against the compiled allow-list, claims, HS256 signature — in one
// process, the two bodies interleaved in rounds so machine load hits both alike.
//   node bench/token/attributes.mjs
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
spawnSync(process.execPath, [`${root}scripts/build.mjs`, 'api'], { stdio: 'inherit' });
const require = createRequire(import.meta.url);
const tokens = `${root}apps/api/dist/apps/api/src/tokens/`;
const { parseTokenRequest } = require(`${tokens}token-request.js`);
const { compileTokenPolicy } = require(`${tokens}token-policy.js`);
const { buildMessengerClaims, MessengerJwtSigner } = require('@messenger-vault/intercom');

const policy = compileTokenPolicy(false, [
  { name: 'plan', type: 'string', maxLength: 32 },
  { name: 'seats', type: 'number' },
  { name: 'trial', type: 'boolean' },
  { name: 'company_id', type: 'string' },
]);
const signer = new MessengerJwtSigner('bench-messenger-secret-0123456789');
const plain = JSON.stringify({ user_id: 'user-12345', email: 'user@example.com', name: 'Bench User', platform: 'web' });
const withAttributes = JSON.stringify({
  ...JSON.parse(plain),
  custom_attributes: { plan: 'pro', seats: 12, trial: false, company_id: 'c-981' },
});

const N = 20_000;
function nsPerToken(text) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < N; i++) {
    const r = parseTokenRequest(JSON.parse(text), policy);
    signer.sign(
      buildMessengerClaims(
        { userId: r.userId, email: r.email, name: r.name, attributes: r.customAttributes },
        { now: new Date(), ttlSeconds: 3600 },
      ),
    );
  }
  return Number(process.hrtime.bigint() - start) / N;
}

nsPerToken(plain);
nsPerToken(withAttributes);
const a = [];
const b = [];
for (let round = 0; round < 10; round++) {
  a.push(nsPerToken(plain));
  b.push(nsPerToken(withAttributes));
}
const median = (x) => [...x].sort((p, q) => p - q)[x.length >> 1];
const [pa, pb] = [median(a), median(b)];
process.stdout.write(
  `parse + claims + sign, median of 10 interleaved rounds of ${N}:\n` +
    `  without attributes:   ${(pa / 1000).toFixed(2)} µs/token\n` +
    `  with 4 attributes:    ${(pb / 1000).toFixed(2)} µs/token\n` +
    `  ratio: ${(pb / pa).toFixed(2)}x\n`,
);
