import { DomainError, ErrorCode } from '../../common/errors';

/** Single sign-on starts one address may make per minute: a person needs a handful, an office behind one NAT more. */
export const OIDC_STARTS_PER_MINUTE = 120;
const WINDOW_MS = 60_000;

/**
 * Every start writes a login state row (kept ten minutes), before anyone has signed in: without a
 * cap, one address could fill the table. Counted per replica in memory, so N replicas allow N
 * times the cap, which still bounds the rows per address. The map holds only the current minute.
 */
export class OidcStartLimiter {
  private window = -1;
  private readonly counts = new Map<string, number>();

  take(ip: string, now = Date.now()): void {
    const window = Math.floor(now / WINDOW_MS);
    if (window !== this.window) {
      this.window = window;
      this.counts.clear();
    }
    const count = (this.counts.get(ip) ?? 0) + 1;
    this.counts.set(ip, count);
    if (count > OIDC_STARTS_PER_MINUTE) {
      const retryAfterSeconds = Math.max(1, Math.ceil(((window + 1) * WINDOW_MS - now) / 1000));
      throw new DomainError(
        ErrorCode.TooManyRequests,
        `Too many single sign-on attempts from this address. Wait ${retryAfterSeconds} seconds and try again.`,
        { retryAfterSeconds },
      );
    }
  }
}
