import { csvCell, csvLine } from './audit-csv';

test('cells with commas, quotes or line breaks are quoted, quotes doubled', () => {
  expect(csvCell('plain')).toBe('plain');
  expect(csvCell('a,b')).toBe('"a,b"');
  expect(csvCell('say "hi"')).toBe('"say ""hi"""');
  expect(csvCell('two\nlines')).toBe('"two\nlines"');
  expect(csvCell(null)).toBe('');
});

test.each(['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx'])('%j cannot run as a spreadsheet formula', (value) => {
  expect(csvCell(value).replace(/^"/, '').startsWith("'")).toBe(true);
});

test('a formula with a comma is both guarded and quoted', () => {
  expect(csvCell('=HYPERLINK("http://x","y")')).toBe('"\'=HYPERLINK(""http://x"",""y"")"');
});

test('lines end with CRLF', () => {
  expect(csvLine(['a', null, 'b'])).toBe('a,,b\r\n');
});
