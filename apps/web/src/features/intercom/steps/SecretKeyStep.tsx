import type { Platform } from '@messenger-vault/contracts';
import { Alert, Anchor, Button, Checkbox, Code, Group, List, PasswordInput, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconKey } from '@tabler/icons-react';
import { DateTime } from '../../../components/DateTime';
import { apiErrorsForForm } from '../../../forms/apiErrors';
import { focusFirstError } from '../../../forms/focusFirstError';
import { SECRET_MAX_LENGTH, SECRET_MIN_LENGTH, secretKeyError, secretPlatformsError } from '../../../forms/setupRules';
import { SecretVersionsTable } from '../../vault/SecretVersionsTable';
import { IntercomSecretsTable } from '../IntercomSecretsTable';
import { useSaveSecret } from '../hooks';
import { PLATFORMS, PLATFORM_NAMES } from '../platforms';
import { intercomSettingsUrl } from '../intercomLinks';
import { SETUP_STEPS } from '../setupSteps';
import { HelpCard } from './HelpCard';
import { StepFooter, StepFrame, type StepProps } from './StepFrame';
import { EditLock, useTenantReadOnly } from '../../tenants/editLock';

const STEP = SETUP_STEPS[1]!;
const FIELDS = ['secret', 'platforms'] as const;

/** Step 2: the Messenger API secret key goes in once and never comes back out. */
export function SecretKeyStep({ tenantId, setup, headingRef, onNext, previousPath }: StepProps) {
  const save = useSaveSecret(tenantId);
  const readOnly = useTenantReadOnly();
  const form = useForm({
    name: 'secret-key',
    mode: 'uncontrolled',
    initialValues: { secret: '', platforms: [...PLATFORMS] as Platform[] },
    validate: { secret: secretKeyError, platforms: secretPlatformsError },
  });

  const handleSubmit = form.onSubmit(
    ({ secret, platforms }) =>
      save.mutate(
        { secret: secret.trim(), platforms },
        {
          onSuccess: (saved) => {
            // The key leaves the page as soon as it is stored: nothing keeps a copy.
            form.reset();
            notifications.show({
              color: 'green',
              message: `Key saved as version ${saved.version} (ends in ${saved.last4}).`,
            });
          },
          onError: (error) => {
            const { fieldErrors } = apiErrorsForForm(error, FIELDS);
            form.setErrors(fieldErrors);
            focusFirstError(form, fieldErrors);
          },
        },
      ),
    (errors) => focusFirstError(form, errors),
  );

  const formMessages = save.error ? apiErrorsForForm(save.error, FIELDS).formMessages : [];
  const current = setup.secret;

  return (
    <StepFrame
      step={STEP}
      headingRef={headingRef}
      aside={<KeepItSecret securityUrl={intercomSettingsUrl(setup.appId, setup.region, 'security')} />}
      below={
        <Stack gap="xl">
          <SecretVersionsTable tenantId={tenantId} versions={setup.secrets} />
          <IntercomSecretsTable tenantId={tenantId} versions={setup.secrets} />
        </Stack>
      }
    >
      <Stack gap="lg">
        {current && (
          <Alert color="green" icon={<IconKey aria-hidden />} title={`Signing with version ${current.version}`}>
            <Text size="sm">
              Fingerprint <Code>{current.fingerprint}</Code>, ends in <Code>{current.last4}</Code>, saved{' '}
              <DateTime value={current.createdAt} />. Rotate it by{' '}
              <DateTime value={current.rotationDueAt} withTime={false} />.
            </Text>
          </Alert>
        )}
        <form onSubmit={handleSubmit} noValidate>
          <Stack>
            <EditLock>
              <PasswordInput
                label={current ? 'New secret key' : 'Messenger API secret key'}
                description={`From Intercom's Messenger Security settings; ${SECRET_MIN_LENGTH} to ${SECRET_MAX_LENGTH} characters. It is encrypted as soon as it arrives and never shown again.`}
                autoComplete="off"
                spellCheck={false}
                withAsterisk
                visibilityToggleFocusable
                key={form.key('secret')}
                {...form.getInputProps('secret')}
              />
              <Checkbox.Group
                label="Platforms this key serves"
                description="Intercom may give each platform its own key. Tick the platforms this one is for."
                key={form.key('platforms')}
                {...form.getInputProps('platforms')}
              >
                <Group mt="xs">
                  {PLATFORMS.map((platform) => (
                    <Checkbox key={platform} value={platform} label={PLATFORM_NAMES[platform]} />
                  ))}
                </Group>
              </Checkbox.Group>
            </EditLock>
            {formMessages.length > 0 && (
              <Alert color="red" title="Couldn't save the key">
                {formMessages.join(' ')}
              </Alert>
            )}
            <StepFooter previousPath={previousPath}>
              {current && (
                <Button variant="default" onClick={onNext}>
                  Continue
                </Button>
              )}
              <Button type="submit" variant={current ? 'light' : 'filled'} loading={save.isPending} disabled={readOnly}>
                {current ? 'Save as a new version' : 'Save key'}
              </Button>
            </StepFooter>
          </Stack>
        </form>
      </Stack>
    </StepFrame>
  );
}

function KeepItSecret({ securityUrl }: { securityUrl: string | null }) {
  return (
    <Stack>
      <Alert color="orange" icon={<IconAlertTriangle aria-hidden />} title="Servers only">
        <Text size="sm">
          Never put this key in a web page, a mobile app or a public repository. Anyone who has it can sign in to your
          Messenger as any of your users. Your apps get short-lived tokens from Messenger Vault instead.
        </Text>
      </Alert>
      <HelpCard title="If the key has leaked, rotate it now">
        <List type="ordered" size="sm" spacing="xs">
          <List.Item>
            In Intercom, create a new Messenger API secret key{' '}
            {securityUrl ? (
              <Anchor href={securityUrl} target="_blank" rel="noopener noreferrer" inherit>
                on the Messenger Security page
              </Anchor>
            ) : (
              '(Settings > Security > Messenger)'
            )}
            .
          </List.Item>
          <List.Item>Save it here as a new version. New tokens are signed with it straight away.</List.Item>
          <List.Item>Retire the old version below once it no longer signs, then delete it in Intercom.</List.Item>
        </List>
      </HelpCard>
    </Stack>
  );
}
