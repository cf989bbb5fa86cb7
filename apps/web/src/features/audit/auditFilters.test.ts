import {
  auditFiltersFromSearchParams,
  auditFiltersToSearchParams,
  auditQuery,
  dayRangeError,
  parseDay,
} from './auditFilters';

const TENANT = '7c0c5a52-3c3e-4b1c-9a51-0c9a1f3e2b11';
const read = (search: string) => auditFiltersFromSearchParams(new URLSearchParams(search));
const none = { tenantId: '', action: '', actor: '', fromDay: '', toDay: '' } as const;

describe('the audit filters live in the address', () => {
  test('written and read back unchanged', () => {
    const filters = {
      tenantId: TENANT,
      action: 'api_key.created' as const,
      actor: 'ann@example.com',
      fromDay: '2026-05-01',
      toDay: '2026-05-31',
    };
    expect(read(auditFiltersToSearchParams(filters).toString())).toEqual(filters);
  });

  test('a tenant that is not an id, an unknown action or a day that does not exist is ignored', () => {
    expect(read('tenant=acme&action=drop&from=2026-02-30&to=yesterday')).toEqual(none);
  });
});

describe('days become instants for the API, both days included', () => {
  test('from is the start of the first day and to the start of the day after the last', () => {
    const query = auditQuery({ ...none, fromDay: '2026-05-01', toDay: '2026-05-31' });
    expect(query.from).toBe(new Date(2026, 4, 1).toISOString());
    expect(query.to).toBe(new Date(2026, 5, 1).toISOString());
  });

  test('the last day of a year rolls over into the next', () => {
    expect(auditQuery({ ...none, toDay: '2026-12-31' }).to).toBe(new Date(2027, 0, 1).toISOString());
  });

  test('empty filters are left out of the query', () => {
    expect(auditQuery({ ...none, actor: '  ' })).toEqual({
      tenantId: undefined,
      action: undefined,
      actor: undefined,
      from: undefined,
      to: undefined,
    });
  });

  test('a range back to front is said, not sent silently', () => {
    expect(dayRangeError({ ...none, fromDay: '2026-05-02', toDay: '2026-05-01' })).toMatch(/before/);
    expect(dayRangeError({ ...none, fromDay: '2026-05-01', toDay: '2026-05-01' })).toBeNull();
  });

  test('only real calendar days parse', () => {
    expect(parseDay('2026-02-28')).not.toBeNull();
    expect(parseDay('2026-02-29')).toBeNull();
    expect(parseDay('2026-5-1')).toBeNull();
  });
});
