import { type FormEvent, useRef, useState } from 'react';
import { Alert, Button, Code, List, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconCircleCheck } from '@tabler/icons-react';
import { apiErrorsForForm } from '../../../forms/apiErrors';
import { parseAppId } from '@messenger-vault/intercom/browser';
import { REGION_NAMES } from '../regions';
import { useSetAppId } from '../hooks';
import { SETUP_STEPS } from '../setupSteps';
import { HelpCard } from './HelpCard';
import { StepFooter, StepFrame, type StepProps } from './StepFrame';
import { EditLock, useTenantReadOnly } from '../../tenants/editLock';
import { IntercomConnectionCard } from '../IntercomConnectionCard';

const STEP = SETUP_STEPS[0]!;

/** Step 1: paste the APP_ID or any Intercom address; the id we'd save shows as you type. */
export function AppIdStep({ tenantId, setup, headingRef, onNext, previousPath }: StepProps) {
  const [value, setValue] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const [serverMessage, setServerMessage] = useState<string | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const save = useSetAppId(tenantId);
  const readOnly = useTenantReadOnly();
  const reading = value.trim() ? parseAppId(value) : null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (!parseAppId(value).ok) {
      inputRef.current?.focus();
      return;
    }
    save.mutate(value.trim(), {
      onSuccess: (saved) => {
        notifications.show({ color: 'green', message: `APP_ID ${saved.appId} saved.` });
        onNext();
      },
      onError: (error) => {
        // The API's message wins over ours: it is the one that decided.
        const { fieldErrors, formMessages } = apiErrorsForForm(error, ['appId']);
        setServerMessage(fieldErrors.appId ?? formMessages.join(' '));
        inputRef.current?.focus();
      },
    });
  };

  const clientError = submitted && reading && !reading.ok ? reading.message : null;
  const emptyError = submitted && !reading ? 'Paste your APP_ID or the address of an Intercom page.' : null;

  return (
    <StepFrame step={STEP} headingRef={headingRef} aside={<WhereToFindIt />}>
      <Stack gap="lg">
        <form onSubmit={submit} noValidate>
          <Stack>
            {setup.appId && (
              <Alert color="green" icon={<IconCircleCheck aria-hidden />} title="APP_ID saved">
                <Text size="sm">
                  This tenant uses <Code>{setup.appId}</Code> in the {REGION_NAMES[setup.region]} region (Messenger{' '}
                  <Code>api_base</Code> {setup.apiBase}). Paste another one below to change it.
                </Text>
              </Alert>
            )}
            <EditLock>
              <TextInput
                ref={inputRef}
                label="APP_ID or Intercom address"
                description="The APP_ID looks like abc12345. An address from your Intercom workspace works too; it also tells us the region."
                placeholder="https://app.intercom.com/a/inbox/abc12345/inbox"
                autoComplete="off"
                spellCheck={false}
                withAsterisk
                value={value}
                onChange={(event) => {
                  setValue(event.currentTarget.value);
                  setServerMessage(null);
                }}
                error={serverMessage ?? clientError ?? emptyError}
              />
              <LiveReading reading={reading} showProblem={!submitted && !serverMessage} />
            </EditLock>
            <StepFooter previousPath={previousPath}>
              {setup.appId && (
                <Button variant="default" onClick={onNext}>
                  Keep {setup.appId} and continue
                </Button>
              )}
              <Button type="submit" loading={save.isPending} disabled={readOnly}>
                Save and continue
              </Button>
            </StepFooter>
          </Stack>
        </form>
        <IntercomConnectionCard tenantId={tenantId} />
      </Stack>
    </StepFrame>
  );
}

/** What we read from the field so far; announced politely as it changes. */
function LiveReading({
  reading,
  showProblem,
}: {
  reading: ReturnType<typeof parseAppId> | null;
  showProblem: boolean;
}) {
  let content = null;
  if (reading?.ok) {
    content = (
      <Text size="sm" data-testid="extracted-app-id">
        <IconCircleCheck size={16} color="var(--mantine-color-green-7)" aria-hidden style={{ verticalAlign: -3 }} />{' '}
        APP_ID <Code fw={700}>{reading.appId}</Code>,{' '}
        {reading.regionFrom === 'url'
          ? `${REGION_NAMES[reading.region]} region (from the address).`
          : 'region not known from a bare id, so United States is assumed. If your workspace is in Europe or Australia, paste an address from it instead.'}
      </Text>
    );
  } else if (reading && showProblem) {
    content = (
      <Text size="sm" c="dimmed">
        <IconAlertTriangle size={16} aria-hidden style={{ verticalAlign: -3 }} /> Not an APP_ID yet: {reading.message}
      </Text>
    );
  }
  return (
    <div aria-live="polite" aria-atomic>
      {content}
    </div>
  );
}

function WhereToFindIt() {
  return (
    <HelpCard title="Where to find your APP_ID">
      <List type="ordered" size="sm" spacing="xs">
        <List.Item>
          <Text size="sm" span fw={600}>
            In the address bar.
          </Text>{' '}
          Open any page of your Intercom workspace. The APP_ID is the short code after <Code>/a/inbox/</Code> or{' '}
          <Code>/a/apps/</Code>: in <Code>app.intercom.com/a/inbox/xyz123/inbox</Code> it is <Code>xyz123</Code>.
        </List.Item>
        <List.Item>
          <Text size="sm" span fw={600}>
            In Intercom’s settings.
          </Text>{' '}
          Go to Settings &gt; Installation &gt; Web; the installation code shows it as <Code>app_id</Code>.
        </List.Item>
      </List>
      <Text size="sm" c="dimmed">
        Workspaces hosted in Europe or Australia live on app.eu.intercom.com or app.au.intercom.com. Pasting an address
        from there sets the right region for the Messenger.
      </Text>
    </HelpCard>
  );
}
