import { Alert, Badge, Button, Card, Group, List, Modal, Stack, Text, Timeline, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { IconAlertTriangle, IconCheck, IconRefresh, IconX } from '@tabler/icons-react';
import { useEffect, useRef } from 'react';
import type { Rotation, RotationState } from '../../api/intercomRotations';
import { DateTime } from '../../components/DateTime';
import { ErrorState, LoadingState } from '../../components/PageStates';
import { errorMessage } from '../../forms/apiErrors';
import { useTenantReadOnly } from '../tenants/editLock';
import {
  intercomKeys,
  isLiveRotation,
  useFinishRotation,
  useIntercomConnection,
  useLatestRotation,
  useStartRotation,
} from './hooks';
import { PLATFORM_NAMES } from './platforms';

/** The states a run passes through, in order, with what each means for the admin. */
export const ROTATION_STEPS: ReadonlyArray<{ state: Exclude<RotationState, 'failed'>; title: string; what: string }> = [
  {
    state: 'creating',
    title: 'Creating the new secret in Intercom',
    what: 'Intercom shows it once: it is sealed and stored as it arrives.',
  },
  {
    state: 'overlapping',
    title: 'Overlap: the new secret signs',
    what: 'Every new token is signed with the new secret; tokens signed before still verify with the old one.',
  },
  {
    state: 'deleting_old',
    title: 'Deleting the old secret',
    what: 'The old secret is deleted in Intercom and its version retired.',
  },
  { state: 'done', title: 'Done', what: 'Only the new secret is live.' },
];

const STATE_LABELS: Record<RotationState, { label: string; color: string }> = {
  creating: { label: 'Creating', color: 'blue' },
  overlapping: { label: 'Overlapping', color: 'blue' },
  deleting_old: { label: 'Deleting old secret', color: 'blue' },
  done: { label: 'Done', color: 'green' },
  failed: { label: 'Failed', color: 'red' },
};

/** How far the timeline has come: the index of the step the run is in (failed: where it stopped). */
export function activeStep(rotation: Rotation): number {
  if (rotation.state !== 'failed') return ROTATION_STEPS.findIndex((s) => s.state === rotation.state);
  const reached = rotation.timeline.filter((t) => t.state !== 'failed').map((t) => t.state);
  return Math.max(0, ...reached.map((state) => ROTATION_STEPS.findIndex((s) => s.state === state)));
}

/**
 * "Rotate now" through the Intercom connection, and the run's states as a live timeline (polled
 * while it runs): creating → overlapping → deleting the old secret → done, or failed with why.
 */
export function RotationCard({ tenantId }: { tenantId: string }) {
  const connection = useIntercomConnection(tenantId);
  const latest = useLatestRotation(tenantId);
  const start = useStartRotation(tenantId);
  const readOnly = useTenantReadOnly();
  const queryClient = useQueryClient();
  const rotation = latest.data ?? null;
  const running = isLiveRotation(rotation);
  const wasRunning = useRef(running);

  // A run that just ended changed the key versions and Intercom's secrets: read them again.
  useEffect(() => {
    if (wasRunning.current && !running) void queryClient.invalidateQueries({ queryKey: intercomKeys.tenant(tenantId) });
    wasRunning.current = running;
  }, [running, queryClient, tenantId]);

  const connected = connection.data?.connected === true;
  const broken = !!connection.data?.broken;
  const blocked = !connected
    ? 'Connect the Intercom workspace in step 1 first: the new secret is created in Intercom itself.'
    : broken
      ? 'Intercom no longer accepts the connection: reconnect in step 1 first.'
      : null;

  return (
    <Card component="section" aria-labelledby="rotation-heading" withBorder padding="lg" radius="md">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={3} size="h4" id="rotation-heading">
            Rotate through Intercom
          </Title>
          {rotation && (
            <Badge color={STATE_LABELS[rotation.state].color} variant="light" autoContrast data-testid="rotation-state">
              {STATE_LABELS[rotation.state].label}
            </Badge>
          )}
        </Group>
        <Text size="sm">
          Creates a new secret in Intercom with the same platforms, signs every new token with it while the old one
          still verifies for the token lifetime plus 5 minutes, then deletes the old one in Intercom. Nobody sees the
          new key.
        </Text>
        {latest.isPending && <LoadingState label="Reading the last rotation…" />}
        {latest.isError && (
          <ErrorState title="Couldn't load the rotations" error={latest.error} onRetry={() => latest.refetch()} />
        )}
        {rotation && <RotationTimeline tenantId={tenantId} rotation={rotation} />}
        {blocked && connection.isSuccess && (
          <Text size="sm" c="dimmed">
            {blocked}
          </Text>
        )}
        {start.isError && (
          <Alert color="red" icon={<IconAlertTriangle aria-hidden />} title="Couldn't start the rotation" role="alert">
            <Text size="sm">{errorMessage(start.error)}</Text>
          </Alert>
        )}
        <Group>
          <Button
            leftSection={<IconRefresh aria-hidden size={18} />}
            disabled={readOnly || running || !!blocked || !connection.isSuccess}
            loading={start.isPending}
            onClick={() =>
              start.mutate(undefined, {
                onSuccess: () => notifications.show({ message: 'Rotation started: follow it below.' }),
              })
            }
          >
            Rotate now
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}

function RotationTimeline({ tenantId, rotation }: { tenantId: string; rotation: Rotation }) {
  const finish = useFinishRotation(tenantId);
  const readOnly = useTenantReadOnly();
  const [confirming, modal] = useDisclosure(false);
  const active = activeStep(rotation);
  const at = (state: RotationState) => rotation.timeline.find((t) => t.state === state)?.at;

  return (
    <Stack gap="sm" data-testid="rotation-timeline">
      <Timeline active={active} bulletSize={22} lineWidth={2} aria-label="Rotation progress">
        {ROTATION_STEPS.map((step, index) => {
          const failedHere = rotation.state === 'failed' && index === active;
          const reachedAt = at(step.state);
          return (
            <Timeline.Item
              key={step.state}
              color={failedHere ? 'red' : undefined}
              bullet={
                failedHere ? (
                  <IconX aria-hidden size={12} />
                ) : index < active || rotation.state === 'done' ? (
                  <IconCheck aria-hidden size={12} />
                ) : undefined
              }
              title={step.title}
              data-state={step.state}
              data-reached={reachedAt ? 'true' : 'false'}
            >
              <Text size="xs" c="dimmed">
                {step.what}
              </Text>
              {reachedAt && (
                <Text size="xs">
                  <DateTime value={reachedAt} />
                </Text>
              )}
              {step.state === 'overlapping' && rotation.state === 'overlapping' && rotation.overlapEndsAt && (
                <Text size="xs">
                  The old secret is deleted at <DateTime value={rotation.overlapEndsAt} />, unless you finish now.
                </Text>
              )}
            </Timeline.Item>
          );
        })}
      </Timeline>

      {rotation.items.length > 0 && (
        <List size="sm" spacing={2}>
          {rotation.items.map((item) => (
            <List.Item key={item.oldVersion}>
              Version {item.oldVersion}
              {item.newVersion !== null ? ` → version ${item.newVersion}` : ''} (
              {item.platforms.map((p) => PLATFORM_NAMES[p]).join(', ')})
              {item.removeByHand &&
                ' — no Intercom secret was linked to the old version: delete it in Intercom by hand once the run is done.'}
            </List.Item>
          ))}
        </List>
      )}

      {rotation.state === 'failed' && rotation.reason && (
        <Alert color="red" icon={<IconAlertTriangle aria-hidden />} title="The rotation failed" role="alert">
          <Text size="sm">{rotation.reason}</Text>
        </Alert>
      )}
      {isLiveRotation(rotation) && rotation.lastError && (
        <Alert color="orange" icon={<IconAlertTriangle aria-hidden />} title="Intercom didn't answer; trying again">
          <Text size="sm">
            {rotation.lastError} (attempt {rotation.attempts})
            {rotation.nextAttemptAt && (
              <>
                ; next try at <DateTime value={rotation.nextAttemptAt} />
              </>
            )}
            .
          </Text>
        </Alert>
      )}

      {(rotation.state === 'overlapping' || rotation.state === 'creating') && !rotation.finishedEarly && (
        <Group>
          <Button variant="default" disabled={readOnly} loading={finish.isPending} onClick={modal.open}>
            Finish now
          </Button>
        </Group>
      )}
      {finish.isError && (
        <Alert color="red" title="Couldn't finish the rotation" role="alert">
          <Text size="sm">{errorMessage(finish.error)}</Text>
        </Alert>
      )}
      <Modal opened={confirming} onClose={modal.close} title="Finish the rotation now?">
        <Stack>
          <Text size="sm">
            The old secret is deleted in Intercom right away. Conversations of users whose token was signed with it stop
            working until their app fetches a new token.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={modal.close}>
              Keep waiting
            </Button>
            <Button
              color="red"
              loading={finish.isPending}
              onClick={() =>
                finish.mutate(rotation.id, {
                  onSuccess: () => {
                    modal.close();
                    notifications.show({ message: 'Finishing: the old secret is being deleted in Intercom.' });
                  },
                })
              }
            >
              Delete the old secret now
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
