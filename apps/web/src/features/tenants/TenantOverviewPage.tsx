import { SimpleGrid, Stack } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useParams } from 'react-router';
import { ErrorState, LoadingState } from '../../components/PageStates';
import { SecurityStatusCard } from '../intercom/SecurityStatusCard';
import { SetupProgressCard } from '../intercom/SetupProgressCard';
import { useIntercomSetup } from '../intercom/hooks';
import { useSignedInUser } from '../auth/hooks';
import { TokenUsageCard } from '../staff/TokenUsageCard';
import { InviteAdminCard } from './InviteAdminCard';
import { MembersCard } from './MembersCard';
import { useTenant } from './hooks';

/** `/tenants/:tenantId`: where the tenant stands — setup progress, security per platform, admins. */
export function TenantOverviewPage() {
  const { tenantId = '' } = useParams();
  const tenant = useTenant(tenantId);
  const setup = useIntercomSetup(tenantId);
  const user = useSignedInUser();
  useDocumentTitle(`${tenant.data?.name ?? 'Tenant'} · Messenger Vault`);

  return (
    <Stack gap="lg">
      {setup.isPending && <LoadingState label="Loading the Intercom setup…" />}
      {setup.isError && (
        <ErrorState title="Couldn't load the Intercom setup" error={setup.error} onRetry={() => setup.refetch()} />
      )}
      {setup.isSuccess && (
        <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
          <SetupProgressCard tenantId={tenantId} setup={setup.data} />
          <SecurityStatusCard tenantId={tenantId} setup={setup.data} />
        </SimpleGrid>
      )}
      {tenant.data && <MembersCard tenant={tenant.data} />}
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
        <InviteAdminCard tenantId={tenantId} />
        {/* Token counts over time come from a staff route; tenant admins see theirs per platform above. */}
        {user.isStaff && <TokenUsageCard tenantId={tenantId} />}
      </SimpleGrid>
    </Stack>
  );
}
