import type { IntercomSetup, SetupProblem } from '@messenger-vault/contracts';
import type { ReactNode } from 'react';
import { Alert, Anchor, Badge, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { setupPath } from '../../app/paths';
import { DateTime, RelativeTime } from '../../components/DateTime';
import { ScrollTable } from '../../components/ScrollTable';
import { PlatformBadge } from './PlatformBadge';
import { PLATFORMS, PLATFORM_NAMES } from './platforms';

const SEVERITY_COLORS: Record<SetupProblem['severity'], string> = { error: 'red', warning: 'orange', info: 'blue' };

/** The tenant overview's answer to "is our Messenger safe?": per platform, the key, the mode. */
export function SecurityStatusCard({ tenantId, setup }: { tenantId: string; setup: IntercomSetup }) {
  return (
    <Card component="section" aria-labelledby="security-status-heading" withBorder padding="lg" radius="md">
      <Stack gap="md">
        <Title order={2} size="h3" id="security-status-heading">
          Security status
        </Title>
        <ScrollTable minWidth={440} label="Security status">
          <Table verticalSpacing="xs" aria-labelledby="security-status-heading">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Platform</Table.Th>
                <Table.Th scope="col">Messenger Security</Table.Th>
                <Table.Th scope="col">Tokens, last 24 h</Table.Th>
                <Table.Th scope="col">Last token</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {PLATFORMS.map((platform) => {
                const status = setup.platforms[platform];
                return (
                  <Table.Tr key={platform}>
                    <Table.Th scope="row" fw={500}>
                      {PLATFORM_NAMES[platform]}
                    </Table.Th>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      <PlatformBadge status={status} />
                    </Table.Td>
                    <Table.Td>{status.tokensLast24h}</Table.Td>
                    <Table.Td>{status.lastTokenAt ? <RelativeTime value={status.lastTokenAt} /> : 'Never'}</Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </ScrollTable>
        <Group gap="xl" align="flex-start">
          <Fact label="APP_ID">
            {setup.appId ? (
              <Text ff="monospace">{setup.appId}</Text>
            ) : (
              <Anchor component={Link} to={setupPath(tenantId, 'app-id')}>
                Not set
              </Anchor>
            )}
          </Fact>
          <Fact label="Secret key">
            {setup.secret ? (
              <Text>
                Version {setup.secret.version}, rotate by{' '}
                <DateTime value={setup.secret.rotationDueAt} withTime={false} />
              </Text>
            ) : (
              <Anchor component={Link} to={setupPath(tenantId, 'secret-key')}>
                None saved
              </Anchor>
            )}
          </Fact>
          <Fact label="Identity verification">
            {setup.identityMode === 'hmac' ? (
              <Badge color="orange" variant="light" autoContrast>
                Legacy HMAC
              </Badge>
            ) : (
              <Badge color="green" variant="light" autoContrast>
                JWT
              </Badge>
            )}
          </Fact>
        </Group>
        <SetupProblems problems={setup.problems} />
      </Stack>
    </Card>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
        {label}
      </Text>
      {children}
    </Stack>
  );
}

/** What the API says needs attention, most serious first, in its own words. */
export function SetupProblems({ problems }: { problems: readonly SetupProblem[] }) {
  if (problems.length === 0) {
    return (
      <Alert color="green" title="Nothing needs attention">
        Every check passes for this tenant.
      </Alert>
    );
  }
  const order: SetupProblem['severity'][] = ['error', 'warning', 'info'];
  const sorted = [...problems].sort((a, b) => order.indexOf(a.severity) - order.indexOf(b.severity));
  return (
    <Stack gap="xs" component="ul" m={0} p={0} style={{ listStyle: 'none' }} aria-label="Needs attention">
      {sorted.map((problem) => (
        <li key={`${problem.code}-${problem.platform ?? ''}`}>
          <Alert color={SEVERITY_COLORS[problem.severity]} p="xs">
            <Text size="sm">{problem.message}</Text>
          </Alert>
        </li>
      ))}
    </Stack>
  );
}
