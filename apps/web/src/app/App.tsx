import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from 'react-router/dom';
import { StepUpProvider } from '../features/auth/StepUpDialog';
import { prefetchPageData } from './prefetch';
import { createQueryClient } from './queryClient';
import { preloadRouteCode, router } from './router';
import { cssVariablesResolver, theme } from './theme';

const queryClient = createQueryClient();
prefetchPageData(queryClient, window.location.pathname);
preloadRouteCode(window.location.pathname);

export function App() {
  return (
    <MantineProvider theme={theme} defaultColorScheme="auto" cssVariablesResolver={cssVariablesResolver}>
      <Notifications />
      <QueryClientProvider client={queryClient}>
        <StepUpProvider>
          <RouterProvider router={router} />
        </StepUpProvider>
      </QueryClientProvider>
    </MantineProvider>
  );
}
