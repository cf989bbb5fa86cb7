import type { CurrentUser } from '@messenger-vault/contracts';
import { TENANTS_PATH, tenantPagePath } from '../../app/paths';

/**
 * Where a person lands after signing in when no `next` page was asked for: the admin of a single
 * tenant goes straight to that tenant's setup page; staff and everyone else get the tenant list.
 */
export function landingPath(user: CurrentUser): string {
  const [only, ...others] = user.memberships;
  if (!user.isStaff && only && others.length === 0) return tenantPagePath(only.tenantId);
  return TENANTS_PATH;
}

/** The sign-in page, remembering the page to come back to. */
export function signInPath(returnTo: { pathname: string; search: string }): string {
  const next = returnTo.pathname + returnTo.search;
  return next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`;
}

/**
 * `next` comes from the address bar, so anyone can craft it: only a path inside this app is
 * followed (never `//evil.example` or `https://…`), which keeps sign-in from being an open
 * redirect.
 */
export function safeNextPath(next: string | null): string | null {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) {
    return null;
  }
  if (next === '/login' || next.startsWith('/login?')) return null;
  return next;
}
