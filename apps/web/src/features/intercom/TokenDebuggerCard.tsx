import type { DebugTokenResult } from '@messenger-vault/contracts';
import { useEffect, useEffectEvent } from 'react';
import { Alert, Badge, Button, Card, Group, List, Stack, Text, Textarea, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertTriangle, IconCircleCheck, IconCircleX } from '@tabler/icons-react';
import { CopyableCode } from '../../components/CopyableCode';
import { useNow } from '../../components/useNow';
import { apiErrorsForForm } from '../../forms/apiErrors';
import { focusFirstError } from '../../forms/focusFirstError';
import { describeClaimTimes } from './tokenClaims';
import { useDebugToken } from './hooks';

const FIELDS = ['token'] as const;
const TOKEN_MAX_LENGTH = 16_384;

/** Paste any Messenger JWT: see its header and payload, whether it verifies, and every problem. */
export function TokenDebuggerCard({
  tenantId,
  incoming,
}: {
  tenantId: string;
  incoming: { token: string; nonce: number } | null;
}) {
  const inspect = useDebugToken(tenantId);
  const form = useForm({
    name: 'token-debugger',
    mode: 'uncontrolled',
    initialValues: { token: '' },
    validate: {
      token: (value) => {
        const token = value.trim();
        if (!token) return 'Paste a JWT: three parts separated by dots, starting with eyJ.';
        if (token.length > TOKEN_MAX_LENGTH) return `A token here may have at most ${TOKEN_MAX_LENGTH} characters.`;
        return null;
      },
    },
  });

  const run = (token: string) =>
    inspect.mutate(token.trim(), {
      onError: (error) => {
        const { fieldErrors } = apiErrorsForForm(error, FIELDS);
        form.setErrors(fieldErrors);
      },
    });

  // "Check it in the debugger" on a freshly issued token fills the field and runs at once, once
  // per token sent over: `form` and `run` are new on every render and must not retrigger it.
  const check = useEffectEvent((token: string) => {
    form.setFieldValue('token', token);
    run(token);
  });
  useEffect(() => {
    if (incoming) check(incoming.token);
  }, [incoming]);

  const handleSubmit = form.onSubmit(
    ({ token }) => run(token),
    (errors) => focusFirstError(form, errors),
  );
  const formMessages = inspect.error ? apiErrorsForForm(inspect.error, FIELDS).formMessages : [];

  return (
    <Card withBorder padding="lg" radius="md" component="section" aria-labelledby="debugger-heading">
      <Stack>
        <Title order={3} size="h4" id="debugger-heading">
          Token debugger
        </Title>
        <form onSubmit={handleSubmit} noValidate>
          <Stack>
            <Textarea
              label="JWT"
              description="Any Messenger token, for example one copied from your app's network requests. It is checked against this tenant's keys."
              autosize
              minRows={3}
              maxRows={8}
              spellCheck={false}
              autoComplete="off"
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', wordBreak: 'break-all' } }}
              key={form.key('token')}
              {...form.getInputProps('token')}
            />
            {formMessages.length > 0 && (
              <Alert color="red" title="Couldn't check the token">
                {formMessages.join(' ')}
              </Alert>
            )}
            <Group>
              <Button type="submit" variant="light" loading={inspect.isPending}>
                Check token
              </Button>
            </Group>
          </Stack>
        </form>
        <div aria-live="polite">{inspect.data && <Verdict result={inspect.data} />}</div>
      </Stack>
    </Card>
  );
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/** The verdict follows Intercom: `valid` is whether it accepts the token; warnings never change it. */
export function Verdict({ result }: { result: DebugTokenResult }) {
  const { warnings } = result;
  return (
    <Stack gap="sm" data-testid="debugger-verdict">
      {result.valid && warnings.length === 0 && (
        <Alert color="green" icon={<IconCircleCheck aria-hidden />} title="Valid token">
          Signed with key version {result.keyVersion}; Intercom will accept it while it is unexpired.
        </Alert>
      )}
      {result.valid && warnings.length > 0 && (
        <Alert
          color="yellow"
          icon={<IconAlertTriangle aria-hidden />}
          title={`Valid token, ${plural(warnings.length, 'warning')}`}
        >
          Signed with key version {result.keyVersion}; Intercom will accept it, but fix what is listed below before you
          ship.
        </Alert>
      )}
      {!result.valid && (
        <Alert
          color="red"
          icon={<IconCircleX aria-hidden />}
          title={`Not valid: ${plural(result.problems.length, 'problem')}`}
        >
          {result.keyVersion !== null ? `The signature matches key version ${result.keyVersion}.` : null}
        </Alert>
      )}
      {result.problems.length > 0 && (
        <List spacing="xs" size="sm" aria-label="Problems found">
          {result.problems.map((problem) => (
            <List.Item key={problem.code}>
              <Badge variant="outline" color="red" size="sm" mr={6} tt="none">
                {problem.code}
              </Badge>
              {problem.message}
            </List.Item>
          ))}
        </List>
      )}
      {warnings.length > 0 && (
        <List spacing="xs" size="sm" aria-label="Warnings">
          {warnings.map((warning) => (
            <List.Item key={warning.code}>
              <Badge variant="outline" color="yellow" size="sm" mr={6} tt="none">
                {warning.code}
              </Badge>
              {warning.message}
            </List.Item>
          ))}
        </List>
      )}
      {result.payload && <ClaimTimes payload={result.payload} />}
      {result.header && <CopyableCode code={JSON.stringify(result.header, null, 2)} label="decoded header" />}
      {result.payload && <CopyableCode code={JSON.stringify(result.payload, null, 2)} label="decoded payload" />}
    </Stack>
  );
}

function ClaimTimes({ payload }: { payload: Record<string, unknown> }) {
  const now = useNow();
  const lines = describeClaimTimes(payload, now);
  if (lines.length === 0) return null;
  return (
    <Stack gap={2}>
      {lines.map((line) => (
        <Text size="sm" key={line}>
          {line}
        </Text>
      ))}
    </Stack>
  );
}
