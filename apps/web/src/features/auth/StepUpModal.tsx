import { useEffect, useState } from 'react';
import { Alert, Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { stepUpWithCode, stepUpWithPasskey } from '../../api/passkeys';
import { errorMessage } from '../../forms/apiErrors';
import { useCurrentUser } from './hooks';

/** The step-up prompt itself (StepUpDialog.tsx), a chunk of its own: most visits never see it. */
export function StepUpModal({
  opened,
  onDone,
  onCancel,
}: {
  opened: boolean;
  onDone: () => void;
  onCancel: () => void;
}) {
  // Mounted when first asked for, but shown a frame later: Mantine notes the element to give focus
  // back to when `opened` changes, not on mount.
  const [mounted, setMounted] = useState(false);
  useEffect(() => {
    const frame = requestAnimationFrame(() => setMounted(true));
    return () => cancelAnimationFrame(frame);
  }, []);
  const shown = opened && mounted;
  return (
    // Above any dialog the guarded action was started from (a confirmation, say).
    <Modal opened={shown} onClose={onCancel} title="Confirm it's you" zIndex={1000}>
      {shown && <StepUpForm onDone={onDone} onCancel={onCancel} />}
    </Modal>
  );
}

function StepUpForm({ onDone, onCancel }: { onDone: () => void; onCancel: () => void }) {
  const { data: user } = useCurrentUser();
  const methods = user?.mfaMethods ?? ['totp', 'passkey'];
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState<'code' | 'passkey' | null>(null);
  const [error, setError] = useState<string | null>(null);

  const run = async (kind: 'code' | 'passkey', action: () => Promise<void>) => {
    setBusy(kind);
    setError(null);
    try {
      await action();
      onDone();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(null);
    }
  };

  return (
    <Stack>
      <Text size="sm">
        This is a sensitive action. Confirm it with your second factor; you won't be asked again for 10 minutes.
      </Text>
      {methods.includes('passkey') && (
        <Button onClick={() => void run('passkey', stepUpWithPasskey)} loading={busy === 'passkey'}>
          Use a passkey
        </Button>
      )}
      {methods.includes('totp') && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void run('code', () => stepUpWithCode(code.trim()));
          }}
          noValidate
        >
          <Stack>
            <TextInput
              label="Authentication code"
              description="The 6-digit code from your authenticator app, or a recovery code."
              autoComplete="one-time-code"
              data-autofocus
              value={code}
              onChange={(event) => setCode(event.currentTarget.value)}
            />
            <Group>
              <Button type="submit" loading={busy === 'code'}>
                Confirm
              </Button>
            </Group>
          </Stack>
        </form>
      )}
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      <Group justify="flex-end">
        <Button variant="subtle" onClick={onCancel}>
          Cancel
        </Button>
      </Group>
    </Stack>
  );
}
