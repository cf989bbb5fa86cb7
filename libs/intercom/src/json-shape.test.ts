import fc from 'fast-check';
import { jsonShapeProblem } from './json-shape';

const limits = { maxDepth: 16, maxValues: 500 };
const bytes = (value: unknown) => Buffer.from(JSON.stringify(value));
const depthOf = (v: unknown): number =>
  v !== null && typeof v === 'object' ? 1 + Math.max(0, ...Object.values(v).map(depthOf)) : 0;

test('refuses exactly the JSON deeper than the limit', () => {
  fc.assert(
    fc.property(fc.jsonValue({ maxDepth: 24 }), (value) => {
      const problem = jsonShapeProblem(bytes(value), { ...limits, maxValues: Infinity });
      expect(problem).toBe(depthOf(value) > limits.maxDepth ? 'too_deep' : null);
    }),
  );
});

test('counts array items and members, whatever the strings and keys hold', () => {
  const text = fc.string({ unit: fc.constantFrom('[', ']', '{', '}', ',', '"', '\\', ':', 'a', 'é'), maxLength: 8 });
  fc.assert(
    fc.property(fc.array(text, { maxLength: 700 }), fc.boolean(), (items, asObject) => {
      const value = asObject ? Object.fromEntries(items.map((k, i) => [`${k}${i}`, k])) : items;
      const problem = jsonShapeProblem(bytes(value), limits);
      expect(problem).toBe(items.length > limits.maxValues ? 'too_many_values' : null);
    }),
    { numRuns: 60 },
  );
});

test('a string that only looks like structure is not counted', () => {
  expect(jsonShapeProblem(bytes({ a: '[{,'.repeat(10_000) }), limits)).toBeNull();
  expect(jsonShapeProblem(bytes({ a: '\\"[[[[[[[[[[[[[[[[[[[[' }), limits)).toBeNull();
});
