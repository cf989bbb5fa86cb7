import { createLogger } from '../logging/logger';
import { LazyRequestLogger } from './hot-path';

const capture = () => {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger('warn', { write: (line: string) => lines.push(JSON.parse(line)) });
  return { lines, logger };
};

test("the hot route's request logger binds nothing until a line at an enabled level is written", () => {
  const { lines, logger } = capture();
  const log = new LazyRequestLogger(logger, { reqId: 'req-1' }, { level: 'warn' });
  log.info({ res: {} }, 'request completed');
  log.debug('details');
  log.trace('more');
  expect(lines).toEqual([]);
  expect(log.materialized).toBe(false);
  expect(log.level).toBe('warn');
  expect(log.isLevelEnabled('error')).toBe(true);
  expect(log.isLevelEnabled('info')).toBe(false);
});

test('a warning or error still carries the request id and goes through the redaction of every log line', () => {
  const { lines, logger } = capture();
  const log = new LazyRequestLogger(logger, { reqId: 'req-2' }, { level: 'warn' });
  log.warn('Reply was already sent');
  log.error({ apiKey: 'mvk_abcdefghijkl_secret', statusCode: 500 }, 'request errored');
  log.child({ step: 'x' }).error('from a child');
  expect(log.materialized).toBe(true);
  expect(lines).toHaveLength(3);
  expect(lines[0]).toMatchObject({ reqId: 'req-2', msg: 'Reply was already sent', level: 40 });
  expect(lines[1]).toMatchObject({ reqId: 'req-2', statusCode: 500, level: 50 });
  expect(JSON.stringify(lines)).not.toContain('mvk_abcdefghijkl_secret');
  expect(lines[2]).toMatchObject({ reqId: 'req-2', step: 'x', msg: 'from a child' });
});

test('a route that logs at info through it writes at info', () => {
  const { lines } = capture();
  const logger = createLogger('info', { write: (line: string) => lines.push(JSON.parse(line)) });
  const log = new LazyRequestLogger(logger, { reqId: 'req-3' }, {});
  log.info('incoming request');
  expect(lines).toEqual([expect.objectContaining({ reqId: 'req-3', msg: 'incoming request', level: 30 })]);
});
