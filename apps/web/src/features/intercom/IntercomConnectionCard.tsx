import { type FormEvent, useRef, useState } from 'react';
import { Alert, Badge, Button, Card, Code, Group, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconBrandIntercom, IconPlugConnected, IconPlugConnectedX } from '@tabler/icons-react';
import { isApiRequestError } from '../../api/client';
import type { IntercomConnection } from '../../api/intercomConnection';
import { ErrorState, LoadingState } from '../../components/PageStates';
import { apiErrorsForForm } from '../../forms/apiErrors';
import { EditLock, useTenantReadOnly } from '../tenants/editLock';
import { useConnectIntercom, useDisconnectIntercom, useIntercomConnection, useStartIntercomOAuth } from './hooks';
import { REGION_NAMES } from './regions';

/** What an API error on connecting means for the admin, headed by what happened. */
function connectProblemTitle(error: unknown): string {
  if (isApiRequestError(error, 409)) return 'This token is for another Intercom workspace';
  if (isApiRequestError(error, 422)) return 'Intercom did not accept this token';
  if (isApiRequestError(error, 502)) return "Intercom didn't answer";
  return "Couldn't connect";
}

/**
 * "Connect to Intercom": the admin pastes an access token; Intercom's own GET /me proves it and
 * names the workspace, which is shown as evidence (name, APP_ID, region, identity verification).
 * The token is write-only: the API never returns it.
 */
export function IntercomConnectionCard({ tenantId }: { tenantId: string }) {
  const connection = useIntercomConnection(tenantId);
  return (
    <Card component="section" aria-labelledby="intercom-connection-heading" withBorder padding="lg" radius="md">
      <Stack gap="sm">
        <Group gap="xs">
          <IconPlugConnected aria-hidden size={20} />
          <Title order={3} size="h4" id="intercom-connection-heading">
            Connect to Intercom
          </Title>
        </Group>
        {connection.isPending && <LoadingState label="Checking the Intercom connection…" />}
        {connection.isError && (
          <ErrorState
            title="Couldn't load the Intercom connection"
            error={connection.error}
            onRetry={() => connection.refetch()}
          />
        )}
        {connection.isSuccess && (
          <>
            {connection.data.connected ? (
              <ConnectedWorkspace tenantId={tenantId} connection={connection.data} />
            ) : (
              <Text size="sm">
                Not connected.{' '}
                {connection.data.oauthAvailable
                  ? 'Connect with Intercom, or paste an access token of your Intercom workspace, and'
                  : 'Paste an access token of your Intercom workspace and'}{' '}
                Intercom itself confirms which workspace it is, its region and whether identity verification is on.
                Create a token in Intercom&apos;s Developer Hub: your app, then Configure &gt; Authentication &gt;
                Access token.
              </Text>
            )}
            {connection.data.oauthAvailable && (
              <OAuthButton tenantId={tenantId} again={connection.data.connected} broken={!!connection.data.broken} />
            )}
            <TokenForm tenantId={tenantId} replacing={connection.data.connected} />
          </>
        )}
      </Stack>
    </Card>
  );
}

/** "Connect with Intercom": the API binds a state to this session, then the browser goes to Intercom. */
function OAuthButton({ tenantId, again, broken }: { tenantId: string; again: boolean; broken: boolean }) {
  const start = useStartIntercomOAuth(tenantId);
  const readOnly = useTenantReadOnly();
  return (
    <Group>
      <Button
        leftSection={<IconBrandIntercom aria-hidden size={18} />}
        variant={again && !broken ? 'default' : 'filled'}
        disabled={readOnly}
        loading={start.isPending}
        onClick={() =>
          start.mutate(undefined, {
            onSuccess: ({ authorizeUrl }) => window.location.assign(authorizeUrl),
            onError: (error) =>
              notifications.show({ color: 'red', message: apiErrorsForForm(error, []).formMessages.join(' ') }),
          })
        }
      >
        {broken ? 'Reconnect with Intercom' : again ? 'Connect again with Intercom' : 'Connect with Intercom'}
      </Button>
    </Group>
  );
}

/** Intercom refused the stored token on a later call: the admin must connect again. */
function BrokenConnection({ broken }: { broken: NonNullable<IntercomConnection['broken']> }) {
  return (
    <Alert
      color="red"
      icon={<IconPlugConnectedX aria-hidden />}
      title="Intercom no longer accepts this connection"
      role="alert"
      data-testid="intercom-connection-broken"
    >
      <Text size="sm">
        Since {new Date(broken.at).toLocaleString()} Intercom refuses the stored access token ({broken.reason}): it was
        revoked, or the Intercom app was uninstalled. Nothing can be read from or rotated in Intercom until you connect
        again below.
      </Text>
    </Alert>
  );
}

function ConnectedWorkspace({ tenantId, connection }: { tenantId: string; connection: IntercomConnection }) {
  const disconnect = useDisconnectIntercom(tenantId);
  const readOnly = useTenantReadOnly();
  return (
    <Stack gap="xs" data-testid="intercom-connection">
      {connection.broken && <BrokenConnection broken={connection.broken} />}
      <Text size="sm">
        Connected to <strong>{connection.workspaceName || 'an unnamed workspace'}</strong>, APP_ID{' '}
        <Code>{connection.appId}</Code>
        {connection.region && <> in the {REGION_NAMES[connection.region]} region</>}, as Intercom reported on{' '}
        {connection.connectedAt ? new Date(connection.connectedAt).toLocaleString() : 'connecting'}
        {connection.connectedVia === 'oauth' ? ' (Connect with Intercom)' : ''}.
      </Text>
      <Group gap="xs">
        <Text size="sm">Identity verification in Intercom:</Text>
        {connection.identityVerification ? (
          <Badge color="green" variant="light" autoContrast>
            On
          </Badge>
        ) : (
          <Badge color="orange" variant="light" autoContrast>
            Off
          </Badge>
        )}
      </Group>
      {!connection.identityVerification && (
        <Alert color="orange" icon={<IconAlertTriangle aria-hidden />} title="Identity verification is off in Intercom">
          <Text size="sm">
            Intercom says this workspace doesn&apos;t enforce identity verification yet: anyone can chat as any of your
            users. Finish steps 2 and 3, then switch it on in Intercom.
          </Text>
        </Alert>
      )}
      <Group>
        <Button
          variant="default"
          color="red"
          size="xs"
          disabled={readOnly}
          loading={disconnect.isPending}
          onClick={() =>
            disconnect.mutate(undefined, {
              onSuccess: () => notifications.show({ message: 'Disconnected: the Intercom token was forgotten.' }),
              onError: (error) =>
                notifications.show({ color: 'red', message: apiErrorsForForm(error, []).formMessages.join(' ') }),
            })
          }
        >
          Disconnect
        </Button>
      </Group>
    </Stack>
  );
}

function TokenForm({ tenantId, replacing }: { tenantId: string; replacing: boolean }) {
  const [token, setToken] = useState('');
  const [problem, setProblem] = useState<{ title: string; message: string } | null>(null);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const connect = useConnectIntercom(tenantId);
  const readOnly = useTenantReadOnly();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    if (!token.trim()) {
      setFieldError('Paste the access token from your Intercom app.');
      inputRef.current?.focus();
      return;
    }
    connect.mutate(token.trim(), {
      onSuccess: (saved) => {
        setToken('');
        notifications.show({ color: 'green', message: `Connected to ${saved.workspaceName || saved.appId}.` });
      },
      onError: (error) => {
        const { fieldErrors, formMessages } = apiErrorsForForm(error, ['accessToken']);
        if (fieldErrors.accessToken) setFieldError(fieldErrors.accessToken);
        else setProblem({ title: connectProblemTitle(error), message: formMessages.join(' ') });
        inputRef.current?.focus();
      },
    });
  };

  return (
    <form onSubmit={submit} noValidate>
      <EditLock>
        <Stack gap="xs">
          <PasswordInput
            ref={inputRef}
            label={replacing ? 'Replace the access token' : 'Intercom access token'}
            description="Write-only: sealed by the vault, never shown again."
            autoComplete="off"
            spellCheck={false}
            value={token}
            onChange={(event) => {
              setToken(event.currentTarget.value);
              setFieldError(null);
            }}
            error={fieldError}
          />
          {problem && (
            <Alert color="red" icon={<IconAlertTriangle aria-hidden />} title={problem.title} role="alert">
              <Text size="sm">{problem.message}</Text>
            </Alert>
          )}
          <Group>
            <Button type="submit" loading={connect.isPending} disabled={readOnly}>
              {replacing ? 'Replace token' : 'Connect'}
            </Button>
          </Group>
        </Stack>
      </EditLock>
    </form>
  );
}

/**
 * Step 3's evidence from Intercom itself: whether the connected workspace says identity
 * verification is on. Nothing while no token is connected (step 1 offers it).
 */
export function IntercomVerificationEvidence({ tenantId }: { tenantId: string }) {
  const connection = useIntercomConnection(tenantId);
  const data = connection.data;
  if (!data?.connected) return null;
  return (
    <Alert
      color={data.identityVerification ? 'green' : 'orange'}
      icon={data.identityVerification ? <IconPlugConnected aria-hidden /> : <IconAlertTriangle aria-hidden />}
      title={`Intercom says: identity verification is ${data.identityVerification ? 'on' : 'off'}`}
      data-testid="intercom-verification-evidence"
    >
      <Text size="sm">
        As reported by Intercom for {data.workspaceName || 'the workspace'} (APP_ID <Code>{data.appId}</Code>) when it
        was connected
        {data.connectedAt ? ` on ${new Date(data.connectedAt).toLocaleString()}` : ''}. Connect again in step 1 to
        refresh it.
        {data.broken ? ' Intercom no longer accepts the connection: reconnect in step 1.' : ''}
      </Text>
    </Alert>
  );
}
