/**
 * CSV as RFC 4180 writes it and spreadsheets read it: fields with a comma, quote or line break
 * are quoted (quotes doubled), lines end in CRLF.
 *
 * Tenant names and APP_IDs are typed by people outside SalesMind, and a spreadsheet runs a cell
 * that starts with `=`, `+`, `-` or `@` (or a tab or carriage return, which some strip first) as a
 * formula: `=HYPERLINK(…)` in a tenant's name would run on a staff laptop. Such text gets a
 * leading `'`, which spreadsheets show as text (OWASP's advice on CSV injection). Numbers are
 * ours and are written as they are, so `-1` stays a number.
 */
export type CsvValue = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
