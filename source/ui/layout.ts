/*
How the screen is shared out, as pure arithmetic on line counts, so the dashboard never draws more
lines than the terminal has: Ink clears the whole screen on every frame once its output reaches the
terminal's height, which flickers.
*/

import {keyHints, type KeyHint} from './key-bindings.js';

export {keyHints, type KeyHint} from './key-bindings.js';

const hintGap = 2;

function hintWidth(hint: KeyHint): number {
  return hint.keys.length + 1 + hint.action.length;
}

/** The key hints packed into as few lines of `width` columns as they fit, none split. */
export function footerLines(
  width: number,
  hints: readonly KeyHint[] = keyHints,
): KeyHint[][] {
  const lines: KeyHint[][] = [];
  let line: KeyHint[] = [];
  let used = 0;
  for (const hint of hints) {
    const size = hintWidth(hint);
    if (line.length > 0 && used + hintGap + size > width) {
      lines.push(line);
      line = [];
      used = 0;
    }

    used += (line.length > 0 ? hintGap : 0) + size;
    line.push(hint);
  }

  if (line.length > 0) {
    lines.push(line);
  }

  return lines;
}

/** Lines the header takes. */
export const headerHeight = 2;
/** Lines the status line above the table takes. */
export const statusHeight = 1;
/** Lines the idle prompt takes (a bordered box). */
export const idlePromptHeight = 3;
/** Lines an input line (filter, exact loss) takes. */
export const inputLineHeight = 1;

/** Lines of the table around its rows: the top border, the headings, their rule, the bottom border. */
export const tableFrameHeight = 4;

/** One line per row, no rule between rows: N rows take N + 4 lines. */
export function tableHeight(rows: number): number {
  return rows > 0 ? rows + tableFrameHeight : 1;
}

/** Lines left for the table (and its `N more` line) once everything else has its share. */
export function tableBudget(parts: {
  readonly terminalRows: number;
  readonly footerHeight: number;
  /** The idle prompt or the reset question. */
  readonly promptOpen: boolean;
  readonly inputOpen: boolean;
  /** Lines the header takes, when not the usual two (a replay's has a third). */
  readonly headerHeight?: number;
}): number {
  // One line spare: output as tall as the terminal makes Ink clear the screen each frame.
  const available = parts.terminalRows - 1;
  return (
    available -
    (parts.headerHeight ?? headerHeight) -
    statusHeight -
    parts.footerHeight -
    (parts.promptOpen ? idlePromptHeight : 0) -
    (parts.inputOpen ? inputLineHeight : 0)
  );
}

/** The most rows the table can show in `budget` lines, with no `N more` line. */
export function rowCapacity(budget: number): number {
  return Math.max(0, budget - tableFrameHeight);
}

/**
 * How many rows the table shows out of `total` in `budget` lines. Rows above and below the window
 * are counted on the status line above the table, so no line of the budget goes to them.
 */
export function rowsThatFit(budget: number, total: number): number {
  return Math.max(0, Math.min(total, rowCapacity(budget)));
}

/** The footer when the table has too few lines for a single row: the key that lists the others. */
export const compactFooter: KeyHint[][] = [
  [
    {keys: '?', action: 'help, every key'},
    {keys: 'q', action: 'quit'},
  ],
];

/**
 * The footer's lines: every key when that leaves the table room for a row, else only `?` and `q`
 * (a 40x10 terminal would otherwise show keys and no client at all).
 */
export function fitFooter(parts: {
  readonly width: number;
  readonly terminalRows: number;
  readonly promptOpen: boolean;
  readonly inputOpen: boolean;
  readonly hints?: readonly KeyHint[];
  readonly headerHeight?: number;
}): KeyHint[][] {
  const full = footerLines(parts.width, parts.hints);
  const budget = tableBudget({...parts, footerHeight: full.length});
  return rowCapacity(budget) >= 1 || full.length <= 1 ? full : compactFooter;
}
