import { Inject, Injectable } from '@nestjs/common';
import ipaddr from 'ipaddr.js';
import { LRUCache } from 'lru-cache';
import { DomainError, ErrorCode } from '../common/errors';
import { APP_CONFIG, type AppConfig } from '../config/config';

const WINDOW_MS = 60_000;
// ~100 bytes an entry. Past this many addresses in one minute the least recent are forgotten:
// memory stays bounded, and the per-tenant budget still only counts verified exchanges.
const MAX_TRACKED = 50_000;

interface Window {
  window: number;
  failures: number;
}

// A dotted quad as a socket reports it (no leading zeros): already what ipaddr.js would print.
const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const CANONICAL_IPV4 = new RegExp(`^${OCTET}(?:\\.${OCTET}){3}$`);

/** The unit one client controls: its IPv4 address, or its IPv6 /64 (one subscriber's network). */
export function clientKey(ip: string): string {
  // Every exchange asks: the common case without parsing (0.8 µs a request in bench/token).
  if (CANONICAL_IPV4.test(ip)) return ip;
  try {
    const parsed = ipaddr.process(ip);
    if (parsed.kind() === 'ipv4') return parsed.toString();
    const parts = (parsed as ipaddr.IPv6).parts.slice(0, 4);
    return `${parts.map((p) => p.toString(16)).join(':')}::/64`;
  } catch {
    return ip;
  }
}

/**
 * Failed token exchanges per client IP and minute, on this replica. The exchange endpoint is
 * anonymous: without this, junk (random tenant ids, forged ID tokens) costs a database lookup or
 * a JWKS fetch each and is free to send. A client past the limit gets 429 before any of that.
 */
@Injectable()
export class ExchangeFailureLimiter {
  private readonly windows = new LRUCache<string, Window>({ max: MAX_TRACKED });
  private readonly limit: number;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.limit = config.exchangeFailuresPerIpPerMinute;
  }

  /** Runs `attempt` unless `ip` is over its limit; a DomainError it throws counts as a failure. */
  async guard<T>(ip: string, attempt: () => Promise<T>, now = Date.now()): Promise<T> {
    if (this.limit === 0) return attempt();
    const key = clientKey(ip);
    const window = Math.floor(now / WINDOW_MS);
    const state = this.windows.get(key);
    if (state && state.window === window && state.failures >= this.limit) {
      const retryAfter = Math.max(1, Math.ceil(((window + 1) * WINDOW_MS - now) / 1000));
      throw new DomainError(
        ErrorCode.TooManyRequests,
        `Too many failed token exchanges from your address (${this.limit} a minute). Wait ${retryAfter} seconds, and check that your app sends the signed-in user's current ID token and the right tenant_id.`,
        { retryAfterSeconds: retryAfter },
      );
    }
    try {
      return await attempt();
    } catch (err) {
      if (err instanceof DomainError) {
        const current = this.windows.get(key);
        if (current && current.window === window) current.failures += 1;
        else this.windows.set(key, { window, failures: 1 });
      }
      throw err;
    }
  }
}
