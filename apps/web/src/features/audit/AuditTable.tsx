import type { ReactNode } from 'react';
import { Table, Text } from '@mantine/core';
import type { AuditEvent } from '../../api/audit';
import { DateTime } from '../../components/DateTime';
import { ScrollTable } from '../../components/ScrollTable';
import { AUDIT_ACTION_LABELS, actorLabel, metadataSummary } from './auditActions';

/**
 * Audit events, newest first. A tenant's own log shows them as they are; the log across tenants
 * adds a column naming the tenant (`tenantCell`).
 */
export function AuditTable({
  events,
  labelledBy,
  emptyMessage,
  tenantCell,
}: {
  events: AuditEvent[];
  labelledBy: string;
  emptyMessage: string;
  tenantCell?: (event: AuditEvent) => ReactNode;
}) {
  if (events.length === 0) {
    return (
      <Text c="dimmed" size="sm">
        {emptyMessage}
      </Text>
    );
  }
  return (
    <ScrollTable minWidth={tenantCell ? 900 : 720} label="Audit log">
      <Table verticalSpacing="xs" aria-labelledby={labelledBy} striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">When</Table.Th>
            {tenantCell && <Table.Th scope="col">Tenant</Table.Th>}
            <Table.Th scope="col">Who</Table.Th>
            <Table.Th scope="col">What</Table.Th>
            <Table.Th scope="col">Details</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {events.map((event) => (
            <Table.Tr key={event.id}>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                <DateTime value={event.occurredAt} />
              </Table.Td>
              {tenantCell && <Table.Td>{tenantCell(event)}</Table.Td>}
              <Table.Td>{actorLabel(event)}</Table.Td>
              <Table.Td>{AUDIT_ACTION_LABELS[event.action] ?? event.action}</Table.Td>
              <Table.Td>
                <Text size="sm" c="dimmed" style={{ wordBreak: 'break-word' }}>
                  {metadataSummary(event.metadata)}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollTable>
  );
}
