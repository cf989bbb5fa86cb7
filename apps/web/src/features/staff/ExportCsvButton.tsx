import { Button } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { type IntegrationsQuery, integrationsExportHref } from '../../api/staff';

/** Downloads every tenant matching the filters, not just the pages shown, as CSV streamed by the API. */
export function ExportCsvButton({ query, disabled }: { query: IntegrationsQuery; disabled?: boolean }) {
  return (
    <Button
      component="a"
      href={integrationsExportHref(query)}
      download
      variant="default"
      leftSection={<IconDownload size={16} aria-hidden />}
      disabled={disabled}
    >
      Export CSV
    </Button>
  );
}
