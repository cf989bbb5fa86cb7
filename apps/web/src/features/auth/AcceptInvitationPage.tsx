import type { CurrentUser } from '@messenger-vault/contracts';
import { Alert, Anchor, Button, PasswordInput, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDocumentTitle } from '@mantine/hooks';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router';
import { isApiRequestError } from '../../api/client';
import { LoadingState } from '../../components/PageStates';
import { apiErrorsForForm } from '../../forms/apiErrors';
import { focusFirstError } from '../../forms/focusFirstError';
import { NEW_PASSWORD_MIN_LENGTH, newPasswordError, passwordConfirmationError } from '../../forms/rules';
import { AuthLayout } from './AuthLayout';
import { useAcceptInvitation, useCurrentUser, useLogout } from './hooks';
import { landingPath, signInPath } from './landing';

const FIELDS = ['password'] as const;

/**
 * `/invite?token=…`: the link in an invitation. A new invitee chooses a password and is signed
 * in. Someone who already has an account accepts signed in as it: the API never takes an
 * existing account's password here, so this page sends them through sign-in and back.
 */
export function AcceptInvitationPage() {
  useDocumentTitle('Accept your invitation · Messenger Vault');
  const [searchParams] = useSearchParams();
  const token = searchParams.get('token');
  const currentUser = useCurrentUser();

  return (
    <AuthLayout title="Accept your invitation">
      {token && currentUser.isPending ? (
        <LoadingState label="Loading…" />
      ) : token && currentUser.data ? (
        <AcceptSignedIn token={token} user={currentUser.data} />
      ) : token ? (
        <ChoosePasswordForm token={token} />
      ) : (
        <Alert color="red" title="This invitation link is incomplete">
          Open the link from your invitation again, or ask the person who invited you for a new one.
        </Alert>
      )}
    </AuthLayout>
  );
}

/** The signed-in account accepts with one click; no password. */
function AcceptSignedIn({ token, user }: { token: string; user: CurrentUser }) {
  const navigate = useNavigate();
  const accept = useAcceptInvitation();
  const logout = useLogout();
  // Signing out reloads this same page, which then offers the sign-in or the password form.
  const signOut = () => logout.mutate(undefined, { onSuccess: () => window.location.reload() });

  return (
    <Stack>
      <Text size="sm">
        You are signed in as <strong>{user.email}</strong>. Accept the invitation to add its tenant to this account.
      </Text>
      {accept.error && <InvitationError error={accept.error} />}
      <Button
        loading={accept.isPending}
        fullWidth
        onClick={() =>
          accept.mutate({ token }, { onSuccess: (joined) => navigate(landingPath(joined), { replace: true }) })
        }
      >
        Accept invitation
      </Button>
      <Button variant="default" loading={logout.isPending} fullWidth onClick={signOut}>
        Sign out to use another account
      </Button>
    </Stack>
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
          Choose a password to finish setting up your account. Already have a Messenger Vault account with this email?{' '}
          <SignInToAccept>Sign in to accept</SignInToAccept> instead.
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
  if (isApiRequestError(error, 401)) {
    // sign_in_required: the email already has an account, which accepts only signed in.
    return (
      <Alert color="blue" title="You already have an account">
        {error.message} <SignInToAccept onTint>Sign in to accept</SignInToAccept>.
      </Alert>
    );
  }
  if (isApiRequestError(error, 403)) {
    // invitation_wrong_account: signed in as someone the invitation was not sent to.
    return (
      <Alert color="red" title="This invitation is for another account">
        {error.message}
      </Alert>
    );
  }
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
  const { formMessages } = apiErrorsForForm(error, FIELDS);
  if (formMessages.length === 0) return null;
  return (
    <Alert color="red" title="Couldn't accept the invitation">
      {formMessages.join(' ')}
    </Alert>
  );
}

/** Sign-in, coming back to this very invitation page afterwards. */
function SignInToAccept({ children, onTint = false }: { children: string; onTint?: boolean }) {
  const location = useLocation();
  // On an alert's tinted background the link takes the text's colour (contrast), underlined.
  const tint = onTint ? ({ c: 'inherit', fw: 600, underline: 'always' } as const) : {};
  return (
    <Anchor component={Link} to={signInPath(location)} inherit {...tint}>
      {children}
    </Anchor>
  );
}
