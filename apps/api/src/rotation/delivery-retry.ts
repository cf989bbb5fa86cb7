/**
 * When a failed email or webhook delivery is tried again: 30 s, 2 min, 10 min, 1 h, 6 h after
 * each failure, then it is given up as `failed` (six attempts over about seven hours).
 */
export const RETRY_DELAYS_MS: readonly number[] = [30_000, 120_000, 600_000, 3_600_000, 21_600_000];
export const MAX_DELIVERY_ATTEMPTS = RETRY_DELAYS_MS.length + 1;

/** The wait after failed attempt number `attempt` (1-based), or null when that was the last one. */
export function retryDelayMs(attempt: number): number | null {
  return RETRY_DELAYS_MS[attempt - 1] ?? null;
}
