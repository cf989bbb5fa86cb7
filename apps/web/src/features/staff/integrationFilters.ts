import type { ProblemCode } from '@messenger-vault/contracts';
import type { IntegrationSort, IntegrationsQuery } from '../../api/staff';
import { PROBLEM_CODES } from './problems';

/**
 * The overview's filters live in the address (`?problem=legacy_hmac,no_secret&q=acme&sort=…`), so
 * "back", a reload and a shared link all show the same list. These functions are the one
 * translation between the address, the screen and the API's query.
 */
export interface IntegrationFilters {
  problems: ProblemCode[];
  q: string;
  sort: IntegrationSort;
  order: 'asc' | 'desc';
}

const SORTS: readonly IntegrationSort[] = ['name', 'rotationDueAt', 'lastTokenAt', 'tokensLast24h', 'problems'];

export const DEFAULT_FILTERS: IntegrationFilters = { problems: [], q: '', sort: 'name', order: 'asc' };

/**
 * The order a column sorts in when first clicked: names A→Z and due dates soonest first, but
 * counts and "last token" with the most (or most recent) first, which is what staff look for.
 */
const FIRST_ORDER: Readonly<Record<IntegrationSort, 'asc' | 'desc'>> = {
  name: 'asc',
  rotationDueAt: 'asc',
  lastTokenAt: 'desc',
  tokensLast24h: 'desc',
  problems: 'desc',
};

/** Reads the filters from the address; anything unknown or malformed falls back to the default. */
export function filtersFromSearchParams(params: URLSearchParams): IntegrationFilters {
  const problems = (params.get('problem') ?? '')
    .split(',')
    .filter((code): code is ProblemCode => (PROBLEM_CODES as readonly string[]).includes(code));
  const sort = params.get('sort');
  const order = params.get('order');
  return {
    problems: PROBLEM_CODES.filter((code) => problems.includes(code)),
    q: (params.get('q') ?? '').slice(0, 100),
    sort: SORTS.includes(sort as IntegrationSort) ? (sort as IntegrationSort) : DEFAULT_FILTERS.sort,
    order: order === 'asc' || order === 'desc' ? order : DEFAULT_FILTERS.order,
  };
}

/** The address's query for these filters; defaults are left out to keep links short. */
export function filtersToSearchParams(filters: IntegrationFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.problems.length > 0) params.set('problem', filters.problems.join(','));
  const q = filters.q.trim();
  if (q) params.set('q', q);
  if (filters.sort !== DEFAULT_FILTERS.sort || filters.order !== DEFAULT_FILTERS.order) {
    params.set('sort', filters.sort);
    params.set('order', filters.order);
  }
  return params;
}

/** What the API is asked for these filters. */
export function integrationsQuery(filters: IntegrationFilters): IntegrationsQuery {
  const q = filters.q.trim();
  return {
    problems: filters.problems.length > 0 ? filters.problems : undefined,
    q: q || undefined,
    sort: filters.sort,
    order: filters.order,
  };
}

/** Clicking a column's header: sorts by it, or reverses the order when it already sorts. */
export function sortBy(filters: IntegrationFilters, column: IntegrationSort): IntegrationFilters {
  if (filters.sort === column) return { ...filters, order: filters.order === 'asc' ? 'desc' : 'asc' };
  return { ...filters, sort: column, order: FIRST_ORDER[column] };
}

export function hasAnyFilter(filters: IntegrationFilters): boolean {
  return filters.problems.length > 0 || filters.q.trim() !== '';
}
