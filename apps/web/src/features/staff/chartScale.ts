/**
 * The arithmetic of the token chart, apart from drawing it: the value axis rounded to steps a
 * person reads at a glance (1, 2, 5 × 10ⁿ), where each day and count lands in the plot, and how
 * many day labels fit under it.
 */
export interface PlotArea {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** The smallest of 1, 2, 5, 10, 20, 50, … at or above `raw`; never below 1, tokens are whole. */
export function niceStep(raw: number): number {
  if (!(raw > 1)) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  const unit = raw / power;
  // A little slack for floating point: 0.3 / 0.1 is 2.9999999999999996, which is 3, not 5.
  const nice = unit <= 1 + 1e-9 ? 1 : unit <= 2 + 1e-9 ? 2 : unit <= 5 + 1e-9 ? 5 : 10;
  return nice * power;
}

/** Ticks of the value axis from 0 to the first nice step at or above `max`: about `count` steps. */
export function valueTicks(max: number, count = 4): number[] {
  const step = niceStep(Math.max(0, max) / count);
  const steps = Math.max(1, Math.ceil(Math.max(0, max) / step));
  return Array.from({ length: steps + 1 }, (_, index) => index * step);
}

/** The horizontal centre of day `index` of `count`; a single day sits in the middle. */
export function xAt(index: number, count: number, plot: PlotArea): number {
  if (count <= 1) return plot.left + plot.width / 2;
  return plot.left + (index * plot.width) / (count - 1);
}

/** Where `value` lands between 0 (bottom of the plot) and `top` (its top edge). */
export function yAt(value: number, top: number, plot: PlotArea): number {
  const share = top > 0 ? Math.min(Math.max(value / top, 0), 1) : 0;
  return plot.top + plot.height * (1 - share);
}

/** An SVG path through one series: `M x,y L x,y …`, rounded to a tenth of a pixel. */
export function linePath(values: readonly number[], top: number, plot: PlotArea): string {
  return values
    .map((value, index) => {
      const x = round(xAt(index, values.length, plot));
      const y = round(yAt(value, top, plot));
      return `${index === 0 ? 'M' : 'L'}${x},${y}`;
    })
    .join(' ');
}

/** Label every n-th day so labels at least `minGap` pixels apart fit; the last day is always labelled. */
export function labelStride(count: number, plotWidth: number, minGap = 56): number {
  if (count <= 1) return 1;
  const fitting = Math.max(1, Math.floor(plotWidth / minGap));
  return Math.max(1, Math.ceil(count / fitting));
}

/** Which day indexes carry a label, counted back from the newest so today is always named. */
export function labelledDays(count: number, stride: number): number[] {
  const days: number[] = [];
  for (let index = count - 1; index >= 0; index -= stride) days.unshift(index);
  return days;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
