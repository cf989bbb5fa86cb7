import { Navigate, useParams } from 'react-router';
import { setupPath } from '../../app/paths';
import { ErrorState, LoadingState } from '../../components/PageStates';
import { useIntercomSetup } from './hooks';
import { doneSteps, nextSlug } from './setupSteps';

/** `/tenants/:tenantId/setup`: opens the first step that isn't done yet. */
export function SetupRedirect() {
  const { tenantId = '' } = useParams();
  const setup = useIntercomSetup(tenantId);
  if (setup.isPending) return <LoadingState label="Loading the Intercom setup…" />;
  if (setup.isError) {
    return <ErrorState title="Couldn't load the Intercom setup" error={setup.error} onRetry={() => setup.refetch()} />;
  }
  return <Navigate to={setupPath(tenantId, nextSlug(doneSteps(setup.data.steps)))} replace />;
}
