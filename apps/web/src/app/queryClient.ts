import { QueryClient } from '@tanstack/react-query';
import { isApiRequestError } from '../api/client';

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: shouldRetry, staleTime: 30 * 1000 },
      mutations: { retry: false },
    },
  });
}

/** Asking again cannot change a 4xx answer; a dropped connection or a 5xx may pass. */
function shouldRetry(failureCount: number, error: Error): boolean {
  if (isApiRequestError(error) && error.status >= 400 && error.status < 500) return false;
  return failureCount < 2;
}
