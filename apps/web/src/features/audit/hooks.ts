import { useInfiniteQuery, useMutation } from '@tanstack/react-query';
import { type AuditFilters, listAuditEvents, verifyAuditChain } from '../../api/audit';

export const auditKeys = {
  all: ['audit'] as const,
  list: (filters: AuditFilters) => [...auditKeys.all, 'list', filters] as const,
};

/** Audit events matching the filters, newest first, a page at a time. */
export function useAuditEvents(filters: AuditFilters) {
  return useInfiniteQuery({
    queryKey: auditKeys.list(filters),
    queryFn: ({ pageParam, signal }) => listAuditEvents({ ...filters, cursor: pageParam }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.nextCursor,
  });
}

/** Runs the hash-chain check on demand; each run reads the whole trail afresh. */
export function useVerifyAuditChain() {
  return useMutation({ mutationFn: verifyAuditChain });
}
