import type { Platform, PlatformStatus, SetupProblem } from '@messenger-vault/contracts';
import { useState } from 'react';
import { Alert, Anchor, Button, Card, Code, Group, List, SimpleGrid, Stack, Switch, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { DateTime, RelativeTime } from '../../../components/DateTime';
import { errorMessage } from '../../../forms/apiErrors';
import { useSetPlatformSecurity } from '../hooks';
import { PlatformBadge } from '../PlatformBadge';
import { PLATFORMS, PLATFORM_NAMES, platformHealth } from '../platforms';
import { SETUP_STEPS } from '../setupSteps';
import { IntercomVerificationEvidence } from '../IntercomConnectionCard';
import { intercomSettingsUrl } from '../intercomLinks';
import { DeclaredPlatformsCard } from './DeclaredPlatformsCard';
import { HelpCard } from './HelpCard';
import { StepFooter, StepFrame, type StepProps } from './StepFrame';
import { useTenantReadOnly } from '../../tenants/editLock';

const STEP = SETUP_STEPS[2]!;

const HOW_TO: Record<Platform, { call: string; note: string }> = {
  web: {
    call: "Intercom('boot', { …, intercom_user_jwt })",
    note: 'Boot the Messenger with the token from Messenger Vault, and update it with each fresh token.',
  },
  ios: {
    call: 'Intercom.setUserJwt(token)',
    note: 'Give the SDK the token before logging the user in, and again after every refresh.',
  },
  android: {
    call: 'Intercom.client().setUserJwt(token)',
    note: 'Give the SDK the token before logging the user in, and again after every refresh.',
  },
};

/** Step 3: Messenger Security is switched on in Intercom per platform; the tenant confirms each here. */
export function MessengerSecurityStep({ tenantId, setup, headingRef, onNext, previousPath }: StepProps) {
  const securityUrl = intercomSettingsUrl(setup.appId, setup.region, 'security');
  return (
    <StepFrame step={STEP} headingRef={headingRef}>
      <Stack gap="lg">
        <IntercomVerificationEvidence tenantId={tenantId} />
        <HelpCard title="In Intercom">
          <List type="ordered" size="sm" spacing="xs">
            <List.Item>
              {securityUrl ? (
                <Anchor href={securityUrl} target="_blank" rel="noopener noreferrer" inherit>
                  Open Messenger Security in Intercom
                </Anchor>
              ) : (
                'Open Messenger Security in Intercom (Settings > Security > Messenger).'
              )}
            </List.Item>
            <List.Item>
              Send tokens from your app first (the Integration page has the code), so nobody is locked out.
            </List.Item>
            <List.Item>
              Turn on JWT verification for each platform your app runs on: web, iOS and Android are separate.
            </List.Item>
            <List.Item>Come back and switch the same platforms on below.</List.Item>
          </List>
          <Text size="sm" c="dimmed">
            Leaving a platform unprotected while you build is possible, but anyone can then chat as any of your users
            there. Turn it on before you launch.
          </Text>
        </HelpCard>
        <DeclaredPlatformsCard tenantId={tenantId} declared={setup.declaredPlatforms} />
        <SimpleGrid cols={{ base: 1, md: 3 }} spacing="md">
          {PLATFORMS.map((platform) => (
            <PlatformCard
              key={platform}
              tenantId={tenantId}
              platform={platform}
              shipped={setup.declaredPlatforms?.includes(platform) ?? true}
              status={setup.platforms[platform]}
              problems={setup.problems.filter((problem) => problem.platform === platform)}
            />
          ))}
        </SimpleGrid>
        <StepFooter previousPath={previousPath}>
          <Button onClick={onNext}>Continue</Button>
        </StepFooter>
      </Stack>
    </StepFrame>
  );
}

function PlatformCard({
  tenantId,
  platform,
  shipped,
  status,
  problems,
}: {
  tenantId: string;
  platform: Platform;
  /** False when the tenant declared platforms and this is not one of them. */
  shipped: boolean;
  status: PlatformStatus;
  problems: SetupProblem[];
}) {
  const update = useSetPlatformSecurity(tenantId);
  const readOnly = useTenantReadOnly();
  const name = PLATFORM_NAMES[platform];
  // The switch follows the click at once; the server's answer (and the refetched setup) settles it.
  const [desired, setDesired] = useState<boolean | null>(null);
  const enabled = desired ?? status.securityEnabled;
  const headingId = `platform-${platform}-heading`;

  const toggle = (next: boolean) => {
    setDesired(next);
    update.mutate(
      { platform, enabled: next },
      {
        onSettled: () => setDesired(null),
        onSuccess: () =>
          notifications.show({
            color: next ? 'green' : 'orange',
            message: next ? `Messenger Security is on for ${name}.` : `Messenger Security is off for ${name}.`,
          }),
        onError: (error) =>
          notifications.show({ color: 'red', title: `Couldn't update ${name}`, message: errorMessage(error) }),
      },
    );
  };

  return (
    <Card withBorder padding="md" radius="md" component="section" aria-labelledby={headingId}>
      <Stack gap="sm">
        <Group justify="space-between" wrap="nowrap">
          <Title order={3} size="h4" id={headingId}>
            {name}
          </Title>
          <PlatformBadge status={status} />
        </Group>
        <Switch
          label={`JWT verification is on for ${name} in Intercom`}
          checked={enabled}
          disabled={update.isPending || readOnly}
          onChange={(event) => toggle(event.currentTarget.checked)}
        />
        <Text size="sm">{HOW_TO[platform].note}</Text>
        <Code block style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
          {HOW_TO[platform].call}
        </Code>
        <Stack gap={2}>
          <Text size="sm">
            <Text span fw={600}>
              Tokens, last 24 h:
            </Text>{' '}
            {status.tokensLast24h}
          </Text>
          <Text size="sm">
            <Text span fw={600}>
              Last token:
            </Text>{' '}
            {status.lastTokenAt ? <RelativeTime value={status.lastTokenAt} /> : 'never'}
          </Text>
          {status.enabledAt && (
            <Text size="sm" c="dimmed">
              Confirmed on <DateTime value={status.enabledAt} withTime={false} />
            </Text>
          )}
        </Stack>
        {shipped ? (
          <PlatformWarning name={name} status={status} problems={problems} />
        ) : (
          <Text size="sm" c="dimmed">
            Not one of the platforms you ship, so it does not count for this step.
          </Text>
        )}
      </Stack>
    </Card>
  );
}

/** The API's own words when it sent any; otherwise the same warning worked out here. */
function PlatformWarning({
  name,
  status,
  problems,
}: {
  name: string;
  status: PlatformStatus;
  problems: SetupProblem[];
}) {
  const health = platformHealth(status);
  if (health === 'protected') return null;
  const message =
    problems[0]?.message ??
    (health === 'off'
      ? `Off for ${name}: anyone could chat as one of your ${name} users.`
      : `On for ${name}, but no ${name} tokens in the last 24 hours. If your ${name} app is live, check that it sends them.`);
  return (
    <Alert color={health === 'off' ? 'orange' : 'blue'} p="xs">
      <Text size="sm">{message}</Text>
    </Alert>
  );
}
