const UNITS: ReadonlyArray<readonly [string, number]> = [
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
  ['second', 1],
];

/** "2 hours 5 minutes": the two largest units, enough for a person to act on. */
export function describeDuration(totalSeconds: number): string {
  let rest = Math.max(0, Math.round(totalSeconds));
  if (!Number.isFinite(rest)) return 'forever';
  if (rest === 0) return '0 seconds';
  const parts: string[] = [];
  for (const [unit, size] of UNITS) {
    const count = Math.floor(rest / size);
    if (count > 0 && parts.length < 2) parts.push(`${count} ${unit}${count === 1 ? '' : 's'}`);
    rest -= count * size;
  }
  return parts.join(' ');
}

/** A Unix time as ISO 8601, or a plain number when it is beyond what a Date can hold. */
export function describeInstant(unixSeconds: number): string {
  const date = new Date(unixSeconds * 1000);
  return Number.isNaN(date.getTime()) ? String(unixSeconds) : date.toISOString();
}
