import { useEffect, useState } from 'react';
import { Alert, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDocumentTitle } from '@mantine/hooks';
import { useNavigate, useSearchParams } from 'react-router';
import { isApiRequestError } from '../../api/client';
import { apiErrorsForForm } from '../../forms/apiErrors';
import { focusFirstError } from '../../forms/focusFirstError';
import { emailError, passwordRequiredError } from '../../forms/rules';
import { AuthLayout } from './AuthLayout';
import { isMfaRequired } from '../../api/auth';
import { useLogin, useVerifyMfa } from './hooks';
import { SsoSignIn } from './SsoSignIn';
import { landingPath, safeNextPath } from './landing';

const FIELDS = ['email', 'password'] as const;

export function LoginPage() {
  useDocumentTitle('Sign in · Messenger Vault');
  const navigate = useNavigate();
  const [searchParams] = useSearchParams();
  const login = useLogin();
  const retryLock = useRetryLock();
  const [codeStep, setCodeStep] = useState(false);

  const form = useForm({
    name: 'login',
    mode: 'uncontrolled',
    initialValues: { email: '', password: '' },
    validate: { email: emailError, password: passwordRequiredError },
  });

  const handleSubmit = form.onSubmit(
    (values) =>
      login.mutate(
        { email: values.email.trim(), password: values.password },
        {
          onSuccess: (answer) => {
            if (isMfaRequired(answer)) {
              setCodeStep(true);
              return;
            }
            const next = safeNextPath(searchParams.get('next'));
            navigate(next ?? landingPath(answer), { replace: true });
          },
          onError: (error) => {
            if (isApiRequestError(error, 429)) retryLock.lockFor(error.retryAfterSeconds ?? 60);
            const { fieldErrors } = apiErrorsForForm(error, FIELDS);
            form.setErrors(fieldErrors);
            focusFirstError(form, fieldErrors);
          },
        },
      ),
    (errors) => focusFirstError(form, errors),
  );

  if (codeStep) return <CodeStep onRestart={() => setCodeStep(false)} />;

  return (
    <AuthLayout title="Sign in">
      <form onSubmit={handleSubmit} noValidate>
        <Stack>
          <TextInput
            label="Email"
            type="email"
            autoComplete="username"
            withAsterisk
            key={form.key('email')}
            {...form.getInputProps('email')}
          />
          <PasswordInput
            label="Password"
            autoComplete="current-password"
            withAsterisk
            visibilityToggleFocusable
            key={form.key('password')}
            {...form.getInputProps('password')}
          />
          {login.error && <LoginError error={login.error} throttled={retryLock.locked} />}
          <Button type="submit" loading={login.isPending} disabled={retryLock.locked} fullWidth>
            Sign in
          </Button>
          <SsoSignIn refusal={searchParams.get('sso')} />
        </Stack>
      </form>
    </AuthLayout>
  );
}

/** After a correct password with two-factor sign-in on: the code from the app, or a recovery code. */
function CodeStep({ onRestart }: { onRestart: () => void }) {
  const navigate = useNavigate();
  const [searchParams] = useSearchParams();
  const verify = useVerifyMfa();
  const retryLock = useRetryLock();
  const form = useForm({
    name: 'mfa-code',
    mode: 'uncontrolled',
    initialValues: { code: '' },
    validate: {
      code: (value: string) =>
        value.trim().length < 6 ? 'Enter the 6-digit code from your authenticator app, or a recovery code.' : null,
    },
  });
  const handleSubmit = form.onSubmit(
    (values) =>
      verify.mutate(values.code.trim(), {
        onSuccess: (user) => {
          const next = safeNextPath(searchParams.get('next'));
          navigate(next ?? landingPath(user), { replace: true });
        },
        onError: (error) => {
          if (isApiRequestError(error, 429)) retryLock.lockFor(error.retryAfterSeconds ?? 60);
          // The pending sign-in expired or was used: start over with the password.
          if (isApiRequestError(error, 401) && error.code === 'unauthenticated') onRestart();
        },
      }),
    (errors) => focusFirstError(form, errors),
  );
  return (
    <AuthLayout title="Two-factor sign-in">
      <form onSubmit={handleSubmit} noValidate>
        <Stack>
          <TextInput
            label="Authentication code"
            description="The 6-digit code from your authenticator app, or one of your recovery codes."
            autoComplete="one-time-code"
            inputMode="text"
            data-autofocus
            autoFocus
            withAsterisk
            key={form.key('code')}
            {...form.getInputProps('code')}
          />
          {verify.error && <LoginError error={verify.error} throttled={retryLock.locked} />}
          <Button type="submit" loading={verify.isPending} disabled={retryLock.locked} fullWidth>
            Verify
          </Button>
          <Button variant="subtle" onClick={onRestart}>
            Start over
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  );
}

function LoginError({ error, throttled }: { error: Error; throttled: boolean }) {
  if (isApiRequestError(error, 429)) {
    // Once the wait is over the message would only mislead; the button is enabled again.
    if (!throttled) return null;
    return <Alert color="orange">{tooManyAttemptsMessage(error.retryAfterSeconds)}</Alert>;
  }
  const { formMessages } = apiErrorsForForm(error, FIELDS);
  if (formMessages.length === 0) return null;
  return (
    <Alert color="red" title="Couldn't sign you in">
      {formMessages.join(' ')}
    </Alert>
  );
}

function tooManyAttemptsMessage(retryAfterSeconds: number | null): string {
  if (retryAfterSeconds === null) return 'Too many attempts, try again in a minute.';
  const unit = retryAfterSeconds === 1 ? 'second' : 'seconds';
  return `Too many attempts, try again in ${retryAfterSeconds} ${unit}.`;
}

/**
 * After a 429 the API refuses sign-in for `Retry-After` seconds, so the form says so and keeps
 * the button disabled until then rather than inviting attempts that only extend the wait.
 */
function useRetryLock() {
  const [retryAt, setRetryAt] = useState<number | null>(null);
  useEffect(() => {
    if (retryAt === null) return;
    const timer = window.setTimeout(() => setRetryAt(null), Math.max(0, retryAt - Date.now()));
    return () => window.clearTimeout(timer);
  }, [retryAt]);
  return {
    locked: retryAt !== null,
    lockFor: (seconds: number) => setRetryAt(Date.now() + seconds * 1000),
  };
}
