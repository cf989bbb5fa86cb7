import type { IdentityProvider, IntercomSetup, Platform } from '@messenger-vault/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  debugToken,
  getIdentityProvider,
  getIntercomSetup,
  issueTestToken,
  putIdentityProvider,
  retireSecret,
  saveSecret,
  setAppId,
  setPlatformSecurity,
  type SettingsChange,
  updateSettings,
} from '../../api/intercom';
import {
  connectIntercom,
  disconnectIntercom,
  getIntercomConnection,
  linkIntercomSecret,
  startIntercomOAuth,
  unlinkIntercomSecret,
} from '../../api/intercomConnection';
import { finishRotation, listRotations, type Rotation, startRotation } from '../../api/intercomRotations';

/** Query keys of a tenant's Intercom setup; every key of the feature hangs under `tenant`. */
export const intercomKeys = {
  all: ['intercom'] as const,
  tenant: (tenantId: string) => [...intercomKeys.all, tenantId] as const,
  setup: (tenantId: string) => [...intercomKeys.tenant(tenantId), 'setup'] as const,
};

/** The setup as the wizard and the overview show it: steps, settings, keys, platforms, problems. */
export function useIntercomSetup(tenantId: string) {
  return useQuery<IntercomSetup>({
    queryKey: intercomKeys.setup(tenantId),
    queryFn: ({ signal }) => getIntercomSetup(tenantId, signal),
  });
}

/** Every change to the setup can change which steps are done, so each one refetches it. */
function useSetupMutation<TVariables, TResult>(
  tenantId: string,
  mutationFn: (variables: TVariables) => Promise<TResult>,
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: intercomKeys.tenant(tenantId) }),
  });
}

export function useSetAppId(tenantId: string) {
  return useSetupMutation(tenantId, (appId: string) => setAppId(tenantId, appId));
}

export function useSaveSecret(tenantId: string) {
  return useSetupMutation(tenantId, (body: { secret: string; platforms: Platform[] }) => saveSecret(tenantId, body));
}

export function useRetireSecret(tenantId: string) {
  return useSetupMutation(tenantId, (version: number) => retireSecret(tenantId, version));
}

export function useSetPlatformSecurity(tenantId: string) {
  return useSetupMutation(tenantId, ({ platform, enabled }: { platform: Platform; enabled: boolean }) =>
    setPlatformSecurity(tenantId, platform, enabled),
  );
}

export function useUpdateSettings(tenantId: string) {
  return useSetupMutation(tenantId, (change: SettingsChange) => updateSettings(tenantId, change));
}

export const identityProviderKeys = {
  detail: (tenantId: string) => [...intercomKeys.tenant(tenantId), 'identity-provider'] as const,
};

/** `null` while the tenant has no identity provider configured. */
export function useIdentityProvider(tenantId: string) {
  return useQuery({
    queryKey: identityProviderKeys.detail(tenantId),
    queryFn: ({ signal }) => getIdentityProvider(tenantId, signal),
  });
}

export function usePutIdentityProvider(tenantId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Omit<IdentityProvider, 'updatedAt'>) => putIdentityProvider(tenantId, body),
    onSuccess: (saved) => queryClient.setQueryData(identityProviderKeys.detail(tenantId), saved),
  });
}

/** Issuing a test token completes step 5 at once (the API marks it), so the setup is refetched. */
export function useIssueTestToken(tenantId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { user_id: string; platform: Platform }) => issueTestToken(tenantId, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: intercomKeys.setup(tenantId) }),
  });
}

export function useDebugToken(tenantId: string) {
  return useMutation({ mutationFn: (token: string) => debugToken(tenantId, token) });
}

export const intercomConnectionKeys = {
  detail: (tenantId: string) => [...intercomKeys.tenant(tenantId), 'connection'] as const,
};

/** The workspace the tenant's Intercom access token proved (GET /me), or `{connected: false}`. */
export function useIntercomConnection(tenantId: string) {
  return useQuery({
    queryKey: intercomConnectionKeys.detail(tenantId),
    queryFn: ({ signal }) => getIntercomConnection(tenantId, signal),
  });
}

/** Connecting may set the APP_ID (step 1), so the whole setup is refetched. */
export function useConnectIntercom(tenantId: string) {
  return useSetupMutation(tenantId, (accessToken: string) => connectIntercom(tenantId, accessToken));
}

export function useDisconnectIntercom(tenantId: string) {
  return useSetupMutation(tenantId, () => disconnectIntercom(tenantId));
}

/** Starts "Connect with Intercom"; the caller sends the browser to the answer's authorizeUrl. */
export function useStartIntercomOAuth(tenantId: string) {
  return useMutation({ mutationFn: () => startIntercomOAuth(tenantId) });
}

/** Linking changes the connection's list of Intercom secrets (their linkedVersion). */
export function useLinkIntercomSecret(tenantId: string) {
  return useSetupMutation(tenantId, ({ version, intercomSecretId }: { version: number; intercomSecretId: string }) =>
    linkIntercomSecret(tenantId, version, intercomSecretId),
  );
}

export function useUnlinkIntercomSecret(tenantId: string) {
  return useSetupMutation(tenantId, (version: number) => unlinkIntercomSecret(tenantId, version));
}

export const rotationKeys = {
  latest: (tenantId: string) => [...intercomKeys.tenant(tenantId), 'rotations', 'latest'] as const,
};

/** A run still moving: its state changes on the server, so it is read again every few seconds. */
export const isLiveRotation = (rotation: Rotation | null | undefined): boolean =>
  !!rotation && ['creating', 'overlapping', 'deleting_old'].includes(rotation.state);

/** The tenant's newest rotation (null: none yet), polled while it runs: the live timeline. */
export function useLatestRotation(tenantId: string, pollMs = 2000) {
  return useQuery({
    queryKey: rotationKeys.latest(tenantId),
    queryFn: async ({ signal }) => (await listRotations(tenantId, 1, signal))[0] ?? null,
    refetchInterval: (query) => (isLiveRotation(query.state.data) ? pollMs : false),
  });
}

/** Starting or finishing changes the run, and in the end the key versions (the setup). */
function useRotationMutation<TVariables>(tenantId: string, mutationFn: (variables: TVariables) => Promise<Rotation>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: (rotation) => {
      queryClient.setQueryData(rotationKeys.latest(tenantId), rotation);
      void queryClient.invalidateQueries({ queryKey: intercomKeys.tenant(tenantId) });
    },
  });
}

export function useStartRotation(tenantId: string) {
  return useRotationMutation(tenantId, () => startRotation(tenantId));
}

export function useFinishRotation(tenantId: string) {
  return useRotationMutation(tenantId, (rotationId: string) => finishRotation(tenantId, rotationId));
}
