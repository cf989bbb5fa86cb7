import { Anchor, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { Link } from 'react-router';
import { TENANTS_PATH } from '../../app/paths';

export function NotFoundPage() {
  useDocumentTitle('Page not found · Messenger Vault');
  return (
    <Stack gap="sm" py="xl">
      <Title order={1}>Page not found</Title>
      <Text>There’s no page at this address. It may have moved, or the link may be mistyped.</Text>
      <Anchor component={Link} to={TENANTS_PATH}>
        Go to tenants
      </Anchor>
    </Stack>
  );
}
