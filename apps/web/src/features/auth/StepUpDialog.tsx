import { type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import { Alert, Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { setStepUpHandler } from '../../api/client';
import { stepUpWithCode, stepUpWithPasskey } from '../../api/passkeys';
import { errorMessage } from '../../forms/apiErrors';
import { useCurrentUser } from './hooks';

/**
 * Registers the step-up prompt with the API client (decision 0053): when a sensitive action
 * answers 403 step_up_required, this dialog asks for a code or a passkey, and the client sends
 * the same request again once the API accepted it. Cancelling lets the original error through.
 */
export function StepUpProvider({ children }: { children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const pending = useRef<((ok: boolean) => void) | null>(null);

  useEffect(() => {
    setStepUpHandler(
      () =>
        new Promise<boolean>((resolve) => {
          pending.current?.(false);
          pending.current = resolve;
          setOpen(true);
        }),
    );
    return () => setStepUpHandler(null);
  }, []);

  const finish = useCallback((ok: boolean) => {
    pending.current?.(ok);
    pending.current = null;
    setOpen(false);
  }, []);

  return (
    <>
      {children}
      {/* Above any dialog the guarded action was started from (a confirmation, say). */}
      <Modal opened={open} onClose={() => finish(false)} title="Confirm it's you" zIndex={1000}>
        {open && <StepUpForm onDone={() => finish(true)} onCancel={() => finish(false)} />}
      </Modal>
    </>
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
