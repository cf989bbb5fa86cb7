import type { IdentityMode } from '@messenger-vault/contracts';
import { useState } from 'react';
import { Accordion, Alert, Badge, Button, Checkbox, Group, Radio, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { errorMessage } from '../../../forms/apiErrors';
import { useUpdateSettings } from '../hooks';
import { SETUP_STEPS } from '../setupSteps';
import { EmailUserIdsCard } from './EmailUserIdsCard';
import { StepFooter, StepFrame, type StepProps } from './StepFrame';
import { EditLock, useTenantReadOnly } from '../../tenants/editLock';

const STEP = SETUP_STEPS[4]!;

const MIGRATION_CHECKLIST = [
  'Save the Messenger API secret key in step 2: JWTs are signed with it.',
  'Choose JWT here. Messenger Vault then issues JWTs instead of user_hash values.',
  'Change your backend (or use the token client) to pass the JWT: intercom_user_jwt on web, setUserJwt on iOS, Android and React Native.',
  'Stop sending user_hash, and send email and name inside the token rather than beside it.',
  'Ship the new web and app versions, and wait until most of your users run them.',
  'Turn on JWT verification for each platform in Intercom, and confirm it in step 3.',
  'Issue a test token and check it in the debugger; then remove the old HMAC code.',
];

/** Step 5: JWT (recommended) or legacy HMAC, and how to move from one to the other. */
export function IdentityVerificationStep({ tenantId, setup, headingRef, onNext, previousPath }: StepProps) {
  const [mode, setMode] = useState<IdentityMode>(setup.identityMode);
  const update = useUpdateSettings(tenantId);
  const readOnly = useTenantReadOnly();

  const save = () =>
    update.mutate(
      { identityMode: mode },
      {
        onSuccess: () => {
          notifications.show({
            color: 'green',
            message: `Identity verification set to ${mode === 'jwt' ? 'JWT' : 'legacy HMAC'}. Now issue a test token.`,
          });
          onNext();
        },
      },
    );

  return (
    <StepFrame step={STEP} headingRef={headingRef}>
      <Stack gap="lg" maw={760}>
        <EditLock>
          <Radio.Group
            label="How your apps prove who the user is"
            description="This step is done once a token of the chosen kind has been issued: the next page issues one for a test user."
            value={mode}
            onChange={(value) => setMode(value as IdentityMode)}
          >
            <Stack mt="sm" gap="sm">
              <Radio.Card value="jwt" p="md" radius="md" withBorder>
                <Group wrap="nowrap" align="flex-start">
                  <Radio.Indicator aria-hidden />
                  <Stack gap={4}>
                    <Group gap="xs">
                      <Text fw={600}>JWT</Text>
                      <Badge color="green" variant="light" autoContrast>
                        Recommended
                      </Badge>
                    </Group>
                    <Text size="sm" c="dimmed">
                      A signed token holding the user’s id (and email and name), with an expiry. Intercom checks the
                      signature on every session. Use it for every new integration.
                    </Text>
                  </Stack>
                </Group>
              </Radio.Card>
              <Radio.Card value="hmac" p="md" radius="md" withBorder>
                <Group wrap="nowrap" align="flex-start">
                  <Radio.Indicator aria-hidden />
                  <Stack gap={4}>
                    <Group gap="xs">
                      <Text fw={600}>HMAC (user_hash)</Text>
                      <Badge color="gray" variant="light" autoContrast>
                        Legacy
                      </Badge>
                    </Group>
                    <Text size="sm" c="dimmed">
                      A hash of the user’s id. It never expires, and the email and name sent beside it are not
                      protected. Still supported for older installations; plan the move to JWT.
                    </Text>
                  </Stack>
                </Group>
              </Radio.Card>
            </Stack>
          </Radio.Group>
        </EditLock>
        {mode === 'hmac' && (
          <Alert color="orange" title="HMAC is the weaker option">
            A leaked user_hash works forever for that user. Use it only while your apps still need it, and follow the
            checklist below to move to JWT.
          </Alert>
        )}
        <MigrationChecklist defaultOpen={mode === 'hmac' || setup.identityMode === 'hmac'} />
        <EmailUserIdsCard tenantId={tenantId} allowed={setup.allowEmailUserIds} />
        {update.error && (
          <Alert color="red" title="Couldn't save the identity mode">
            {errorMessage(update.error)}
          </Alert>
        )}
        <StepFooter previousPath={previousPath}>
          <Button onClick={save} loading={update.isPending} disabled={readOnly}>
            Save and test it
          </Button>
        </StepFooter>
      </Stack>
    </StepFrame>
  );
}

/** Moving from HMAC to JWT, in order. The ticks are for the reader; they are not saved. */
function MigrationChecklist({ defaultOpen }: { defaultOpen: boolean }) {
  const [ticked, setTicked] = useState<string[]>([]);
  return (
    <Accordion variant="contained" defaultValue={defaultOpen ? 'migration' : null}>
      <Accordion.Item value="migration">
        <Accordion.Control>Moving from HMAC to JWT: the checklist</Accordion.Control>
        <Accordion.Panel>
          <Checkbox.Group value={ticked} onChange={setTicked} aria-label="Migration checklist">
            <Stack gap="xs" component="ol" m={0} p={0} style={{ listStyle: 'none' }}>
              {MIGRATION_CHECKLIST.map((item, index) => (
                <li key={item}>
                  <Checkbox value={String(index)} label={`${index + 1}. ${item}`} />
                </li>
              ))}
            </Stack>
          </Checkbox.Group>
        </Accordion.Panel>
      </Accordion.Item>
    </Accordion>
  );
}
