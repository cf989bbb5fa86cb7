import { type ReactNode, useDeferredValue } from 'react';
import { Container } from '@mantine/core';
import { Navigate, useLocation } from 'react-router';
import { ACCOUNT_SECURITY_PATH } from '../../app/paths';
import { ErrorState, LoadingState } from '../../components/PageStates';
import { useCurrentUser } from './hooks';
import { signInPath } from './landing';

/** Route guard: renders its children only for a signed-in user; anyone else goes to sign-in. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const location = useLocation();
  // The signed-in page (shell, tenant frame, page) is rendered as a non-urgent update once the
  // session is known: React renders it in slices between which the browser stays responsive,
  // where the query's answer alone would render it all in one long task (decision 0060).
  const { data: user, isPending, error, refetch } = useDeferredValue(useCurrentUser());

  if (isPending) return <LoadingState label="Checking your session…" fullScreen />;
  if (error) {
    return (
      <Container size="xs" py="xl">
        <ErrorState title="Couldn't check your session" error={error} onRetry={() => refetch()} />
      </Container>
    );
  }
  if (!user) return <Navigate to={signInPath(location)} replace />;
  // REQUIRE_STAFF_MFA: the API refuses everything else until enrolment, so go straight there.
  if (user.mfaEnrolmentRequired && location.pathname !== ACCOUNT_SECURITY_PATH)
    return <Navigate to={ACCOUNT_SECURITY_PATH} replace />;
  return children;
}
