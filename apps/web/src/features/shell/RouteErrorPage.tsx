import { Button, Container, Stack, Text, Title } from '@mantine/core';
import { useRouteError } from 'react-router';
import { errorMessage } from '../../forms/apiErrors';

/** Shown when a page fails to render, most often a page's code that can't be downloaded. */
export function RouteErrorPage() {
  const error = useRouteError();
  return (
    <Container component="main" size="sm" py="xl">
      <Stack gap="sm">
        <Title order={1}>Something went wrong</Title>
        <Text>This page couldn’t be shown. If Messenger Vault was just updated, reloading fixes it.</Text>
        <Text size="sm" c="dimmed">
          {errorMessage(error)}
        </Text>
        <div>
          <Button onClick={() => window.location.reload()}>Reload the page</Button>
        </div>
      </Stack>
    </Container>
  );
}
