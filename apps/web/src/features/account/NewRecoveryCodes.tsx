import { useState } from 'react';
import { Button, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { errorMessage } from '../../forms/apiErrors';
import { useReplaceRecoveryCodes } from './hooks';

/** Lost or used up the recovery codes: ten new ones for a current code; the old ones stop working. */
export function NewRecoveryCodes({ onReplaced }: { onReplaced: (codes: string[]) => void }) {
  const replace = useReplaceRecoveryCodes();
  const [code, setCode] = useState('');
  return (
    <Stack component="section" aria-labelledby="recovery-title">
      <Title order={2} id="recovery-title">
        Recovery codes
      </Title>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          replace.mutate(code.trim(), {
            onSuccess: (answer) => {
              setCode('');
              onReplaced(answer.recoveryCodes);
            },
          });
        }}
        noValidate
      >
        <Stack>
          <Text size="sm" c="dimmed">
            New codes replace the old ones, which stop working, and sign out your other sessions.
          </Text>
          <TextInput
            label="Current code for new recovery codes"
            autoComplete="one-time-code"
            value={code}
            onChange={(event) => setCode(event.currentTarget.value)}
            error={replace.error ? errorMessage(replace.error) : undefined}
          />
          <Group>
            <Button type="submit" variant="default" loading={replace.isPending}>
              Get new recovery codes
            </Button>
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}
