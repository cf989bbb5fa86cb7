import { Button } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDownload } from '@tabler/icons-react';
import type { IntegrationsQuery } from '../../api/staff';
import { downloadFile } from '../../components/downloadFile';
import { errorMessage } from '../../forms/apiErrors';
import { useExportIntegrations } from './hooks';
import { integrationsCsv, integrationsCsvFileName } from './integrationsCsv';

/** Downloads every tenant matching the filters, not just the pages shown, as CSV. */
export function ExportCsvButton({ query, disabled }: { query: IntegrationsQuery; disabled?: boolean }) {
  const exportRows = useExportIntegrations();
  const run = () =>
    exportRows.mutate(query, {
      onSuccess: (rows) => {
        downloadFile(integrationsCsvFileName(new Date()), integrationsCsv(rows), 'text/csv;charset=utf-8');
        notifications.show({
          color: 'green',
          message: `Exported ${rows.length} ${rows.length === 1 ? 'tenant' : 'tenants'}.`,
        });
      },
      onError: (error) => notifications.show({ color: 'red', title: "Couldn't export", message: errorMessage(error) }),
    });
  return (
    <Button
      variant="default"
      leftSection={<IconDownload size={16} aria-hidden />}
      loading={exportRows.isPending}
      disabled={disabled}
      onClick={run}
    >
      Export CSV
    </Button>
  );
}
