import type { Tenant, TenantMember } from '@messenger-vault/contracts';
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Modal,
  Stack,
  Switch,
  Table,
  Text,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { Link } from 'react-router';
import { ACCOUNT_SECURITY_PATH } from '../../app/paths';
import { DateTime } from '../../components/DateTime';
import { ErrorState, LoadingState } from '../../components/PageStates';
import { ScrollTable } from '../../components/ScrollTable';
import { errorMessage } from '../../forms/apiErrors';
import { useSignedInUser } from '../auth/hooks';
import { useTenantReadOnly } from './editLock';
import { useResetMemberMfa, useSetMfaPolicy, useTenantMembers } from './hooks';

/** The tenant's admins, who uses two-factor sign-in, and the switch that requires it of all of them. */
export function MembersCard({ tenant }: { tenant: Tenant }) {
  const members = useTenantMembers(tenant.id);
  return (
    <Card component="section" aria-labelledby="members-heading" withBorder padding="lg" radius="md">
      <Stack gap="md">
        <Title order={2} size="h3" id="members-heading">
          Admins and two-factor sign-in
        </Title>
        {members.isPending && <LoadingState label="Loading the admins…" />}
        {members.isError && (
          <ErrorState title="Couldn't load the admins" error={members.error} onRetry={() => members.refetch()} />
        )}
        {members.isSuccess && (
          <>
            <RequireMfaSwitch tenant={tenant} members={members.data} />
            {members.data.length === 0 ? (
              <Text size="sm" c="dimmed">
                No admins yet. Invite one below; they can then connect Intercom for this tenant.
              </Text>
            ) : (
              <MembersTable tenantId={tenant.id} members={members.data} />
            )}
          </>
        )}
      </Stack>
    </Card>
  );
}

function RequireMfaSwitch({ tenant, members }: { tenant: Tenant; members: TenantMember[] }) {
  const user = useSignedInUser();
  const readOnly = useTenantReadOnly();
  const policy = useSetMfaPolicy(tenant.id);
  const without = members.filter((m) => !m.mfaEnabled).length;
  // The API refuses to turn it on for someone without a second factor, so it can't lock them out.
  const mustEnrolFirst = !tenant.requireMfa && !user.mfaEnabled;
  return (
    <Stack gap="xs">
      <Switch
        label="Require two-factor sign-in for this tenant's admins"
        description={
          without > 0
            ? `${without} of ${members.length} admins don't use it yet; while it is required they can't open this tenant until they turn it on.`
            : 'Every admin of this tenant already uses it.'
        }
        checked={tenant.requireMfa}
        disabled={readOnly || mustEnrolFirst || policy.isPending}
        onChange={(event) =>
          policy.mutate(event.currentTarget.checked, {
            onSuccess: (t) =>
              notifications.show({
                color: 'green',
                message: t.requireMfa
                  ? 'Two-factor sign-in is now required of every admin.'
                  : 'Two-factor sign-in is no longer required.',
              }),
          })
        }
      />
      {mustEnrolFirst && (
        <Text size="sm" c="dimmed">
          To require it of others, first{' '}
          <Anchor component={Link} to={ACCOUNT_SECURITY_PATH}>
            turn on two-factor sign-in for your own account
          </Anchor>
          .
        </Text>
      )}
      {policy.error && (
        <Alert color="red" title="Couldn't change the requirement">
          {errorMessage(policy.error)}
        </Alert>
      )}
    </Stack>
  );
}

function MembersTable({ tenantId, members }: { tenantId: string; members: TenantMember[] }) {
  const user = useSignedInUser();
  const readOnly = useTenantReadOnly();
  const [resetting, setResetting] = useState<TenantMember | null>(null);
  const [opened, modal] = useDisclosure(false);
  return (
    <>
      <ScrollTable minWidth={520} label="Admins">
        <Table verticalSpacing="sm" aria-labelledby="members-heading">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Email</Table.Th>
              <Table.Th scope="col">Two-factor</Table.Th>
              <Table.Th scope="col">Joined</Table.Th>
              {user.isStaff && (
                <Table.Th scope="col">
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              )}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {members.map((member) => (
              <Table.Tr key={member.userId}>
                <Table.Td fw={500}>{member.email}</Table.Td>
                <Table.Td>
                  {member.mfaEnabled ? (
                    <Badge color="green" variant="light" autoContrast>
                      On
                    </Badge>
                  ) : (
                    <Badge color="gray" variant="light" autoContrast>
                      Off
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>
                  <DateTime value={member.joinedAt} withTime={false} />
                </Table.Td>
                {user.isStaff && (
                  <Table.Td ta="right">
                    {member.mfaEnabled && (
                      <Button
                        size="xs"
                        variant="default"
                        color="red"
                        aria-label={`Reset two-factor sign-in of ${member.email}`}
                        disabled={readOnly}
                        onClick={() => {
                          setResetting(member);
                          modal.open();
                        }}
                      >
                        Reset two-factor
                      </Button>
                    )}
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollTable>
      <ResetMfaModal tenantId={tenantId} member={resetting} opened={opened} onClose={modal.close} />
    </>
  );
}

function ResetMfaModal({
  tenantId,
  member,
  opened,
  onClose,
}: {
  tenantId: string;
  member: TenantMember | null;
  opened: boolean;
  onClose: () => void;
}) {
  const reset = useResetMemberMfa(tenantId);
  const close = () => {
    reset.reset();
    onClose();
  };
  const confirm = () => {
    if (!member) return;
    reset.mutate(member.userId, {
      onSuccess: () => {
        notifications.show({ color: 'green', message: `Two-factor sign-in of ${member.email} was reset.` });
        close();
      },
    });
  };
  return (
    <Modal opened={opened} onClose={close} title="Reset two-factor sign-in?">
      <Stack>
        <Text size="sm">
          For an admin who lost their device: {member?.email ?? 'the admin'}'s authenticator and recovery codes stop
          working, and every session they have ends. Confirm who is asking before you do this; it is recorded in the
          audit log.
        </Text>
        {reset.error && (
          <Alert color="red" title="Couldn't reset it">
            {errorMessage(reset.error)}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            Cancel
          </Button>
          <Button color="red" loading={reset.isPending} onClick={confirm}>
            Reset two-factor
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
