/**
 * Optional OpenTelemetry tracing (docs/decisions/0054), imported by main.ts before anything else
 * so the http and pg instrumentations hook those modules before the app loads them. Off, and the
 * SDK never even loaded, unless OTEL_EXPORTER_OTLP_ENDPOINT is set; an invalid value starts
 * nothing here and loadConfig refuses it with the reason.
 *
 * Spans leave through an allowlist of attributes (`scrubbed` below): no URL query, no path
 * segment that could be an id or a token, no client address, no header, no SQL parameter, no
 * exception message. Adding an attribute means adding it to the list, on purpose.
 */
import type { tracing as TracingTypes } from '@opentelemetry/sdk-node';

import { tracesUrl } from './config/otlp';

type ReadableSpan = TracingTypes.ReadableSpan;
type SpanExporter = TracingTypes.SpanExporter;
type ExportCallback = Parameters<SpanExporter['export']>[1];

/** Attributes a span may carry out of the process; everything else is dropped before export. */
export const ALLOWED_ATTRIBUTES: ReadonlySet<string> = new Set([
  'http.request.method',
  'http.method',
  'http.response.status_code',
  'http.status_code',
  'http.route',
  'url.path',
  'http.target',
  'url.scheme',
  'http.scheme',
  'http.flavor',
  'network.protocol.version',
  'server.port',
  'net.host.port',
  'db.system',
  'db.system.name',
  'db.name',
  'db.namespace',
  'db.operation.name',
  'db.statement',
  'db.query.text',
  'error.type',
]);

// Digits only, a UUID, 8+ characters with a digit, 24+ characters, or anything with @, % or a
// character outside [A-Za-z0-9._-]: an id, a token, an address. `v1`, `api-keys` stay.
const OPAQUE_SEGMENT =
  /^(?:\d+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|(?=.*\d).{8,}|.{24,}|.*[^A-Za-z0-9._-].*)$/i;

/**
 * A request path with anything that could identify a user or carry a secret replaced: the query,
 * and every segment that looks like an id, an address or a token (invitation and reset links).
 */
export function templatePath(path: string): string {
  const bare = path.split('?')[0] ?? '';
  return bare
    .split('/')
    .map((segment) => (segment && OPAQUE_SEGMENT.test(segment) ? ':id' : segment))
    .join('/');
}

/** The span as exported: allowlisted attributes only, no events (exception messages), no links. */
export function scrubbed(span: ReadableSpan): ReadableSpan {
  const attributes: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(span.attributes)) {
    if (!ALLOWED_ATTRIBUTES.has(key)) continue;
    attributes[key] =
      (key === 'url.path' || key === 'http.target') && typeof value === 'string' ? templatePath(value) : value;
  }
  // The SDK's span objects keep their methods (spanContext()) on the prototype: inherit them.
  return Object.create(span, {
    attributes: { value: attributes, enumerable: true },
    events: { value: [], enumerable: true },
    links: { value: [], enumerable: true },
    droppedEventsCount: { value: 0, enumerable: true },
  }) as ReadableSpan;
}

/** Wraps the OTLP exporter: every span goes through `scrubbed` on its way out. */
export class ScrubbingExporter implements SpanExporter {
  constructor(private readonly inner: SpanExporter) {}

  export(spans: ReadableSpan[], resultCallback: ExportCallback): void {
    this.inner.export(spans.map(scrubbed), resultCallback);
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}

/**
 * Ports of loopback servers this process opens for itself (the token route's warm-up before
 * listening, decision 0058): their requests, in and out, are not traced. By port, not by anything
 * a caller sends, so no outside request can make itself untraced.
 */
export const untracedLocalPorts = new Set<number>();

let stopTracing: () => Promise<void> = () => Promise.resolve();

/** Sends the spans still buffered; main.ts calls it while shutting down. */
export const shutdownTracing = (): Promise<void> => stopTracing().catch(() => undefined);

function startTracing(url: string): void {
  // Loaded only here: with tracing off none of the SDK is in the process.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { NodeSDK, tracing } = require('@opentelemetry/sdk-node') as typeof import('@opentelemetry/sdk-node');
  const { OTLPTraceExporter } =
    require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
  const { HttpInstrumentation } =
    require('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http');
  const { PgInstrumentation } =
    require('@opentelemetry/instrumentation-pg') as typeof import('@opentelemetry/instrumentation-pg');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const sdk = new NodeSDK({
    serviceName: process.env.OTEL_SERVICE_NAME || 'messenger-vault',
    spanProcessors: [new tracing.BatchSpanProcessor(new ScrubbingExporter(new OTLPTraceExporter({ url })))],
    instrumentations: [
      new HttpInstrumentation({
        // Health probes every few seconds would drown the traces that matter.
        ignoreIncomingRequestHook: (req) =>
          req.url === '/healthz' || req.url === '/readyz' || untracedLocalPorts.has(req.socket.localPort ?? -1),
        ignoreOutgoingRequestHook: (options) => untracedLocalPorts.has(Number(options.port)),
      }),
      new PgInstrumentation({ enhancedDatabaseReporting: false }),
    ],
  });
  sdk.start();
  stopTracing = () => sdk.shutdown();
}

const url = tracesUrl(process.env.OTEL_EXPORTER_OTLP_ENDPOINT);
if (url) startTracing(url);
