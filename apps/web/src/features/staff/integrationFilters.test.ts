import {
  DEFAULT_FILTERS,
  filtersFromSearchParams,
  filtersToSearchParams,
  hasAnyFilter,
  integrationsQuery,
  sortBy,
} from './integrationFilters';

const read = (search: string) => filtersFromSearchParams(new URLSearchParams(search));

describe('the address holds the overview filters', () => {
  test('an empty address is the default view: everyone, by name', () => {
    expect(read('')).toEqual(DEFAULT_FILTERS);
    expect(filtersToSearchParams(DEFAULT_FILTERS).toString()).toBe('');
  });

  test('problems, search and sort come back as they were written', () => {
    const filters = read('problem=legacy_hmac,rotation_overdue&q=acme&sort=tokensLast24h&order=desc');
    expect(filters).toEqual({
      problems: ['rotation_overdue', 'legacy_hmac'],
      q: 'acme',
      sort: 'tokensLast24h',
      order: 'desc',
    });
    expect(read(filtersToSearchParams(filters).toString())).toEqual(filters);
  });

  test('unknown problems, sorts and orders are dropped, not sent to the API', () => {
    expect(read('problem=legacy_hmac,drop_tables,&sort=evil&order=sideways')).toEqual({
      ...DEFAULT_FILTERS,
      problems: ['legacy_hmac'],
    });
  });

  test('a search longer than the API allows is cut to 100 characters', () => {
    expect(read(`q=${'x'.repeat(150)}`).q).toHaveLength(100);
  });

  test('a search of spaces is no search', () => {
    expect(filtersToSearchParams({ ...DEFAULT_FILTERS, q: '   ' }).toString()).toBe('');
    expect(hasAnyFilter({ ...DEFAULT_FILTERS, q: '   ' })).toBe(false);
  });
});

describe('the filters become the API query', () => {
  test('nothing chosen asks for everything, sorted by name', () => {
    expect(integrationsQuery(DEFAULT_FILTERS)).toEqual({
      problems: undefined,
      q: undefined,
      sort: 'name',
      order: 'asc',
    });
  });

  test('problems and a trimmed search are passed on', () => {
    expect(
      integrationsQuery({ problems: ['no_secret', 'platform_off'], q: ' acme ', sort: 'problems', order: 'desc' }),
    ).toEqual({ problems: ['no_secret', 'platform_off'], q: 'acme', sort: 'problems', order: 'desc' });
  });
});

describe('clicking a header sorts', () => {
  test('a new column sorts in its natural first order', () => {
    expect(sortBy(DEFAULT_FILTERS, 'tokensLast24h')).toMatchObject({ sort: 'tokensLast24h', order: 'desc' });
    expect(sortBy(DEFAULT_FILTERS, 'rotationDueAt')).toMatchObject({ sort: 'rotationDueAt', order: 'asc' });
  });

  test('the same column again reverses the order, keeping the other filters', () => {
    const filters = { ...DEFAULT_FILTERS, problems: ['legacy_hmac' as const], q: 'acme' };
    expect(sortBy(filters, 'name')).toEqual({ ...filters, order: 'desc' });
    expect(sortBy(sortBy(filters, 'name'), 'name')).toEqual(filters);
  });
});
