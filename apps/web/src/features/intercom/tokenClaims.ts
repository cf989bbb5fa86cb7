/**
 * Reads the time claims of a decoded JWT payload for people: `iat` and `exp` are Unix seconds,
 * which nobody can read at a glance.
 */
export function describeClaimTimes(payload: Record<string, unknown>, nowMs: number): string[] {
  const lines: string[] = [];
  const iat = seconds(payload.iat);
  const exp = seconds(payload.exp);
  if (iat !== null) lines.push(`Issued ${formatTime(iat)} (iat ${iat}).`);
  if (exp !== null) {
    const left = exp * 1000 - nowMs;
    lines.push(
      left > 0
        ? `Expires ${formatTime(exp)}, in ${formatDuration(left)} (exp ${exp}).`
        : `Expired ${formatTime(exp)}, ${formatDuration(-left)} ago (exp ${exp}).`,
    );
  }
  if (iat !== null && exp !== null && exp > iat) lines.push(`Lifetime: ${formatDuration((exp - iat) * 1000)}.`);
  return lines;
}

function seconds(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function formatTime(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

/** 5400000 → "1 h 30 min"; under a minute → "42 s". */
export function formatDuration(ms: number): string {
  const totalSeconds = Math.round(ms / 1000);
  const days = Math.floor(totalSeconds / 86_400);
  const hours = Math.floor((totalSeconds % 86_400) / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  if (totalSeconds < 60) return `${totalSeconds} s`;
  return [days && `${days} d`, hours && `${hours} h`, minutes && `${minutes} min`].filter(Boolean).join(' ');
}
