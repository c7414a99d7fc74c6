import asciichart from 'asciichart';
import {formatMs} from './format-cells.js';

/*
A client's series as a line chart, by asciichart: one multi-line string, drawn by a single Ink
`Text` (one layout node), in ASCII marks rather than asciichart's box-drawing ones, so that Ink
measures its lines on its fast path. Ink's cost per frame follows the cells it draws, so the chart is never
larger than its share of the terminal: one column per sample (or per mean of a few, when narrow)
and at most `maxChartHeight` lines.
*/

/** The tallest a chart is drawn, however tall the terminal: more lines cost more per frame. */
export const maxChartHeight = 10;

/** Columns of the y-axis labels and the axis itself (`  12.3ms |`). */
const labelWidth = 10;

/** asciichart's symbols in ASCII: the axis, its ticks, runs, and the corners of rises and falls. */
const asciiSymbols: [
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  string,
] = ['+', '|', '-', '-', '-', '\\', '/', '\\', '/', '|'];

/** At most `columns` values: the means of consecutive runs when there are more. */
export function fitSeries(
  values: readonly number[],
  columns: number,
): number[] {
  const finite = values.filter((value) => Number.isFinite(value));
  if (columns <= 0) {
    return [];
  }

  if (finite.length <= columns) {
    return finite;
  }

  const fitted: number[] = [];
  for (let column = 0; column < columns; column++) {
    const from = Math.floor((column * finite.length) / columns);
    const to = Math.floor(((column + 1) * finite.length) / columns);
    let sum = 0;
    for (let index = from; index < to; index++) {
      sum += finite[index]!;
    }

    fitted.push(sum / Math.max(1, to - from));
  }

  return fitted;
}

/** The chart of `values` in `width` columns and `height` lines; undefined when there is nothing to draw. */
export function chartOf(
  values: readonly number[],
  width: number,
  height: number,
): string | undefined {
  const fitted = fitSeries(values, width - labelWidth);
  if (fitted.length === 0 || height < 2) {
    return undefined;
  }

  return asciichart.plot(fitted, {
    // asciichart draws height + 1 lines.
    height: Math.min(maxChartHeight, height) - 1,
    format: (value: number) => formatMs(value).padStart(labelWidth - 2),
    symbols: asciiSymbols,
  });
}
