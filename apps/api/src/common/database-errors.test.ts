import { QueryFailedError } from 'typeorm';
import { asDatabaseUnavailable, isDatabaseUnavailable } from './database-errors';
import { DomainError, ErrorCode } from './errors';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

test('outages of every kind are told apart from query and data errors', () => {
  const outages = [
    withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432'),
    withCode('ECONNRESET'),
    withCode('57P01', 'terminating connection due to administrator command'),
    withCode('57P03', 'the database system is starting up'),
    withCode('08006'),
    withCode('53300', 'sorry, too many clients already'),
    withCode('57014', 'canceling statement due to statement timeout'),
    new Error('Connection terminated unexpectedly'),
    new Error('Query read timeout'),
    new Error('timeout exceeded when trying to connect'),
    new Error('Connection terminated due to connection timeout', { cause: withCode('ECONNRESET') }),
    Object.assign(new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')], ''), {
      code: undefined,
    }),
    new QueryFailedError('SELECT 1', [], withCode('57P01')),
  ];
  for (const err of outages) expect([err, isDatabaseUnavailable(err)]).toEqual([err, true]);
  const notOutages = [
    withCode('23505', 'duplicate key value violates unique constraint'),
    withCode('42P01', 'relation "x" does not exist'),
    new QueryFailedError('SELECT 1', [], withCode('22P02')),
    new TypeError('Cannot read properties of undefined'),
    new DomainError(ErrorCode.NotFound, 'gone'),
    undefined,
    'ECONNREFUSED',
  ];
  for (const err of notOutages) expect([err, isDatabaseUnavailable(err)]).toEqual([err, false]);
});

test('an outage becomes 503 database_unavailable with a Retry-After, never quoting the driver message', () => {
  const mapped = asDatabaseUnavailable(withCode('ECONNREFUSED', 'connect ECONNREFUSED 10.1.2.3:5432'))!;
  expect(mapped.code).toBe(ErrorCode.DatabaseUnavailable);
  expect(mapped.details.retryAfterSeconds).toBeGreaterThan(0);
  expect(mapped.message).not.toMatch(/10\.1\.2\.3|ECONN/);
  expect(asDatabaseUnavailable(withCode('23505'))).toBeNull();
});
