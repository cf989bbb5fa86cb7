import { Button } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { type IntegrationsQuery, integrationsExportHref } from '../../api/staff';

/** Downloads every tenant matching the filters, not just the pages shown, as CSV streamed by the API. */
export function ExportCsvButton({ query, disabled }: { query: IntegrationsQuery; disabled?: boolean }) {
  const icon = <IconDownload size={16} aria-hidden />;
  // A link cannot be disabled: with nothing to export it is a disabled button, which assistive
  // technology (and axe's contrast check) knows is inactive.
  if (disabled)
    return (
      <Button variant="default" leftSection={icon} disabled>
        Export CSV
      </Button>
    );
  return (
    <Button component="a" href={integrationsExportHref(query)} download variant="default" leftSection={icon}>
      Export CSV
    </Button>
  );
}
