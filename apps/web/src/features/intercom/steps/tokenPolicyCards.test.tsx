import { MantineProvider } from '@mantine/core';
import type { IntercomSetup } from '@messenger-vault/contracts';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { TenantReadOnlyProvider } from '../../tenants/editLock';
import { DeclaredPlatformsCard } from './DeclaredPlatformsCard';
import { EmailUserIdsCard } from './EmailUserIdsCard';
import { attributeRowError, SignedAttributesCard } from './SignedAttributesCard';

const TENANT = '6f1c1a52-2b8e-4c55-9d1e-0d3c1d7e9a10';

function render(node: ReactNode, readOnly = false): string {
  const client = new QueryClient();
  return renderToStaticMarkup(
    <MantineProvider>
      <QueryClientProvider client={client}>
        <TenantReadOnlyProvider readOnly={readOnly}>{node}</TenantReadOnlyProvider>
      </QueryClientProvider>
    </MantineProvider>,
  );
}
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
const checkedValues = (html: string) =>
  [...html.matchAll(/<input[^>]*>/g)]
    .map((m) => m[0])
    .filter((tag) => / checked=""/.test(tag))
    .map((tag) => /value="([^"]+)"/.exec(tag)?.[1]);

test('step 3: the platforms checkboxes show what is declared and say why it matters', () => {
  const html = render(<DeclaredPlatformsCard tenantId={TENANT} declared={['web', 'android']} />);
  expect(checkedValues(html)).toEqual(['web', 'android']);
  expect(text(html)).toMatch(/done only when each one you tick has Messenger Security on/);
  const undeclared = text(render(<DeclaredPlatformsCard tenantId={TENANT} declared={null} />));
  expect(undeclared).toMatch(/Not declared yet/);
});

test('step 5: the email user id switch is off by default and explains why it is discouraged', () => {
  const html = render(<EmailUserIdsCard tenantId={TENANT} allowed={false} />);
  expect(checkedValues(html)).toEqual([]);
  expect(text(html)).toMatch(/Emails change/);
  expect(text(html)).toMatch(/personal data/);
  expect(text(html)).toMatch(/recorded in the audit trail/);
  expect(checkedValues(render(<EmailUserIdsCard tenantId={TENANT} allowed />))).toHaveLength(1);
});

test('step 4: the allow-list rows are checked like the API checks them', () => {
  const row = (name: string, type: 'string' | 'number' | 'boolean' = 'string', maxLength: number | string = '') => ({
    name,
    type,
    maxLength,
  });
  expect(attributeRowError(row('plan'), ['plan'])).toBeNull();
  expect(attributeRowError(row('exp'), ['exp'])).toMatch(/reserved/);
  expect(attributeRowError(row('constructor'), ['constructor'])).toMatch(/reserved/);
  expect(attributeRowError(row('9lives'), ['9lives'])).toMatch(/Start with a letter/);
  expect(attributeRowError(row('plan'), ['plan', 'plan'])).toMatch(/twice/);
  expect(attributeRowError(row('plan', 'string', 256), ['plan'])).toMatch(/1–255/);
  expect(attributeRowError(row('seats', 'number', 256), ['seats'])).toBeNull();
});

test('step 4: the card lists the stored attributes and warns in HMAC mode', () => {
  const setup = {
    identityMode: 'hmac',
    customAttributes: [{ name: 'plan', type: 'string', maxLength: 8 }],
    sessionDurationSeconds: 1800,
  } as IntercomSetup;
  const html = render(<SignedAttributesCard tenantId={TENANT} setup={setup} />);
  expect(html).toContain('value="plan"');
  expect(html).toContain('value="1800"');
  expect(text(html)).toMatch(/Legacy HMAC cannot sign attributes/);
  expect(
    text(render(<SignedAttributesCard tenantId={TENANT} setup={{ ...setup, identityMode: 'jwt' }} />)),
  ).not.toMatch(/Legacy HMAC/);
});
