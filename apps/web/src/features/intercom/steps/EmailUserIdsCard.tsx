import { Alert, Card, Stack, Switch, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { errorMessage } from '../../../forms/apiErrors';
import { useUpdateSettings } from '../hooks';
import { useTenantReadOnly } from '../../tenants/editLock';

/**
 * Step 5 (issue 15 item 8): workspaces that already identify users by email may opt in to
 * email-shaped user ids. Off by default, warned, and audited when switched.
 */
export function EmailUserIdsCard({ tenantId, allowed }: { tenantId: string; allowed: boolean }) {
  const update = useUpdateSettings(tenantId);
  const readOnly = useTenantReadOnly();
  const toggle = (next: boolean) =>
    update.mutate(
      { allowEmailUserIds: next },
      {
        onSuccess: () =>
          notifications.show({
            color: next ? 'orange' : 'green',
            message: next ? 'User ids that are email addresses are now accepted.' : 'Email user ids are refused again.',
          }),
        onError: (e) =>
          notifications.show({ color: 'red', title: "Couldn't change the setting", message: errorMessage(e) }),
      },
    );
  return (
    <Card withBorder padding="md" radius="md" component="section" aria-labelledby="email-user-ids-heading">
      <Stack gap="sm">
        <Title order={3} size="h4" id="email-user-ids-heading">
          Users identified by email
        </Title>
        <Text size="sm">
          Token requests whose user_id looks like an email address are refused, because Intercom matches users by
          user_id. Turn this on only if your Intercom workspace already identifies users by their email.
        </Text>
        <Alert color="orange" p="xs" title="Why this is discouraged">
          <Text size="sm">
            Emails change: when a user changes theirs, Intercom sees a new person and their conversation history stays
            with the old address. Anyone who later gets that address inherits it. The user_id is also personal data
            shown in the Messenger and in Intercom. Prefer your app’s own stable id and send the address as email.
          </Text>
        </Alert>
        <Switch
          label="Accept email addresses as user_id"
          description="Switching it is recorded in the audit trail."
          checked={allowed}
          color="orange"
          disabled={update.isPending || readOnly}
          onChange={(e) => toggle(e.currentTarget.checked)}
        />
      </Stack>
    </Card>
  );
}
