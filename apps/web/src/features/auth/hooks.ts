import type { CurrentUser } from '@messenger-vault/contracts';
import { type QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  acceptInvitation,
  disableTotp,
  enableTotp,
  getCurrentUser,
  isMfaRequired,
  login,
  logout,
  logoutEverywhere,
  setupTotp,
  verifyMfa,
} from '../../api/auth';
import { isApiRequestError } from '../../api/client';
import { verifyWithPasskey } from '../../api/passkeys';

export const authKeys = {
  all: ['auth'] as const,
  currentUser: () => [...authKeys.all, 'current-user'] as const,
};

/** The session check, shared by the hook and app/prefetch.ts (which asks for it at start). */
export const currentUserQuery = {
  queryKey: authKeys.currentUser(),
  queryFn: async ({ signal }: { signal: AbortSignal }): Promise<CurrentUser | null> => {
    try {
      return await getCurrentUser(signal);
    } catch (error) {
      if (isApiRequestError(error, 401)) return null;
      throw error;
    }
  },
  staleTime: 5 * 60 * 1000,
};

/** The signed-in user, or `null` when nobody is signed in. */
export function useCurrentUser() {
  return useQuery(currentUserQuery);
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
    onSuccess: (answer) => {
      if (!isMfaRequired(answer)) startSession(queryClient, answer);
    },
  });
}

/** The passkey alternative to the code step (decision 0052). */
export function useVerifyWithPasskey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: verifyWithPasskey,
    onSuccess: (user) => startSession(queryClient, user),
  });
}

/** The code step of a sign-in that answered `{mfaRequired}`. */
export function useVerifyMfa() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: verifyMfa,
    onSuccess: (user) => startSession(queryClient, user),
  });
}

export function useSetupTotp() {
  return useMutation({ mutationFn: setupTotp });
}

/** On success the current user is fetched again: `mfaEnabled` changed, other sessions ended. */
export function useEnableTotp() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: enableTotp,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: authKeys.currentUser() }),
  });
}

export function useDisableTotp() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: disableTotp,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: authKeys.currentUser() }),
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
