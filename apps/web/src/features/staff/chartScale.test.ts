import { labelStride, labelledDays, linePath, niceStep, valueTicks, xAt, yAt } from './chartScale';

const plot = { left: 40, top: 10, width: 300, height: 100 };

describe('the value axis steps by 1, 2 or 5 × 10ⁿ', () => {
  test.each([
    [0, 1],
    [0.3, 1],
    [1, 1],
    [1.5, 2],
    [2, 2],
    [3, 5],
    [7, 10],
    [25, 50],
    [50, 50],
    [120, 200],
    [0.3 / 0.1, 5],
  ])('niceStep(%p) is %p', (raw, step) => {
    expect(niceStep(raw)).toBe(step);
  });

  test('ticks start at 0 and reach at least the largest count', () => {
    expect(valueTicks(7)).toEqual([0, 2, 4, 6, 8]);
    expect(valueTicks(100)).toEqual([0, 50, 100]);
    expect(valueTicks(4)).toEqual([0, 1, 2, 3, 4]);
    expect(valueTicks(1234)).toEqual([0, 500, 1000, 1500]);
  });

  test('no tokens at all still draws an axis from 0 to 1', () => {
    expect(valueTicks(0)).toEqual([0, 1]);
  });

  test('every tick is a whole number of tokens', () => {
    for (let max = 0; max < 500; max += 7) {
      for (const tick of valueTicks(max)) expect(Number.isInteger(tick)).toBe(true);
      expect(valueTicks(max).at(-1)!).toBeGreaterThanOrEqual(max);
    }
  });
});

describe('where points land', () => {
  test('the first day is at the left edge, the last at the right', () => {
    expect(xAt(0, 14, plot)).toBe(40);
    expect(xAt(13, 14, plot)).toBe(340);
    expect(xAt(1, 3, plot)).toBe(190);
  });

  test('a single day sits in the middle', () => {
    expect(xAt(0, 1, plot)).toBe(190);
  });

  test('0 is at the bottom, the top tick at the top, values past it are clamped', () => {
    expect(yAt(0, 10, plot)).toBe(110);
    expect(yAt(10, 10, plot)).toBe(10);
    expect(yAt(5, 10, plot)).toBe(60);
    expect(yAt(50, 10, plot)).toBe(10);
    expect(yAt(-3, 10, plot)).toBe(110);
    expect(yAt(3, 0, plot)).toBe(110);
  });

  test('a series becomes one path from left to right', () => {
    expect(linePath([0, 5, 10], 10, plot)).toBe('M40,110 L190,60 L340,10');
  });
});

describe('day labels never crowd', () => {
  test('wide plots label every day, narrow ones every few', () => {
    expect(labelStride(14, 900)).toBe(1);
    expect(labelStride(14, 300)).toBe(3);
    expect(labelStride(30, 300)).toBe(6);
    expect(labelStride(1, 10)).toBe(1);
  });

  test('the newest day always has its label', () => {
    expect(labelledDays(14, 3)).toEqual([1, 4, 7, 10, 13]);
    expect(labelledDays(5, 1)).toEqual([0, 1, 2, 3, 4]);
  });
});
