import { LoggerService } from '@nestjs/common';
import pino, { Logger } from 'pino';

/** Keys whose values never reach a log line, at any depth. */
const SENSITIVE_KEY = /secret|password|passwd|token|key|authorization|cookie|session/i;
const REDACTED = '[redacted]';

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value instanceof Error) return { type: value.name, message: value.message };
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SENSITIVE_KEY.test(k) ? REDACTED : redact(v, depth + 1);
  return out;
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'messenger-vault' },
      timestamp: pino.stdTimeFunctions.isoTime,
      // req/res are left to their serializers below, which pick safe fields from live objects.
      formatters: {
        log: (obj) => {
          const { req, res, ...rest } = obj;
          return { ...(redact(rest) as Record<string, unknown>), ...(req ? { req } : {}), ...(res ? { res } : {}) };
        },
      },
      serializers: {
        req: (req: { id?: string; method?: string; url?: string; ip?: string; headers?: Record<string, string> }) => ({
          id: req.id,
          method: req.method,
          // Query strings may carry tokens (invitation links); log the path only.
          path: req.url?.split('?')[0],
          ip: req.ip,
          userAgent: req.headers?.['user-agent'],
        }),
        res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
      },
    },
    destination,
  );
}

/** Routes Nest's own log calls into the same JSON stream. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}
  private write(level: 'info' | 'error' | 'warn' | 'debug' | 'trace', message: unknown, rest: unknown[]) {
    const context = typeof rest[rest.length - 1] === 'string' ? (rest[rest.length - 1] as string) : undefined;
    if (typeof message === 'object' && message !== null) {
      const extra = rest.find((r) => typeof r === 'string' && r !== context);
      this.logger[level]({ context, ...(message as object) }, typeof extra === 'string' ? extra : '');
    } else {
      this.logger[level]({ context }, String(message));
    }
  }
  log(message: unknown, ...rest: unknown[]) {
    this.write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]) {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]) {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]) {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]) {
    this.write('trace', message, rest);
  }
}
