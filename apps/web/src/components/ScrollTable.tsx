import type { ReactNode } from 'react';
import { Table } from '@mantine/core';

/**
 * A table that scrolls sideways when the screen is narrower than `minWidth`. The scrolling box
 * takes keyboard focus, so it can be scrolled without a mouse, and is named after the table.
 */
export function ScrollTable({ minWidth, label, children }: { minWidth: number; label: string; children: ReactNode }) {
  return (
    <Table.ScrollContainer
      type="native"
      minWidth={minWidth}
      tabIndex={0}
      role="region"
      aria-label={label}
      // The containing block of visually hidden headers, which would otherwise stick out of the box.
      style={{ position: 'relative' }}
    >
      {children}
    </Table.ScrollContainer>
  );
}
