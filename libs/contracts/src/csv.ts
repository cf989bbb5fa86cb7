/**
 * CSV as RFC 4180 writes it and spreadsheets read it, the one rule for every export (the audit
 * trail from the API, the staff overview from the web): fields with a comma, quote or line
 * break, or with leading or trailing whitespace, are quoted (quotes doubled); lines end in CRLF.
 *
 * Tenant names, APP_IDs, emails and user agents are typed by people outside SalesMind, and a spreadsheet runs a cell
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

/** One CRLF-ended line: what a streamed export writes per row. */
export function csvLine(cells: readonly CsvValue[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return [header, ...rows].map(csvLine).join('');
}
