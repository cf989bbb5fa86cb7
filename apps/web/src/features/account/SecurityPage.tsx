import { useEffect, useState } from 'react';
import { Alert, Button, Code, Group, Image, List, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import QRCode from 'qrcode';
import { errorMessage } from '../../forms/apiErrors';
import { useDisableTotp, useEnableTotp, useSetupTotp, useSignedInUser } from '../auth/hooks';
import { ChangePasswordSection } from './ChangePasswordSection';
import { NewRecoveryCodes } from './NewRecoveryCodes';
import { SessionsSection } from './SessionsSection';

/**
 * Two-factor sign-in (enrol an authenticator app, keep the recovery codes, or turn it off), the
 * account's sessions, and its password.
 */
export function SecurityPage() {
  useDocumentTitle('Account security · Messenger Vault');
  const user = useSignedInUser();
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);

  return (
    <Stack maw={720}>
      <Title order={1}>Account security</Title>
      {user.mfaEnrolmentRequired && (
        <Alert color="orange" title="Two-factor sign-in is required">
          Staff accounts must turn on two-factor sign-in before anything else.
        </Alert>
      )}
      {recoveryCodes ? (
        <RecoveryCodes codes={recoveryCodes} onDone={() => setRecoveryCodes(null)} />
      ) : user.mfaEnabled ? (
        <>
          <DisableTotp />
          <NewRecoveryCodes onReplaced={setRecoveryCodes} />
        </>
      ) : (
        <EnrolTotp onEnabled={setRecoveryCodes} />
      )}
      <SessionsSection />
      <ChangePasswordSection />
    </Stack>
  );
}

function EnrolTotp({ onEnabled }: { onEnabled: (codes: string[]) => void }) {
  const setup = useSetupTotp();
  const enable = useEnableTotp();
  const [code, setCode] = useState('');
  const [qr, setQr] = useState<string | null>(null);
  const url = setup.data?.otpauthUrl;

  useEffect(() => {
    if (!url) return;
    let live = true;
    QRCode.toDataURL(url, { margin: 1, width: 200 })
      .then((data) => live && setQr(data))
      .catch(() => live && setQr(null));
    return () => {
      live = false;
    };
  }, [url]);

  if (!setup.data) {
    return (
      <Stack>
        <Text>
          Two-factor sign-in asks for a code from an authenticator app (1Password, Google Authenticator, Authy…) after
          your password.
        </Text>
        {setup.error && <Alert color="red">{errorMessage(setup.error)}</Alert>}
        <Group>
          <Button onClick={() => setup.mutate()} loading={setup.isPending}>
            Set up two-factor sign-in
          </Button>
        </Group>
      </Stack>
    );
  }
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        enable.mutate(code.trim(), { onSuccess: (answer) => onEnabled(answer.recoveryCodes) });
      }}
      noValidate
    >
      <Stack>
        <Text>Scan this QR code with your authenticator app, then enter the 6-digit code it shows.</Text>
        {qr && <Image src={qr} alt="QR code for your authenticator app" w={200} h={200} />}
        <Text size="sm">
          Can't scan it? Enter this key instead: <Code>{setup.data.secret}</Code>
        </Text>
        <TextInput
          label="Code from the app"
          autoComplete="one-time-code"
          inputMode="numeric"
          withAsterisk
          value={code}
          onChange={(event) => setCode(event.currentTarget.value)}
          error={enable.error ? errorMessage(enable.error) : undefined}
        />
        <Group>
          <Button type="submit" loading={enable.isPending}>
            Turn on
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  return (
    <Stack>
      <Alert color="green" title="Two-factor sign-in is on">
        Your other sessions were signed out. Save these recovery codes somewhere safe: each signs you in once if you
        lose your device. They are shown only now.
      </Alert>
      <List spacing={4} aria-label="Recovery codes">
        {codes.map((c) => (
          <List.Item key={c}>
            <Code>{c}</Code>
          </List.Item>
        ))}
      </List>
      <Group>
        <Button onClick={() => void navigator.clipboard?.writeText(codes.join('\n'))} variant="default">
          Copy codes
        </Button>
        <Button onClick={onDone}>I saved them</Button>
      </Group>
    </Stack>
  );
}

function DisableTotp() {
  const disable = useDisableTotp();
  const [code, setCode] = useState('');
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        disable.mutate(code.trim());
      }}
      noValidate
    >
      <Stack>
        <Alert color="green">Two-factor sign-in is on.</Alert>
        <TextInput
          label="Current code or a recovery code"
          description="Turning two-factor sign-in off signs out your other sessions."
          autoComplete="one-time-code"
          value={code}
          onChange={(event) => setCode(event.currentTarget.value)}
          error={disable.error ? errorMessage(disable.error) : undefined}
        />
        <Group>
          <Button type="submit" color="red" variant="light" loading={disable.isPending}>
            Turn off two-factor sign-in
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
