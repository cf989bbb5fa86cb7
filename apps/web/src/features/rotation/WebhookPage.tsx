import { useState } from 'react';
import { Alert, Button, Card, Code, Group, Modal, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDisclosure, useDocumentTitle } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useParams } from 'react-router';
import type { CreatedWebhook, Webhook } from '../../api/webhook';
import { CopyableCode } from '../../components/CopyableCode';
import { DateTime } from '../../components/DateTime';
import { ErrorState, LoadingState } from '../../components/PageStates';
import { apiErrorsForForm, errorMessage } from '../../forms/apiErrors';
import { focusFirstError } from '../../forms/focusFirstError';
import { webhookUrlError } from '../../forms/webhookRules';
import { useDeleteWebhook, useSetWebhook, useWebhook } from './hooks';
import { EditLock } from '../tenants/editLock';

const FIELDS = ['url'] as const;

/** `/tenants/:tenantId/webhook`: where rotation reminders are POSTed, signed. */
export function WebhookPage() {
  const { tenantId = '' } = useParams();
  useDocumentTitle('Webhook · Messenger Vault');
  const webhook = useWebhook(tenantId);
  const [created, setCreated] = useState<CreatedWebhook | null>(null);

  return (
    <Stack gap="lg" maw={760}>
      <Stack gap={4}>
        <Title order={2}>Webhook</Title>
        <Text c="dimmed">
          Optional. Messenger Vault POSTs each rotation reminder to this address as JSON, signed so your receiver can
          tell it is genuine.
        </Text>
      </Stack>
      {webhook.isPending && <LoadingState label="Loading the webhook…" />}
      {webhook.isError && (
        <ErrorState title="Couldn't load the webhook" error={webhook.error} onRetry={() => webhook.refetch()} />
      )}
      {created && <SigningSecret created={created} onDone={() => setCreated(null)} />}
      {webhook.isSuccess && !created && (
        <WebhookForm tenantId={tenantId} current={webhook.data} onCreated={setCreated} />
      )}
      <VerifyingDeliveries />
    </Stack>
  );
}

function WebhookForm({
  tenantId,
  current,
  onCreated,
}: {
  tenantId: string;
  current: Webhook | null;
  onCreated: (created: CreatedWebhook) => void;
}) {
  const save = useSetWebhook(tenantId);
  const form = useForm({
    name: 'webhook',
    mode: 'uncontrolled',
    initialValues: { url: current?.url ?? '' },
    validate: { url: webhookUrlError },
  });
  const handleSubmit = form.onSubmit(
    ({ url }) =>
      save.mutate(url.trim(), {
        onSuccess: onCreated,
        onError: (error) => {
          const { fieldErrors } = apiErrorsForForm(error, FIELDS);
          form.setErrors(fieldErrors);
          focusFirstError(form, fieldErrors);
        },
      }),
    (errors) => focusFirstError(form, errors),
  );
  const formMessages = save.error ? apiErrorsForForm(save.error, FIELDS).formMessages : [];

  return (
    <Card withBorder padding="lg" radius="md">
      <form onSubmit={handleSubmit} noValidate>
        <EditLock>
          <Stack>
            {current ? (
              <Text size="sm">
                Reminders go to <Code>{current.url}</Code>, set <DateTime value={current.createdAt} />. Saving an
                address again makes a new signing secret.
              </Text>
            ) : (
              <Text size="sm" c="dimmed">
                No webhook yet: reminders show here in the app and go out by email when email is set up.
              </Text>
            )}
            <TextInput
              label="Receiver address"
              description="An https address your server listens on."
              placeholder="https://hooks.example.com/messenger-vault"
              withAsterisk
              key={form.key('url')}
              {...form.getInputProps('url')}
            />
            {formMessages.length > 0 && (
              <Alert color="red" title="Couldn't save the webhook">
                {formMessages.join(' ')}
              </Alert>
            )}
            <Group justify="space-between">
              <Button type="submit" loading={save.isPending}>
                {current ? 'Save and make a new secret' : 'Save webhook'}
              </Button>
              {current && <RemoveWebhookButton tenantId={tenantId} />}
            </Group>
          </Stack>
        </EditLock>
      </form>
    </Card>
  );
}

function SigningSecret({ created, onDone }: { created: CreatedWebhook; onDone: () => void }) {
  return (
    <Card withBorder padding="lg" radius="md">
      <Stack>
        <Alert color="green" title="Webhook saved" role="status">
          Reminders now go to {created.url}. Store this signing secret with your receiver now: it is shown only once.
        </Alert>
        <CopyableCode code={created.signingSecret} label="webhook signing secret" wrap />
        <Group>
          <Button variant="default" onClick={onDone}>
            Done, I’ve stored it
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}

function RemoveWebhookButton({ tenantId }: { tenantId: string }) {
  const remove = useDeleteWebhook(tenantId);
  const [opened, modal] = useDisclosure(false);
  const close = () => {
    remove.reset();
    modal.close();
  };
  return (
    <>
      <Button variant="subtle" color="red" onClick={modal.open}>
        Remove webhook
      </Button>
      <Modal opened={opened} onClose={close} title="Remove the webhook?">
        <Stack>
          <Text size="sm">Reminders not yet delivered to it are dropped. In-app and email reminders carry on.</Text>
          {remove.error && (
            <Alert color="red" title="Couldn't remove it">
              {errorMessage(remove.error)}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button
              color="red"
              loading={remove.isPending}
              onClick={() =>
                remove.mutate(undefined, {
                  onSuccess: () => {
                    notifications.show({ color: 'green', message: 'Webhook removed.' });
                    close();
                  },
                })
              }
            >
              Remove webhook
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

function VerifyingDeliveries() {
  return (
    <Card withBorder padding="md" radius="md" bg="var(--mantine-color-default-hover)" component="aside">
      <Stack gap="xs">
        <Title order={3} size="h5">
          Checking a delivery
        </Title>
        <Text size="sm">
          Each request carries <Code>Messenger-Vault-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex&gt;</Code>. Compute
          HMAC-SHA256 of <Code>&lt;t&gt;.&lt;raw body&gt;</Code> with the signing secret, compare it with{' '}
          <Code>v1</Code> in constant time, and refuse a <Code>t</Code> more than five minutes old.
        </Text>
        <Text size="sm">
          The body is JSON with <Code>id</Code>, <Code>type</Code> (such as <Code>secret.rotation_due</Code>),{' '}
          <Code>createdAt</Code> and <Code>data</Code>.
        </Text>
      </Stack>
    </Card>
  );
}
