import type { Invitation } from '@messenger-vault/contracts';
import { Alert, Button, Card, CopyButton, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconCheck, IconCopy } from '@tabler/icons-react';
import { DateTime } from '../../components/DateTime';
import { apiErrorsForForm } from '../../forms/apiErrors';
import { focusFirstError } from '../../forms/focusFirstError';
import { emailError } from '../../forms/rules';
import { useInviteMember } from './hooks';

const FIELDS = ['email'] as const;

/** Invites an admin to the tenant and shows the invitation link, once. */
export function InviteAdminCard({ tenantId }: { tenantId: string }) {
  const invite = useInviteMember(tenantId);
  const form = useForm({
    name: 'invite-admin',
    mode: 'uncontrolled',
    initialValues: { email: '' },
    validate: { email: emailError },
  });

  const handleSubmit = form.onSubmit(
    ({ email }) =>
      invite.mutate(
        { email: email.trim(), role: 'admin' },
        {
          onError: (error) => {
            const { fieldErrors } = apiErrorsForForm(error, FIELDS);
            form.setErrors(fieldErrors);
            focusFirstError(form, fieldErrors);
          },
        },
      ),
    (errors) => focusFirstError(form, errors),
  );

  const inviteAnother = () => {
    invite.reset();
    form.reset();
  };

  const formMessages = invite.error ? apiErrorsForForm(invite.error, FIELDS).formMessages : [];

  return (
    <Card component="section" aria-labelledby="invite-admin-heading" withBorder padding="lg" radius="md">
      <Stack gap="md">
        <Title order={2} size="h3" id="invite-admin-heading">
          Invite an admin
        </Title>
        {invite.data ? (
          <InvitationLink invitation={invite.data} email={invite.variables.email} onInviteAnother={inviteAnother} />
        ) : (
          <form onSubmit={handleSubmit} noValidate>
            <Stack>
              <Text size="sm" c="dimmed">
                The admin gets a link to choose a password (someone who already has an account signs in to accept it);
                then they can connect Intercom for this tenant.
              </Text>
              <TextInput
                label="Admin's email"
                type="email"
                autoComplete="off"
                withAsterisk
                key={form.key('email')}
                {...form.getInputProps('email')}
              />
              {formMessages.length > 0 && (
                <Alert color="red" title="Couldn't create the invitation">
                  {formMessages.join(' ')}
                </Alert>
              )}
              <Group>
                <Button type="submit" loading={invite.isPending}>
                  Create invitation
                </Button>
              </Group>
            </Stack>
          </form>
        )}
      </Stack>
    </Card>
  );
}

function InvitationLink({
  invitation,
  email,
  onInviteAnother,
}: {
  invitation: Invitation;
  email: string;
  onInviteAnother: () => void;
}) {
  return (
    <Stack>
      <Alert color="green" role="status" title={`Invitation created for ${email}`}>
        Copy the link and send it to them now: it is shown only this once. It expires{' '}
        <DateTime value={invitation.expiresAt} />.
      </Alert>
      <TextInput
        label="Invitation link"
        value={invitation.inviteUrl}
        readOnly
        autoFocus
        onFocus={(event) => event.currentTarget.select()}
      />
      <Group>
        <CopyButton value={invitation.inviteUrl}>
          {({ copied, copy }) => (
            <Button
              onClick={copy}
              color={copied ? 'teal' : undefined}
              leftSection={copied ? <IconCheck size={16} aria-hidden /> : <IconCopy size={16} aria-hidden />}
            >
              {copied ? 'Copied' : 'Copy link'}
            </Button>
          )}
        </CopyButton>
        <Button variant="default" onClick={onInviteAnother}>
          Invite another admin
        </Button>
      </Group>
    </Stack>
  );
}
