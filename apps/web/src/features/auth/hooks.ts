import type { CurrentUser } from '@messenger-vault/contracts';
import { type QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { acceptInvitation, getCurrentUser, login, logout, logoutEverywhere } from '../../api/auth';
import { isApiRequestError } from '../../api/client';

export const authKeys = {
  all: ['auth'] as const,
  currentUser: () => [...authKeys.all, 'current-user'] as const,
};

/** The signed-in user, or `null` when nobody is signed in. */
export function useCurrentUser() {
  return useQuery({
    queryKey: authKeys.currentUser(),
    queryFn: async ({ signal }): Promise<CurrentUser | null> => {
      try {
        return await getCurrentUser(signal);
      } catch (error) {
        if (isApiRequestError(error, 401)) return null;
        throw error;
      }
    },
    staleTime: 5 * 60 * 1000,
  });
}

/** The signed-in user, for screens behind `RequireAuth` (which guarantees there is one). */
export function useSignedInUser(): CurrentUser {
  const { data } = useCurrentUser();
  if (!data) throw new Error('useSignedInUser is used outside RequireAuth.');
  return data;
}

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: login,
    onSuccess: (user) => startSession(queryClient, user),
  });
}

export function useAcceptInvitation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: acceptInvitation,
    onSuccess: (user) => startSession(queryClient, user),
  });
}

/** Signs out. The caller then reloads into the sign-in page, which drops every cached answer. */
export function useLogout() {
  return useMutation({ mutationFn: logout });
}

/** Ends every session of the signed-in user, this one included; the caller then reloads into sign-in. */
export function useLogoutEverywhere() {
  return useMutation({ mutationFn: logoutEverywhere });
}

/** Nothing cached for whoever was signed in before may leak into the new session. */
function startSession(queryClient: QueryClient, user: CurrentUser): void {
  queryClient.removeQueries();
  queryClient.setQueryData(authKeys.currentUser(), user);
}
