import { MantineProvider } from '@mantine/core';
import type { IntercomSetup, PlatformStatus } from '@messenger-vault/contracts';
import { MemoryRouter } from 'react-router';
import { SetupProgressCard } from './intercom/SetupProgressCard';
import type { ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { PlatformBadge } from './intercom/PlatformBadge';
import { EditLock, TenantReadOnlyProvider } from './tenants/editLock';

const render = (node: ReactElement) => renderToStaticMarkup(<MantineProvider>{node}</MantineProvider>);
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

const status = (over: Partial<PlatformStatus>): PlatformStatus => ({
  securityEnabled: false,
  enabledAt: null,
  lastTokenAt: null,
  tokensLast24h: 0,
  ...over,
});

test('a platform badge says in words whether the platform is protected, not only by colour', () => {
  const on = text(
    render(
      <PlatformBadge
        status={status({ securityEnabled: true, tokensLast24h: 12, lastTokenAt: new Date().toISOString() })}
      />,
    ),
  );
  const silent = text(render(<PlatformBadge status={status({ securityEnabled: true })} />));
  const off = text(render(<PlatformBadge status={status({})} />));
  expect(new Set([on, silent, off]).size).toBe(3);
  expect(off.toLowerCase()).toContain('off');
  expect(silent.toLowerCase()).toMatch(/traffic/);
});

test('while staff view a tenant read-only, the form fields sit in a disabled fieldset; editing unlocks them', () => {
  const form = (
    <EditLock>
      <label>
        Name <input name="name" />
      </label>
      <button type="submit">Save</button>
    </EditLock>
  );
  const locked = renderToStaticMarkup(<TenantReadOnlyProvider readOnly>{form}</TenantReadOnlyProvider>);
  expect(locked).toMatch(/<fieldset[^>]*disabled/);
  expect(locked).toContain('<button type="submit">Save</button>');
  const unlocked = renderToStaticMarkup(<TenantReadOnlyProvider readOnly={false}>{form}</TenantReadOnlyProvider>);
  expect(unlocked).not.toMatch(/<fieldset[^>]*disabled/);
});

test("the setup card follows the server's steps, names all five and links to the next one to do", () => {
  const steps = (
    ['app_id', 'secret_key', 'messenger_security', 'best_practices', 'identity_verification'] as const
  ).map((key, i) => ({
    id: i + 1,
    key,
    title: `Step ${i + 1}`,
    done: i < 2,
  }));
  const setup = { steps } as unknown as IntercomSetup;
  const html = render(
    <MemoryRouter>
      <SetupProgressCard tenantId="t-1" setup={setup} />
    </MemoryRouter>,
  );
  expect(html).toContain('Setup progress: 2 of 5 steps done');
  expect(text(html).match(/— done/g)).toHaveLength(2);
  expect(text(html).match(/— to do/g)).toHaveLength(3);
  expect(text(html)).toContain('Continue setup');
  expect(html).toMatch(/href="\/tenants\/t-1\/setup\/[a-z-]+"/);
});
