import { Alert, Anchor, Card, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useEffect, useRef } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { isApiRequestError } from '../../api/client';
import { completeIntercomOAuth } from '../../api/intercomConnection';
import { setupPath, TENANTS_PATH } from '../../app/paths';
import { LoadingState } from '../../components/PageStates';
import { errorMessage } from '../../forms/apiErrors';
import { intercomKeys } from './hooks';

function problemTitle(error: unknown): string {
  if (isApiRequestError(error, 409)) return 'This Intercom workspace is not the tenant’s';
  if (isApiRequestError(error, 422)) return 'Intercom did not accept the connection';
  if (isApiRequestError(error, 502)) return "Intercom didn't answer";
  if (isApiRequestError(error, 400)) return 'This connection link is not valid';
  return "Couldn't connect to Intercom";
}

/**
 * Where Intercom sends the browser back (PUBLIC_URL/intercom/oauth/callback, the redirect URL
 * registered in the Intercom app). The page loads without cookies from Intercom's site; its own
 * call to the API is same-site, so the session cookie goes with it and the API can check the
 * state belongs to this very session.
 */
export function IntercomOAuthCallbackPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const code = params.get('code');
  const state = params.get('state');
  const denied = params.get('error');
  const complete = useMutation({ mutationFn: () => completeIntercomOAuth(code ?? '', state ?? '') });
  const sent = useRef(false);

  useEffect(() => {
    if (sent.current || denied || !state) return;
    sent.current = true;
    complete.mutate(undefined, {
      onSuccess: ({ tenantId, connection }) => {
        void queryClient.invalidateQueries({ queryKey: intercomKeys.tenant(tenantId) });
        notifications.show({
          color: 'green',
          message: `Connected to ${connection.workspaceName || connection.appId} with Intercom.`,
        });
        void navigate(setupPath(tenantId, 'app-id'), { replace: true });
      },
    });
  }, [complete, denied, navigate, queryClient, state]);

  return (
    <Card withBorder padding="lg" radius="md" maw={640} mx="auto" mt="xl" component="section">
      <Stack gap="sm">
        <Title order={1} size="h3">
          Connect with Intercom
        </Title>
        {denied || !state ? (
          <Alert color="orange" icon={<IconAlertTriangle aria-hidden />} title="Intercom did not connect" role="alert">
            <Text size="sm">
              {denied
                ? `Intercom answered "${params.get('error_description') ?? denied}": the connection was not approved.`
                : 'Intercom sent the browser back without a state.'}{' '}
              Nothing was saved. Start again from the Intercom connection card in step 1.
            </Text>
          </Alert>
        ) : complete.isError ? (
          <Alert color="red" icon={<IconAlertTriangle aria-hidden />} title={problemTitle(complete.error)} role="alert">
            <Text size="sm">{errorMessage(complete.error)}</Text>
          </Alert>
        ) : (
          <LoadingState label="Checking the workspace with Intercom…" />
        )}
        {(denied || !state || complete.isError) && (
          <Anchor component={Link} to={TENANTS_PATH} size="sm">
            Back to your tenants
          </Anchor>
        )}
      </Stack>
    </Card>
  );
}
