import { useNow } from './useNow';

const format = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

/** An API timestamp (ISO 8601, UTC) shown in the reader's own time zone. */
export function DateTime({ value, withTime = true }: { value: string; withTime?: boolean }) {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return <>{value}</>;
  return <time dateTime={value}>{(withTime ? format : dateOnly).format(date)}</time>;
}

/** "5 minutes ago", "in 3 days"; the exact time is in the tooltip. */
export function RelativeTime({ value, now }: { value: string; now?: number }) {
  const current = useNow();
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return <>{value}</>;
  return (
    <time dateTime={value} title={format.format(date)}>
      {describeFromNow(date.getTime() - (now ?? current))}
    </time>
  );
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86_400_000],
  ['month', 30 * 86_400_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

function describeFromNow(ms: number): string {
  for (const [unit, size] of UNITS) {
    if (Math.abs(ms) >= size) return relative.format(Math.round(ms / size), unit);
  }
  return relative.format(0, 'minute');
}
