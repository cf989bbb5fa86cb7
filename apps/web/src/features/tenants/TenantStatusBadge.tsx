import type { Tenant } from '@messenger-vault/contracts';
import { Badge } from '@mantine/core';

export function TenantStatusBadge({ tenant }: { tenant: Tenant }) {
  return tenant.archivedAt ? (
    <Badge color="gray" variant="light">
      Archived
    </Badge>
  ) : (
    <Badge color="green" variant="light">
      Active
    </Badge>
  );
}
