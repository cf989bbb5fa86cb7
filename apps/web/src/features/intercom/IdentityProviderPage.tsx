import type { IdentityProvider } from '@messenger-vault/contracts';
import { Alert, Button, Card, Code, Group, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDocumentTitle } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useParams } from 'react-router';
import { DateTime } from '../../components/DateTime';
import { ErrorState, LoadingState } from '../../components/PageStates';
import { apiErrorsForForm } from '../../forms/apiErrors';
import { focusFirstError } from '../../forms/focusFirstError';
import {
  allowedOriginsError,
  audienceError,
  claimError,
  issuerError,
  jwksUrlError,
  parseOrigins,
} from '../../forms/identityProviderRules';
import { useIdentityProvider, usePutIdentityProvider } from './hooks';
import { EditLock } from '../tenants/editLock';

const FIELDS = ['issuer', 'jwksUrl', 'audience', 'userIdClaim', 'emailClaim', 'allowedOrigins'] as const;

/**
 * `/tenants/:tenantId/identity-provider`: lets browsers and apps exchange the user's ID token from
 * the tenant's own sign-in provider for a Messenger token, with no backend of the tenant's in between.
 */
export function IdentityProviderPage() {
  const { tenantId = '' } = useParams();
  useDocumentTitle('Identity provider · Messenger Vault');
  const provider = useIdentityProvider(tenantId);

  return (
    <Stack gap="lg" maw={760}>
      <Stack gap={4}>
        <Title order={2}>Identity provider</Title>
        <Text c="dimmed">
          Optional. With this set, your web and mobile apps can send the user’s ID token from your sign-in provider to{' '}
          <Code>/v1/intercom/token/exchange</Code> and get a Messenger token back, without a backend of your own. The
          user id is taken from the verified ID token, never from the request.
        </Text>
      </Stack>
      {provider.isPending && <LoadingState label="Loading the identity provider…" />}
      {provider.isError && (
        <ErrorState
          title="Couldn't load the identity provider"
          error={provider.error}
          onRetry={() => provider.refetch()}
        />
      )}
      {provider.isSuccess && <IdentityProviderForm tenantId={tenantId} saved={provider.data} />}
    </Stack>
  );
}

function IdentityProviderForm({ tenantId, saved }: { tenantId: string; saved: IdentityProvider | null }) {
  const put = usePutIdentityProvider(tenantId);
  const form = useForm({
    name: 'identity-provider',
    mode: 'uncontrolled',
    initialValues: {
      issuer: saved?.issuer ?? '',
      jwksUrl: saved?.jwksUrl ?? '',
      audience: saved?.audience ?? '',
      userIdClaim: saved?.userIdClaim ?? 'sub',
      emailClaim: saved?.emailClaim ?? '',
      allowedOrigins: (saved?.allowedOrigins ?? []).join('\n'),
    },
    transformValues: (values) => ({
      issuer: values.issuer.trim(),
      jwksUrl: values.jwksUrl.trim(),
      audience: values.audience.trim(),
      userIdClaim: values.userIdClaim.trim() || 'sub',
      emailClaim: values.emailClaim.trim() || null,
      allowedOrigins: parseOrigins(values.allowedOrigins),
    }),
    validate: {
      issuer: (value) => issuerError(value.trim()),
      jwksUrl: (value) => jwksUrlError(value.trim()),
      audience: (value) => audienceError(value.trim()),
      userIdClaim: (value) => claimError(value.trim()),
      emailClaim: (value) => claimError(value.trim()),
      allowedOrigins: (value) => allowedOriginsError(parseOrigins(value)),
    },
  });

  const handleSubmit = form.onSubmit(
    (values) =>
      put.mutate(values, {
        onSuccess: () => notifications.show({ color: 'green', message: 'Identity provider saved.' }),
        onError: (error) => {
          const { fieldErrors } = apiErrorsForForm(error, FIELDS);
          form.setErrors(fieldErrors);
          focusFirstError(form, fieldErrors);
        },
      }),
    (errors) => focusFirstError(form, errors),
  );
  const formMessages = put.error ? apiErrorsForForm(put.error, FIELDS).formMessages : [];
  const current = put.data ?? saved;

  return (
    <Card withBorder padding="lg" radius="md">
      <form onSubmit={handleSubmit} noValidate>
        <EditLock>
          <Stack>
            {current ? (
              <Text size="sm" c="dimmed">
                Saved
                {current.updatedAt ? (
                  <>
                    {' '}
                    <DateTime value={current.updatedAt} />
                  </>
                ) : null}
                . Token exchange is on.
              </Text>
            ) : (
              <Alert color="gray" title="Not set up">
                The exchange endpoint refuses every request for this tenant until an identity provider is saved here.
              </Alert>
            )}
            <TextInput
              label="Issuer"
              description="The iss claim in your ID tokens, exactly as your provider writes it."
              placeholder="https://auth.example.com/"
              withAsterisk
              key={form.key('issuer')}
              {...form.getInputProps('issuer')}
            />
            <TextInput
              label="JWKS address"
              description="Where your provider publishes its public keys."
              placeholder="https://auth.example.com/.well-known/jwks.json"
              withAsterisk
              key={form.key('jwksUrl')}
              {...form.getInputProps('jwksUrl')}
            />
            <TextInput
              label="Audience"
              description="The aud claim your ID tokens carry for this app."
              placeholder="example-web-app"
              withAsterisk
              key={form.key('audience')}
              {...form.getInputProps('audience')}
            />
            <Group grow align="flex-start">
              <TextInput
                label="User id claim"
                description="Holds your app’s user id; sub when left empty."
                key={form.key('userIdClaim')}
                {...form.getInputProps('userIdClaim')}
              />
              <TextInput
                label="Email claim"
                description="Optional, like email."
                key={form.key('emailClaim')}
                {...form.getInputProps('emailClaim')}
              />
            </Group>
            <Textarea
              label="Allowed browser origins"
              description="One per line, like https://app.example.com. Browsers on other sites can't call the exchange endpoint. Leave empty for mobile apps only."
              autosize
              minRows={2}
              key={form.key('allowedOrigins')}
              {...form.getInputProps('allowedOrigins')}
            />
            {formMessages.length > 0 && (
              <Alert color="red" title="Couldn't save the identity provider">
                {formMessages.join(' ')}
              </Alert>
            )}
            <Group>
              <Button type="submit" loading={put.isPending}>
                Save identity provider
              </Button>
            </Group>
          </Stack>
        </EditLock>
      </form>
    </Card>
  );
}
