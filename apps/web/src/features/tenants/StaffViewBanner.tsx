import { Alert, Switch, Text } from '@mantine/core';
import { IconEye, IconPencil } from '@tabler/icons-react';

/** Tells staff they are looking at someone else's tenant, and holds the switch that allows changes. */
export function StaffViewBanner({
  editing,
  onEditingChange,
}: {
  editing: boolean;
  onEditingChange: (on: boolean) => void;
}) {
  return (
    <Alert
      color={editing ? 'orange' : 'blue'}
      icon={editing ? <IconPencil aria-hidden /> : <IconEye aria-hidden />}
      title={editing ? 'Editing as SalesMind staff' : 'Viewing as SalesMind staff — read-only'}
      data-testid="staff-view-banner"
    >
      <Text size="sm" mb="xs">
        {editing
          ? 'Changes you save here apply to this tenant’s live Intercom setup at once, and are audited under your name.'
          : 'Forms are locked so nothing changes by accident. Turn on editing to change this tenant’s setup.'}
      </Text>
      <Switch
        label="Edit"
        description="Allow changes to this tenant’s setup, keys and webhook"
        checked={editing}
        onChange={(event) => onEditingChange(event.currentTarget.checked)}
      />
    </Alert>
  );
}
