import { Alert, Button, Code, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconShieldCheck } from '@tabler/icons-react';
import { errorMessage } from '../../forms/apiErrors';
import { useVerifyAuditChain } from './hooks';

/** Checks the whole hash chain on the server and says plainly whether anything was altered. */
export function VerifyChainButton() {
  const verify = useVerifyAuditChain();
  const result = verify.data;
  return (
    <Stack gap="sm">
      <Button
        variant="default"
        leftSection={<IconShieldCheck size={16} aria-hidden />}
        loading={verify.isPending}
        onClick={() => verify.mutate()}
        w="fit-content"
      >
        Verify chain
      </Button>
      <div aria-live="polite">
        {verify.isError && (
          <Alert color="red" title="Couldn't verify the chain" icon={<IconAlertTriangle aria-hidden />}>
            {errorMessage(verify.error)}
          </Alert>
        )}
        {result?.valid && (
          <Alert color="green" title="The audit chain is intact" icon={<IconShieldCheck aria-hidden />} role="status">
            <Text size="sm">
              {result.checked} {result.checked === 1 ? 'entry' : 'entries'} checked: each links to the one before it and
              matches its hash, so none was changed or removed.
            </Text>
          </Alert>
        )}
        {result && !result.valid && (
          <Alert color="red" title="The audit chain is broken" icon={<IconAlertTriangle aria-hidden />}>
            <Text size="sm">
              Entry <Code>{result.firstBrokenId ?? 'unknown'}</Code> doesn’t match its hash or the entry before it (
              {result.checked} checked): it, or one before it, was changed or removed outside Messenger Vault. Keep the
              export of this log and report it to security; don’t edit the database.
            </Text>
          </Alert>
        )}
      </div>
    </Stack>
  );
}
