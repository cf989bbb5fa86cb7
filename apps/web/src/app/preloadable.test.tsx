import { type ComponentType, Suspense } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { preloadable } from './preloadable';

function Page({ name }: { name: string }) {
  return <p>Hello {name}</p>;
}

const render = (Component: ComponentType<{ name: string }>) =>
  renderToStaticMarkup(
    <Suspense fallback={<p>Loading…</p>}>
      <Component name="Ada" />
    </Suspense>,
  );

describe('preloadable', () => {
  it('renders in the same pass once preloaded, where React.lazy would suspend first', async () => {
    let loads = 0;
    const page = preloadable(async () => {
      loads++;
      return { Page };
    }, 'Page');

    await page.preload();

    expect(render(page.Component)).toBe('<p>Hello Ada</p>');
    expect(loads).toBe(1);
  });

  it('suspends like React.lazy when nothing asked for it, and downloads once', async () => {
    let loads = 0;
    const page = preloadable(async () => {
      loads++;
      return { Page };
    }, 'Page');

    expect(render(page.Component)).toBe('<p>Loading…</p>');
    await page.preload();
    await page.preload();

    expect(loads).toBe(1);
  });
});
