import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** The token endpoints, as a label. */
export type TokenEndpoint = 'token' | 'exchange';

const PLATFORMS = new Set(['web', 'ios', 'android']);

/**
 * What became of a token request, from its status code: a handful of fixed values, so a caller
 * cannot grow the label set (nor put anything of theirs in it).
 */
export function tokenOutcome(status: number): string {
  if (status < 300) return 'issued';
  switch (status) {
    case 400:
    case 413:
    case 415:
      return 'invalid_request';
    case 401:
      return 'unauthorized';
    case 403:
      return 'forbidden';
    case 404:
    case 409:
      return 'not_configured';
    case 429:
      return 'rate_limited';
    case 503:
      return 'unavailable';
    default:
      return status >= 500 ? 'error' : 'rejected';
  }
}

/** The body's platform when it is one of the three, `unknown` otherwise (missing, misspelled, hostile). */
export function platformLabel(body: unknown): string {
  const platform = (body as { platform?: unknown } | null | undefined)?.platform;
  return typeof platform === 'string' && PLATFORMS.has(platform) ? platform : 'unknown';
}

/**
 * This process's Prometheus registry, one per app (tests start several in one process), and the
 * instruments the token hot path touches: a counter increment and a histogram observation per
 * request, nothing else. Everything else is read at scrape time (metrics/metrics-collector.ts).
 * No label ever carries a tenant id, an API key, a user id or anything a caller sent, bar the
 * platform when it is one of the three.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();
  readonly tokenRequests = new Counter({
    name: 'messenger_vault_token_requests_total',
    help: 'Token requests answered, by endpoint (token: API key; exchange: ID token), platform and outcome.',
    labelNames: ['endpoint', 'platform', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly tokenDuration = new Histogram({
    name: 'messenger_vault_token_request_duration_seconds',
    help: 'Time from receiving a token request to answering it, by endpoint and outcome.',
    labelNames: ['endpoint', 'outcome'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  /** Automated rotations of Intercom secrets, by how they ended (started, done, failed): fixed values only. */
  readonly intercomRotations = new Counter({
    name: 'messenger_vault_intercom_rotations_total',
    help: 'Automated Intercom secret rotation runs, by outcome: started, done or failed.',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  constructor() {
    for (const outcome of ['started', 'done', 'failed']) this.intercomRotations.inc({ outcome }, 0);
    collectDefaultMetrics({ register: this.registry });
    // Gauges named like counters, which `promtool check metrics` refuses; their per-type
    // siblings (nodejs_active_handles{type}, ...) carry the same numbers.
    for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'])
      this.registry.removeSingleMetric(name);
  }

  /** One answered token request; `seconds` from Fastify's reply.elapsedTime (ms) / 1000. */
  tokenAnswered(endpoint: TokenEndpoint, body: unknown, status: number, seconds: number): void {
    const outcome = tokenOutcome(status);
    this.tokenRequests.inc({ endpoint, platform: platformLabel(body), outcome });
    this.tokenDuration.observe({ endpoint, outcome }, seconds);
  }
}
