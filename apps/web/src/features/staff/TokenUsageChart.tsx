import type { Platform } from '@messenger-vault/contracts';
import { Box, Group, Table, Text } from '@mantine/core';
import { useElementSize } from '@mantine/hooks';
import { useId } from 'react';
import type { TokenUsage } from '../../api/staff';
import { PLATFORMS, PLATFORM_NAMES } from '../intercom/platforms';
import { type PlotArea, labelStride, labelledDays, linePath, valueTicks, xAt, yAt } from './chartScale';

const HEIGHT = 220;
const MARGIN = { top: 12, right: 28, bottom: 28, left: 44 };

/**
 * Each platform has a colour, a dash pattern and a marker shape, so the lines stay apart for
 * people who don't tell the colours apart. The colours are 3:1 or more on white (WCAG 1.4.11).
 */
const SERIES_STYLE: Readonly<
  Record<Platform, { color: string; dash?: string; marker: 'circle' | 'square' | 'diamond' }>
> = {
  web: { color: 'var(--mantine-color-indigo-7)', marker: 'circle' },
  ios: { color: 'var(--mantine-color-teal-9)', dash: '7 4', marker: 'square' },
  android: { color: 'var(--mantine-color-orange-9)', dash: '2 3', marker: 'diamond' },
};

const dayFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });

/** `2026-05-01` (a UTC day, as the API sends it) → "May 1". */
export function dayLabel(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? day : dayFormat.format(date);
}

/**
 * Tokens per platform per day as a line chart drawn in SVG, at the width it is given. The picture
 * is one image with a summary for screen readers; the numbers themselves are in a table below it.
 */
export function TokenUsageChart({ usage }: { usage: TokenUsage }) {
  const { ref, width } = useElementSize();
  const titleId = useId();
  const totals = Object.fromEntries(
    PLATFORMS.map((platform) => [platform, usage.series[platform].reduce((sum, count) => sum + count, 0)]),
  ) as Record<Platform, number>;
  const max = Math.max(0, ...PLATFORMS.flatMap((platform) => usage.series[platform]));
  const ticks = valueTicks(max);
  const top = ticks[ticks.length - 1] ?? 1;
  const summary = `Tokens issued per platform over the last ${usage.days.length} days: ${PLATFORMS.map(
    (platform) => `${PLATFORM_NAMES[platform]} ${totals[platform]}`,
  ).join(', ')}.`;

  return (
    <Box>
      <Box ref={ref} h={HEIGHT}>
        {width > 0 && (
          <svg width={width} height={HEIGHT} role="img" aria-labelledby={titleId} style={{ display: 'block' }}>
            <title id={titleId}>{summary}</title>
            <ChartBody usage={usage} ticks={ticks} top={top} plot={plotArea(width)} />
          </svg>
        )}
      </Box>
      <Group gap="lg" mt="xs" aria-hidden>
        {PLATFORMS.map((platform) => (
          <Group key={platform} gap={6} wrap="nowrap">
            <svg width={28} height={12}>
              <line
                x1={0}
                y1={6}
                x2={28}
                y2={6}
                stroke={SERIES_STYLE[platform].color}
                strokeWidth={2.5}
                strokeDasharray={SERIES_STYLE[platform].dash}
              />
              <Marker x={14} y={6} platform={platform} />
            </svg>
            <Text size="sm">
              {PLATFORM_NAMES[platform]} · {totals[platform]}
            </Text>
          </Group>
        ))}
      </Group>
      {max === 0 && (
        <Text size="sm" c="dimmed" mt="xs">
          No tokens issued in these {usage.days.length} days.
        </Text>
      )}
      <details>
        <summary>
          <Text span size="sm">
            Show the numbers as a table
          </Text>
        </summary>
        <UsageTable usage={usage} />
      </details>
    </Box>
  );
}

function plotArea(width: number): PlotArea {
  return {
    left: MARGIN.left,
    top: MARGIN.top,
    width: Math.max(1, width - MARGIN.left - MARGIN.right),
    height: HEIGHT - MARGIN.top - MARGIN.bottom,
  };
}

function ChartBody({ usage, ticks, top, plot }: { usage: TokenUsage; ticks: number[]; top: number; plot: PlotArea }) {
  const count = usage.days.length;
  const stride = labelStride(count, plot.width);
  const bottom = plot.top + plot.height;
  return (
    <g fontSize={12} fill="var(--mantine-color-dimmed)">
      {ticks.map((tick) => {
        const y = yAt(tick, top, plot);
        return (
          <g key={tick}>
            <line
              x1={plot.left}
              x2={plot.left + plot.width}
              y1={y}
              y2={y}
              stroke="var(--mantine-color-default-border)"
              strokeWidth={1}
            />
            <text x={plot.left - 8} y={y} textAnchor="end" dominantBaseline="middle">
              {tick}
            </text>
          </g>
        );
      })}
      {labelledDays(count, stride).map((index) => (
        <text key={index} x={xAt(index, count, plot)} y={bottom + 18} textAnchor="middle">
          {dayLabel(usage.days[index] ?? '')}
        </text>
      ))}
      {PLATFORMS.map((platform) => (
        <g key={platform}>
          <path
            d={linePath(usage.series[platform], top, plot)}
            fill="none"
            stroke={SERIES_STYLE[platform].color}
            strokeWidth={2.5}
            strokeDasharray={SERIES_STYLE[platform].dash}
            strokeLinejoin="round"
          />
          {usage.series[platform].map((value, index) => (
            <Marker key={index} x={xAt(index, count, plot)} y={yAt(value, top, plot)} platform={platform} />
          ))}
        </g>
      ))}
    </g>
  );
}

function Marker({ x, y, platform }: { x: number; y: number; platform: Platform }) {
  const { color, marker } = SERIES_STYLE[platform];
  if (marker === 'circle') return <circle cx={x} cy={y} r={3.5} fill={color} />;
  if (marker === 'square') return <rect x={x - 3.5} y={y - 3.5} width={7} height={7} fill={color} />;
  return <rect x={x - 3.5} y={y - 3.5} width={7} height={7} fill={color} transform={`rotate(45 ${x} ${y})`} />;
}

function UsageTable({ usage }: { usage: TokenUsage }) {
  return (
    <Table mt="xs" withTableBorder striped fz="sm" captionSide="top">
      <Table.Caption>Tokens issued per day (UTC)</Table.Caption>
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">Day</Table.Th>
          {PLATFORMS.map((platform) => (
            <Table.Th key={platform} scope="col" ta="right">
              {PLATFORM_NAMES[platform]}
            </Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {usage.days.map((day, index) => (
          <Table.Tr key={day}>
            <Table.Th scope="row" fw={400}>
              <time dateTime={day}>{dayLabel(day)}</time>
            </Table.Th>
            {PLATFORMS.map((platform) => (
              <Table.Td key={platform} ta="right">
                {usage.series[platform][index] ?? 0}
              </Table.Td>
            ))}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
