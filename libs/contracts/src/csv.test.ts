import { csvCell, csvLine, toCsv } from './csv';

describe('CSV cells are escaped as RFC 4180 says', () => {
  test('plain text and numbers are written as they are', () => {
    expect(csvCell('Acme Support')).toBe('Acme Support');
    expect(csvCell(42)).toBe('42');
    expect(csvCell(-1)).toBe('-1');
    expect(csvCell(0)).toBe('0');
  });

  test('empty values are empty cells', () => {
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell('')).toBe('');
    expect(csvCell(Number.NaN)).toBe('');
  });

  test('commas, quotes and line breaks are quoted, with quotes doubled', () => {
    expect(csvCell('Acme, Inc.')).toBe('"Acme, Inc."');
    expect(csvCell('The "best" app')).toBe('"The ""best"" app"');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('cr\rlf')).toBe('"cr\rlf"');
    expect(csvCell(' padded ')).toBe('" padded "');
  });

  test('booleans are words', () => {
    expect(csvCell(true)).toBe('true');
    expect(csvCell(false)).toBe('false');
  });
});

describe('text a spreadsheet would run as a formula is defused', () => {
  test.each(['=1+1', '+SUM(A1:A2)', '-2+3', '@SUM(A1)', '\t=1', '\r=1'])('%j starts with a quote mark', (text) => {
    const cell = csvCell(text);
    // Quoted or not, the first character a spreadsheet reads in the value is the apostrophe.
    expect(cell.replace(/^"/, '').startsWith("'")).toBe(true);
  });

  test('a formula that also needs quoting is guarded and quoted', () => {
    expect(csvCell('=HYPERLINK("http://evil.example","click")')).toBe(
      '"\'=HYPERLINK(""http://evil.example"",""click"")"',
    );
  });

  test('the characters are harmless anywhere but first', () => {
    expect(csvCell('a=b')).toBe('a=b');
    expect(csvCell('x-ray@home')).toBe('x-ray@home');
  });
});

test('a CSV file is a header and one CRLF-ended line per row', () => {
  expect(
    toCsv(
      ['name', 'count'],
      [
        ['Acme, Inc.', 3],
        ['=cmd', null],
      ],
    ),
  ).toBe('name,count\r\n"Acme, Inc.",3\r\n\'=cmd,\r\n');
});

test('a streamed line is the same cells, CRLF-ended', () => {
  expect(csvLine(['a', null, 'b', 7])).toBe('a,,b,7\r\n');
});
