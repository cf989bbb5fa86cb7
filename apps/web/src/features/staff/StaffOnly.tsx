import { Stack, Text, Title } from '@mantine/core';
import { Outlet } from 'react-router';
import { useSignedInUser } from '../auth/hooks';

/** The staff pages' guard. The API refuses these calls to anyone else too; this only explains. */
export function StaffOnly() {
  const user = useSignedInUser();
  if (user.isStaff) return <Outlet />;
  return (
    <Stack gap="sm">
      <Title order={1}>Staff only</Title>
      <Text>This page is for SalesMind staff. Your tenant’s own pages are under Tenants.</Text>
    </Stack>
  );
}
