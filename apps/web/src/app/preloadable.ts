import { type ComponentType, lazy } from 'react';

/**
 * `React.lazy` for a page's code that can also be asked for before the page renders. Once the
 * module has arrived the component renders at once, without suspending for a tick: a native
 * promise always answers later, and the Suspense fallback it shows meanwhile makes React hold the
 * page back (its fallback throttle) and render it in a separate pass (decision 0060).
 */
export function preloadable<M, K extends keyof M>(
  load: () => Promise<M>,
  name: K,
): { Component: M[K] extends ComponentType<infer P> ? ComponentType<P> : never; preload: () => Promise<M> } {
  let loaded: M | undefined;
  let loading: Promise<M> | undefined;
  const preload = () => (loading ??= load().then((module) => (loaded = module)));
  const Component = lazy(() => {
    const pick = (module: M) => ({ default: module[name] as ComponentType<unknown> });
    if (loaded) {
      const module = loaded;
      // A thenable that answers synchronously: React.lazy reads it in the same render (its
      // types ask for a Promise, it only ever calls `then`).
      const answered = {
        then: (resolve: (value: { default: ComponentType<unknown> }) => void) => resolve(pick(module)),
      };
      return answered as unknown as Promise<{ default: ComponentType<unknown> }>;
    }
    return preload().then(pick);
  });
  return { Component: Component as never, preload };
}
