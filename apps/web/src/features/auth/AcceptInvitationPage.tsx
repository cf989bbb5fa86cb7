import { Alert, Anchor, Button, PasswordInput, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDocumentTitle } from '@mantine/hooks';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { isApiRequestError } from '../../api/client';
import { apiErrorsForForm } from '../../forms/apiErrors';
import { focusFirstError } from '../../forms/focusFirstError';
import { NEW_PASSWORD_MIN_LENGTH, newPasswordError, passwordConfirmationError } from '../../forms/rules';
import { AuthLayout } from './AuthLayout';
import { useAcceptInvitation } from './hooks';
import { landingPath } from './landing';

const FIELDS = ['password'] as const;

/** `/invite?token=…`: the link in an invitation. The invitee chooses a password and is signed in. */
export function AcceptInvitationPage() {
  useDocumentTitle('Accept your invitation · Messenger Vault');
  const [searchParams] = useSearchParams();
  const token = searchParams.get('token');

  return (
    <AuthLayout title="Accept your invitation">
      {token ? (
        <ChoosePasswordForm token={token} />
      ) : (
        <Alert color="red" title="This invitation link is incomplete">
          Open the link from your invitation again, or ask the person who invited you for a new one.
        </Alert>
      )}
    </AuthLayout>
  );
}

function ChoosePasswordForm({ token }: { token: string }) {
  const navigate = useNavigate();
  const accept = useAcceptInvitation();

  const form = useForm({
    name: 'accept-invitation',
    mode: 'uncontrolled',
    initialValues: { password: '', confirmPassword: '' },
    validate: {
      password: newPasswordError,
      confirmPassword: (value, values) => passwordConfirmationError(value, values.password),
    },
  });

  const handleSubmit = form.onSubmit(
    ({ password }) =>
      accept.mutate(
        { token, password },
        {
          onSuccess: (user) => navigate(landingPath(user), { replace: true }),
          onError: (error) => {
            const { fieldErrors } = apiErrorsForForm(error, FIELDS);
            form.setErrors(fieldErrors);
            focusFirstError(form, fieldErrors);
          },
        },
      ),
    (errors) => focusFirstError(form, errors),
  );

  return (
    <form onSubmit={handleSubmit} noValidate>
      <Stack>
        <Text size="sm">
          Choose a password to finish setting up your account. Already have a Messenger Vault account with this email?
          Enter its current password instead.
        </Text>
        <PasswordInput
          label="Password"
          description={`At least ${NEW_PASSWORD_MIN_LENGTH} characters.`}
          autoComplete="new-password"
          withAsterisk
          visibilityToggleFocusable
          key={form.key('password')}
          {...form.getInputProps('password')}
        />
        <PasswordInput
          label="Confirm password"
          autoComplete="new-password"
          withAsterisk
          visibilityToggleFocusable
          key={form.key('confirmPassword')}
          {...form.getInputProps('confirmPassword')}
        />
        {accept.error && <InvitationError error={accept.error} />}
        <Button type="submit" loading={accept.isPending} fullWidth>
          Set password and sign in
        </Button>
      </Stack>
    </form>
  );
}

/**
 * The API answers 404 for a link that was never valid and 409 for one already used or expired;
 * its message says what to do. Either way this form can't succeed, so sign-in is offered.
 */
function InvitationError({ error }: { error: Error }) {
  if (isApiRequestError(error, 404) || isApiRequestError(error, 409)) {
    return (
      <Alert color="red" title="This invitation can't be used">
        {error.message} Already have an account?{' '}
        <Anchor component={Link} to="/login" inherit>
          Sign in
        </Anchor>
        .
      </Alert>
    );
  }
  // Includes 401: the invitee already has an account and the password isn't its current one.
  const { formMessages } = apiErrorsForForm(error, FIELDS);
  if (formMessages.length === 0) return null;
  return (
    <Alert color="red" title="Couldn't accept the invitation">
      {formMessages.join(' ')}
    </Alert>
  );
}
