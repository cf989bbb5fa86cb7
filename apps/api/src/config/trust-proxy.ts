import { isIP } from 'node:net';

/**
 * Which peers may set X-Forwarded-For/-Proto: nobody (false), the last N hops, or the listed
 * proxy addresses and CIDR ranges. Never "everyone": the left-most X-Forwarded-For entry is
 * chosen by the client, and it becomes the IP of the per-IP sign-in lockout and the audit trail.
 */
export type TrustProxy = false | number | string[];

/** The names proxy-addr (Fastify's trustProxy) understands for well-known ranges. */
const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);
const TRUST_ALL = new Set(['true', 'yes', 'on', '*', 'all', '0.0.0.0/0', '::/0']);
const OFF = new Set(['', 'false', 'no', 'off', '0']);
const MAX_HOPS = 10;

function problemWith(entry: string): string | null {
  if (NAMED_RANGES.has(entry.toLowerCase())) return null;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (!family || rest.length) return `"${entry.slice(0, 60)}" is not an IP address or CIDR range`;
  if (prefix === undefined) return null;
  const max = family === 4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > max) return `"${entry.slice(0, 60)}" has a prefix outside 0-${max}`;
  if (Number(prefix) === 0) return `"${entry.slice(0, 60)}" trusts every address`;
  return null;
}

/** Parses TRUST_PROXY; a string is the one problem to report (the caller names the variable). */
export function parseTrustProxy(value: string | undefined): TrustProxy | string {
  const raw = (value ?? '').trim();
  if (OFF.has(raw.toLowerCase())) return false;
  const advice =
    'Set the number of proxies in front of the API (e.g. 1 for one load balancer), or their addresses and ranges (e.g. 10.0.0.5,10.0.1.0/24), or false when clients connect directly.';
  if (TRUST_ALL.has(raw.toLowerCase()))
    return `trusting every proxy lets any client choose its own IP with X-Forwarded-For (got "${raw}"). ${advice}`;
  if (/^\d+$/.test(raw)) {
    const hops = Number(raw);
    return hops <= MAX_HOPS ? hops : `a hop count must be at most ${MAX_HOPS} (got "${raw}"). ${advice}`;
  }
  const entries = raw
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  const problems = entries.map(problemWith).filter((p): p is string => p !== null);
  if (problems.length) return `${problems.join('; ')}. ${advice}`;
  return entries;
}

/**
 * For Fastify's `trustProxy`. Fastify 5 treats a bare number as "trust nobody", so a hop count
 * becomes proxy-addr's (address, hop) function: the socket peer is hop 0.
 */
export function fastifyTrustProxy(trust: TrustProxy): false | string[] | ((address: string, hop: number) => boolean) {
  if (typeof trust === 'number') return (_address, hop) => hop < trust;
  return trust;
}
