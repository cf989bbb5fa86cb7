import type { PlatformStatus } from '@messenger-vault/contracts';
import { Badge } from '@mantine/core';
import { HEALTH_BADGES, platformHealth } from './platforms';

/** One platform's security at a glance; the label says it, the colour only repeats it. */
export function PlatformBadge({ status }: { status: PlatformStatus }) {
  const { label, color } = HEALTH_BADGES[platformHealth(status)];
  return (
    <Badge color={color} variant="light" autoContrast>
      {label}
    </Badge>
  );
}
