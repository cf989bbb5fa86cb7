import { Alert, Button, Chip, Group, NumberInput, Stack, Switch, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { SETTINGS_DEFAULTS, rotationDueAt } from '@messenger-vault/contracts';
import { IconCalendarDue } from '@tabler/icons-react';
import { DateTime } from '../../../components/DateTime';
import { apiErrorsForForm } from '../../../forms/apiErrors';
import { focusFirstError } from '../../../forms/focusFirstError';
import {
  REMINDER_LEAD_DAYS,
  ROTATION_PERIOD_DAYS,
  TOKEN_TTL,
  describeSeconds,
  reminderLeadError,
  rotationPeriodError,
  tokenTtlError,
  tokenTtlThrottleWarning,
} from '../../../forms/setupRules';
import { useIntercomConnection, useUpdateSettings } from '../hooks';
import { RotationCard } from '../RotationCard';
import { SETUP_STEPS } from '../setupSteps';
import { HelpCard } from './HelpCard';
import { SignedAttributesCard } from './SignedAttributesCard';
import { StepFooter, StepFrame, type StepProps } from './StepFrame';
import { EditLock, useTenantReadOnly } from '../../tenants/editLock';

const STEP = SETUP_STEPS[3]!;
const FIELDS = ['tokenTtlSeconds', 'rotationPeriodDays', 'reminderLeadDays'] as const;

const LIFETIME_PRESETS = [
  { seconds: 900, label: '15 minutes' },
  { seconds: 3600, label: '1 hour' },
  { seconds: 28_800, label: '8 hours' },
  { seconds: 86_400, label: '24 hours' },
];

/** Step 4: how long tokens live, how often the key is rotated, and how early we remind you. */
export function BestPracticesStep({ tenantId, setup, headingRef, onNext, previousPath }: StepProps) {
  const update = useUpdateSettings(tenantId);
  const readOnly = useTenantReadOnly();
  const form = useForm({
    name: 'best-practices',
    mode: 'controlled',
    initialValues: {
      tokenTtlSeconds: setup.tokenTtlSeconds as number | string,
      rotationPeriodDays: setup.rotationPeriodDays as number | string,
      reminderLeadDays: setup.reminderLeadDays as number | string,
    },
    validate: {
      tokenTtlSeconds: tokenTtlError,
      rotationPeriodDays: rotationPeriodError,
      reminderLeadDays: (value, values) => reminderLeadError(value, values.rotationPeriodDays),
    },
  });

  const handleSubmit = form.onSubmit(
    (values) =>
      update.mutate(
        {
          tokenTtlSeconds: Number(values.tokenTtlSeconds),
          rotationPeriodDays: Number(values.rotationPeriodDays),
          reminderLeadDays: Number(values.reminderLeadDays),
        },
        {
          onSuccess: () => {
            notifications.show({ color: 'green', message: 'Token lifetime and rotation saved.' });
            onNext();
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

  const ttl = Number(form.values.tokenTtlSeconds);
  const throttleWarning = tokenTtlThrottleWarning(form.values.tokenTtlSeconds);
  const period = Number(form.values.rotationPeriodDays);
  const formMessages = update.error ? apiErrorsForForm(update.error, FIELDS).formMessages : [];

  return (
    <StepFrame
      step={STEP}
      headingRef={headingRef}
      aside={<WhyTheseMatter />}
      below={
        <Stack gap="md">
          <AutoRotateSwitch tenantId={tenantId} autoRotate={setup.autoRotate} />
          <RotationCard tenantId={tenantId} />
        </Stack>
      }
    >
      <form onSubmit={handleSubmit} noValidate>
        <Stack>
          <EditLock>
            <NumberInput
              label="Token lifetime (seconds)"
              description={`Match your app's session length; shorter is safer. ${TOKEN_TTL.min.toLocaleString('en')}–${TOKEN_TTL.max.toLocaleString('en')} seconds.${
                tokenTtlError(ttl) === null ? ` Now: ${describeSeconds(ttl)}.` : ''
              }`}
              min={TOKEN_TTL.min}
              max={TOKEN_TTL.max}
              step={60}
              allowDecimal={false}
              // Out-of-range values get the rule's message rather than being silently changed.
              clampBehavior="none"
              thousandSeparator=","
              withAsterisk
              key={form.key('tokenTtlSeconds')}
              {...form.getInputProps('tokenTtlSeconds')}
            />
            <Chip.Group value={String(ttl)} onChange={(value) => form.setFieldValue('tokenTtlSeconds', Number(value))}>
              <Group gap="xs" role="group" aria-label="Common token lifetimes">
                {LIFETIME_PRESETS.map((preset) => (
                  <Chip key={preset.seconds} value={String(preset.seconds)} size="xs">
                    {preset.label}
                  </Chip>
                ))}
              </Group>
            </Chip.Group>
            {throttleWarning && (
              <Alert color="yellow" title="Too short for Intercom's update limit" role="status">
                {throttleWarning}
              </Alert>
            )}
            <NumberInput
              label="Rotate the secret key every (days)"
              description={`${ROTATION_PERIOD_DAYS.min}–${ROTATION_PERIOD_DAYS.max} days. ${SETTINGS_DEFAULTS.rotationPeriodDays} is a common choice.`}
              min={ROTATION_PERIOD_DAYS.min}
              max={ROTATION_PERIOD_DAYS.max}
              allowDecimal={false}
              // Out-of-range values get the rule's message rather than being silently changed.
              clampBehavior="none"
              withAsterisk
              key={form.key('rotationPeriodDays')}
              {...form.getInputProps('rotationPeriodDays')}
            />
            <NumberInput
              label="Remind me this many days before (days)"
              description={`${REMINDER_LEAD_DAYS.min}–${REMINDER_LEAD_DAYS.max} days, and fewer than the rotation period.`}
              min={REMINDER_LEAD_DAYS.min}
              max={REMINDER_LEAD_DAYS.max}
              allowDecimal={false}
              // Out-of-range values get the rule's message rather than being silently changed.
              clampBehavior="none"
              withAsterisk
              key={form.key('reminderLeadDays')}
              {...form.getInputProps('reminderLeadDays')}
            />
          </EditLock>
          <NextRotation setup={setup} period={rotationPeriodError(period) === null ? period : null} />
          {formMessages.length > 0 && (
            <Alert color="red" title="Couldn't save the settings">
              {formMessages.join(' ')}
            </Alert>
          )}
          <StepFooter previousPath={previousPath}>
            <Button type="submit" loading={update.isPending} disabled={readOnly}>
              Save and continue
            </Button>
          </StepFooter>
        </Stack>
      </form>
      <Stack mt="lg">
        <SignedAttributesCard tenantId={tenantId} setup={setup} />
      </Stack>
    </StepFrame>
  );
}

/**
 * `autoRotate`: when a version falls due, the reminder job rotates it through the Intercom
 * connection instead of asking a person. Saved on its own, at once, like a setting switch.
 */
function AutoRotateSwitch({ tenantId, autoRotate }: { tenantId: string; autoRotate: boolean }) {
  const update = useUpdateSettings(tenantId);
  const connection = useIntercomConnection(tenantId);
  const readOnly = useTenantReadOnly();
  const connected = connection.data?.connected === true && !connection.data.broken;
  return (
    <Stack gap={4}>
      <Switch
        label="Rotate automatically when the key falls due"
        description={
          connected
            ? 'The new secret is created in Intercom, takes over signing, and the old one is deleted after the overlap: reminders say when instead of asking you.'
            : 'Needs a working Intercom connection (step 1): without one, the reminders ask you to rotate by hand.'
        }
        checked={autoRotate}
        disabled={readOnly || update.isPending || (!connected && !autoRotate)}
        onChange={(event) => {
          const next = event.currentTarget.checked;
          update.mutate(
            { autoRotate: next },
            {
              onSuccess: () =>
                notifications.show({
                  color: 'green',
                  message: next ? 'Automatic rotation is on.' : 'Automatic rotation is off: reminders ask you again.',
                }),
              onError: (error) =>
                notifications.show({ color: 'red', message: apiErrorsForForm(error, []).formMessages.join(' ') }),
            },
          );
        }}
      />
    </Stack>
  );
}

/** When the signing key is due, now and under the period being typed (the policy applies to live keys). */
function NextRotation({ setup, period }: { setup: StepProps['setup']; period: number | null }) {
  if (!setup.secret) {
    return (
      <Text size="sm" c="dimmed">
        No secret key is saved yet, so there is no rotation date. It starts counting when you save one in step 2.
      </Text>
    );
  }
  const preview =
    period !== null && period !== setup.rotationPeriodDays
      ? rotationDueAt(setup.secret.createdAt, period).toISOString()
      : null;
  return (
    <Alert color="blue" icon={<IconCalendarDue aria-hidden />} title="Next rotation">
      <Text size="sm">
        Version {setup.secret.version} of the key is due for rotation on{' '}
        <DateTime value={setup.secret.rotationDueAt} withTime={false} />.
        {preview && (
          <>
            {' '}
            With a {period}-day period it will be due on <DateTime value={preview} withTime={false} /> instead.
          </>
        )}
      </Text>
    </Alert>
  );
}

function WhyTheseMatter() {
  return (
    <HelpCard title="Why these matter">
      <Text size="sm">
        <Text span fw={600}>
          Lifetime.
        </Text>{' '}
        A token that outlives the user’s session can be replayed after they sign out. The token client fetches a fresh
        one shortly before the old one expires, so short lifetimes cost your users nothing, down to 2 minutes: the web
        Messenger takes only about 20 updates per 30 minutes, so shorter tokens expire before the next one can be sent.
      </Text>
      <Text size="sm">
        <Text span fw={600}>
          Fresh tokens.
        </Text>{' '}
        Ask for a new token whenever the user’s details change or their session renews.
      </Text>
      <Text size="sm">
        <Text span fw={600}>
          Rotation.
        </Text>{' '}
        Replacing the secret key on a schedule limits how long a leaked key stays useful. Messenger Vault reminds you
        ahead of the date; rotate in Intercom, then save the new key in step 2.
      </Text>
    </HelpCard>
  );
}
