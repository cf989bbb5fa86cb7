import type { IntercomSetup, Platform, TestTokenResult } from '@messenger-vault/contracts';
import { Alert, Button, Card, Group, SegmentedControl, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconBug } from '@tabler/icons-react';
import { CopyableCode } from '../../components/CopyableCode';
import { DateTime } from '../../components/DateTime';
import { apiErrorsForForm } from '../../forms/apiErrors';
import { focusFirstError } from '../../forms/focusFirstError';
import { testUserIdError } from '../../forms/setupRules';
import { PLATFORMS, PLATFORM_NAMES } from './platforms';
import { useIssueTestToken } from './hooks';
import { EditLock } from '../tenants/editLock';

const FIELDS = ['user_id', 'platform'] as const;

/** Issues a token for a test user in the tenant's identity mode; it isn't counted as traffic. */
export function TestTokenCard({
  tenantId,
  setup,
  onDebug,
}: {
  tenantId: string;
  setup: IntercomSetup;
  onDebug: (token: string) => void;
}) {
  const issue = useIssueTestToken(tenantId);
  const form = useForm({
    name: 'test-token',
    mode: 'uncontrolled',
    initialValues: { user_id: '', platform: 'web' as Platform },
    validate: { user_id: testUserIdError },
  });

  const handleSubmit = form.onSubmit(
    (values) =>
      issue.mutate(values, {
        onError: (error) => {
          const { fieldErrors } = apiErrorsForForm(error, FIELDS);
          form.setErrors(fieldErrors);
          focusFirstError(form, fieldErrors);
        },
      }),
    (errors) => focusFirstError(form, errors),
  );
  const formMessages = issue.error ? apiErrorsForForm(issue.error, FIELDS).formMessages : [];

  return (
    <Card withBorder padding="lg" radius="md" component="section" aria-labelledby="test-token-heading">
      <Stack>
        <Title order={3} size="h4" id="test-token-heading">
          Issue a test token
        </Title>
        <Text size="sm" c="dimmed">
          Identity verification is set to {setup.identityMode === 'hmac' ? 'legacy HMAC' : 'JWT'}, so this gives{' '}
          {setup.identityMode === 'hmac' ? 'a user_hash' : 'a signed JWT'}.
        </Text>
        <form onSubmit={handleSubmit} noValidate>
          <EditLock>
            <Stack>
              <TextInput
                label="User id"
                description="Your app's own id for a user, like 42. Never an email address."
                autoComplete="off"
                withAsterisk
                key={form.key('user_id')}
                {...form.getInputProps('user_id')}
              />
              <Stack gap={4}>
                <Text size="sm" fw={500} id="test-token-platform">
                  Platform
                </Text>
                <SegmentedControl
                  aria-labelledby="test-token-platform"
                  data={PLATFORMS.map((platform) => ({ value: platform, label: PLATFORM_NAMES[platform] }))}
                  key={form.key('platform')}
                  {...form.getInputProps('platform')}
                />
              </Stack>
              {formMessages.length > 0 && (
                <Alert color="red" title="Couldn't issue a token">
                  {formMessages.join(' ')}
                </Alert>
              )}
              <Group>
                <Button type="submit" loading={issue.isPending}>
                  Issue test token
                </Button>
              </Group>
            </Stack>
          </EditLock>
        </form>
        {issue.data && <IssuedToken result={issue.data} onDebug={onDebug} />}
      </Stack>
    </Card>
  );
}

function IssuedToken({ result, onDebug }: { result: TestTokenResult; onDebug: (token: string) => void }) {
  if (result.mode === 'hmac' || !result.token) {
    return (
      <Stack gap="xs" role="status">
        <Text size="sm">
          user_hash for APP_ID {result.appId}, signed with key version {result.keyVersion}:
        </Text>
        <CopyableCode code={result.userHash ?? ''} label="user_hash" />
      </Stack>
    );
  }
  const { token } = result;
  return (
    <Stack gap="xs" role="status">
      <Text size="sm">
        JWT for APP_ID {result.appId}, signed with key version {result.keyVersion}
        {result.expiresAt && (
          <>
            , expires <DateTime value={result.expiresAt} />
          </>
        )}
        :
      </Text>
      <CopyableCode code={token} label="test token" wrap />
      <Group>
        <Button variant="light" leftSection={<IconBug size={16} aria-hidden />} onClick={() => onDebug(token)}>
          Check it in the debugger
        </Button>
      </Group>
    </Stack>
  );
}
