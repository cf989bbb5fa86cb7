import { useState } from 'react';
import { Alert, Button, Group, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { apiErrorsForForm } from '../../forms/apiErrors';
import { focusFirstError } from '../../forms/focusFirstError';
import { newPasswordError, passwordRequiredError } from '../../forms/rules';
import { useChangePassword } from './hooks';

const FIELDS = ['currentPassword', 'newPassword'] as const;

/** Change the password; the API signs the other sessions out and renews this one. */
export function ChangePasswordSection() {
  const change = useChangePassword();
  const [done, setDone] = useState<string | null>(null);
  const form = useForm({
    name: 'change-password',
    mode: 'uncontrolled',
    initialValues: { currentPassword: '', newPassword: '' },
    validate: { currentPassword: passwordRequiredError, newPassword: newPasswordError },
  });
  const handleSubmit = form.onSubmit(
    (values) => {
      setDone(null);
      change.mutate(values, {
        onSuccess: ({ ended }) => {
          form.reset();
          setDone(
            ended === 0
              ? 'Password changed.'
              : `Password changed. ${ended} other ${ended === 1 ? 'session was' : 'sessions were'} signed out.`,
          );
        },
        onError: (error) => {
          const { fieldErrors } = apiErrorsForForm(error, FIELDS);
          form.setErrors(fieldErrors);
          focusFirstError(form, fieldErrors);
        },
      });
    },
    (errors) => focusFirstError(form, errors),
  );
  const formMessages = change.error ? apiErrorsForForm(change.error, FIELDS).formMessages : [];

  return (
    <Stack component="section" aria-labelledby="password-title">
      <Title order={2} id="password-title">
        Password
      </Title>
      <Text size="sm" c="dimmed">
        Changing your password signs out every other session.
      </Text>
      <form onSubmit={handleSubmit} noValidate>
        <Stack>
          <PasswordInput
            label="Current password"
            autoComplete="current-password"
            withAsterisk
            key={form.key('currentPassword')}
            {...form.getInputProps('currentPassword')}
          />
          <PasswordInput
            label="New password"
            description="At least 12 characters."
            autoComplete="new-password"
            withAsterisk
            key={form.key('newPassword')}
            {...form.getInputProps('newPassword')}
          />
          {formMessages.length > 0 && <Alert color="red">{formMessages.join(' ')}</Alert>}
          {done && (
            <Alert color="green" role="status">
              {done}
            </Alert>
          )}
          <Group>
            <Button type="submit" loading={change.isPending}>
              Change password
            </Button>
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}
