import type { Platform } from '@messenger-vault/contracts';
import { useState } from 'react';
import { Button, Card, Checkbox, Group, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { errorMessage } from '../../../forms/apiErrors';
import { useUpdateSettings } from '../hooks';
import { PLATFORMS, PLATFORM_NAMES } from '../platforms';
import { useTenantReadOnly } from '../../tenants/editLock';

/**
 * Which platforms the tenant ships (issue 15 item 7): step 3 is done when every one of them has
 * Messenger Security on. Until it is saved, any protected platform counts.
 */
export function DeclaredPlatformsCard({ tenantId, declared }: { tenantId: string; declared: Platform[] | null }) {
  const update = useUpdateSettings(tenantId);
  const readOnly = useTenantReadOnly();
  const [chosen, setChosen] = useState<string[] | null>(null);
  const value = chosen ?? declared ?? [];
  const changed = chosen !== null && [...chosen].sort().join() !== [...(declared ?? [])].sort().join();
  const error = chosen !== null && chosen.length === 0 ? 'Choose at least one platform your users reach you on.' : null;

  const save = () =>
    update.mutate(
      { declaredPlatforms: PLATFORMS.filter((p) => value.includes(p)) },
      {
        onSuccess: () => {
          setChosen(null);
          notifications.show({ color: 'green', message: 'Platforms saved.' });
        },
        onError: (e) =>
          notifications.show({ color: 'red', title: "Couldn't save the platforms", message: errorMessage(e) }),
      },
    );

  return (
    <Card withBorder padding="md" radius="md" component="section" aria-labelledby="declared-platforms-heading">
      <Stack gap="sm">
        <Title order={3} size="h4" id="declared-platforms-heading">
          Where does your app show the Messenger?
        </Title>
        <Text size="sm">
          Tick every platform you ship. This step is done only when each one you tick has Messenger Security on, so a
          forgotten mobile app cannot stay open to impersonation.
        </Text>
        <Checkbox.Group value={value} onChange={setChosen} error={error} aria-describedby="declared-platforms-heading">
          <Group gap="lg" mt={4}>
            {PLATFORMS.map((platform) => (
              <Checkbox key={platform} value={platform} label={PLATFORM_NAMES[platform]} disabled={readOnly} />
            ))}
          </Group>
        </Checkbox.Group>
        {declared === null && (
          <Text size="sm" c="dimmed">
            Not declared yet: until you save, one protected platform is enough to finish this step.
          </Text>
        )}
        <Group>
          <Button
            variant="light"
            onClick={save}
            disabled={!changed || error !== null || readOnly}
            loading={update.isPending}
          >
            Save platforms
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
