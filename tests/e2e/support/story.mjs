import { test as nodeTest } from 'node:test';

/**
 * A browser scenario is one story told in order: once a chapter fails, the later ones are skipped
 * (reported as skipped, never as passed) rather than piling up timeouts that hide the first failure.
 */
export function storyTest() {
  let failedEarlier = null;
  return function test(name, fn) {
    nodeTest(name, async (t) => {
      if (failedEarlier) return t.skip(`after "${failedEarlier}" failed`);
      try {
        await fn(t);
      } catch (error) {
        failedEarlier = name;
        throw error;
      }
    });
  };
}
