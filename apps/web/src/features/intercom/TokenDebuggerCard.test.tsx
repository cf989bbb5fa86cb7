import type { DebugTokenResult } from '@messenger-vault/contracts';
import { MantineProvider } from '@mantine/core';
import { renderToStaticMarkup } from 'react-dom/server';
import { Verdict } from './TokenDebuggerCard';

const text = (result: DebugTokenResult) =>
  renderToStaticMarkup(
    <MantineProvider>
      <Verdict result={result} />
    </MantineProvider>,
  )
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

const base: DebugTokenResult = {
  valid: true,
  header: { alg: 'HS256' },
  payload: null,
  problems: [],
  warnings: [],
  keyVersion: 2,
};
const missingExp = { code: 'missing_exp', message: 'The token has no exp (expiry time). Intercom accepts it.' };

test('valid with no warnings: "Valid token"', () => {
  const shown = text(base);
  expect(shown).toContain('Valid token Signed with key version 2');
  expect(shown).not.toMatch(/warning|Not valid/);
});

test('a token Intercom accepts but with warnings is still valid, and lists each warning', () => {
  const shown = text({ ...base, warnings: [missingExp] });
  expect(shown).toContain('Valid token, 1 warning');
  expect(shown).toContain('Intercom will accept it, but fix what is listed below');
  expect(shown).toContain('missing_exp The token has no exp');
  expect(shown).not.toContain('Not valid');
});

test('problems make it invalid; warnings are listed beside them', () => {
  const shown = text({
    ...base,
    valid: false,
    keyVersion: null,
    problems: [{ code: 'expired', message: 'The token expired 2 hours ago.' }],
    warnings: [missingExp],
  });
  expect(shown).toContain('Not valid: 1 problem');
  expect(shown).toContain('expired The token expired 2 hours ago.');
  expect(shown).toContain('missing_exp');
  expect(shown).not.toContain('Valid token');
});
