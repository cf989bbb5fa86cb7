const format = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

/** An API timestamp (ISO 8601, UTC) shown in the reader's own time zone. */
export function DateTime({ value, withTime = true }: { value: string; withTime?: boolean }) {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return <>{value}</>;
  return <time dateTime={value}>{(withTime ? format : dateOnly).format(date)}</time>;
}
