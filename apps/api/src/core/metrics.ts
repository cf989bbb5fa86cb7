import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Registry } from 'prom-client';

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

const DURATION_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

interface Tally {
  labels: Record<string, string>;
  count: number;
  sum: number;
  /** Observations per bucket, not cumulative; the last slot is above the largest bound. */
  buckets: number[];
}

/**
 * The token endpoints' counter and histogram, kept in plain numbers keyed by a string of their
 * labels and turned into Prometheus' text only at scrape time. prom-client's `inc({labels})` and
 * `observe({labels}, v)` sort and join the label object on every call: in the token route's CPU
 * profile that was ~2–5 µs of a ~40 µs request (decision 0054). The output is the same text
 * prom-client writes for a Counter and a Histogram (test/metrics.test.ts parses it).
 */
class TokenInstruments {
  private readonly requests = new Map<string, Tally>();
  private readonly durations = new Map<string, Tally>();

  record(endpoint: TokenEndpoint, platform: string, outcome: string, seconds: number): void {
    const requestKey = `${endpoint}|${platform}|${outcome}`;
    let r = this.requests.get(requestKey);
    if (!r) {
      r = { labels: { endpoint, platform, outcome }, count: 0, sum: 0, buckets: [] };
      this.requests.set(requestKey, r);
    }
    r.count += 1;
    const durationKey = `${endpoint}|${outcome}`;
    let d = this.durations.get(durationKey);
    if (!d) {
      d = {
        labels: { endpoint, outcome },
        count: 0,
        sum: 0,
        buckets: new Array<number>(DURATION_BUCKETS.length + 1).fill(0),
      };
      this.durations.set(durationKey, d);
    }
    d.count += 1;
    d.sum += seconds;
    let i = 0;
    while (i < DURATION_BUCKETS.length && seconds > DURATION_BUCKETS[i]!) i++;
    d.buckets[i]! += 1;
  }

  /** Registers both with `registry` as metrics it renders like its own. */
  register(registry: Registry): void {
    const counter = {
      name: 'messenger_vault_token_requests_total',
      help: 'Token requests answered, by endpoint (token: API key; exchange: ID token), platform and outcome.',
      type: 'counter',
      aggregator: 'sum',
      get: async () => ({
        name: counter.name,
        help: counter.help,
        type: 'counter',
        aggregator: 'sum',
        values: [...this.requests.values()].map((r) => ({ labels: r.labels, value: r.count })),
      }),
    };
    const name = 'messenger_vault_token_request_duration_seconds';
    const histogram = {
      name,
      help: 'Time from receiving a token request to answering it, by endpoint and outcome.',
      type: 'histogram',
      aggregator: 'sum',
      get: async () => ({
        name,
        help: histogram.help,
        type: 'histogram',
        aggregator: 'sum',
        values: [...this.durations.values()].flatMap((d) => {
          let cumulative = 0;
          return [
            ...DURATION_BUCKETS.map((le, i) => {
              cumulative += d.buckets[i]!;
              return { metricName: `${name}_bucket`, labels: { ...d.labels, le }, value: cumulative };
            }),
            { metricName: `${name}_bucket`, labels: { ...d.labels, le: '+Inf' }, value: d.count },
            { metricName: `${name}_sum`, labels: d.labels, value: d.sum },
            { metricName: `${name}_count`, labels: d.labels, value: d.count },
          ];
        }),
      }),
    };
    registry.registerMetric(counter as never);
    registry.registerMetric(histogram as never);
  }
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
  private readonly token = new TokenInstruments();

  /** Automated rotations of Intercom secrets, by how they ended (started, done, failed): fixed values only. */
  readonly intercomRotations = new Counter({
    name: 'messenger_vault_intercom_rotations_total',
    help: 'Automated Intercom secret rotation runs, by outcome: started, done or failed.',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  constructor() {
    for (const outcome of ['started', 'done', 'failed']) this.intercomRotations.inc({ outcome }, 0);
    this.token.register(this.registry);
    collectDefaultMetrics({ register: this.registry });
    // Gauges named like counters, which `promtool check metrics` refuses; their per-type
    // siblings (nodejs_active_handles{type}, ...) carry the same numbers.
    for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'])
      this.registry.removeSingleMetric(name);
  }

  /** One answered token request; `seconds` from Fastify's reply.elapsedTime (ms) / 1000. */
  tokenAnswered(endpoint: TokenEndpoint, body: unknown, status: number, seconds: number): void {
    this.token.record(endpoint, platformLabel(body), tokenOutcome(status), seconds);
  }
}
