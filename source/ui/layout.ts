/*
How the screen is shared out, as pure arithmetic on line counts, so the dashboard never draws more
lines than the terminal has: Ink clears the whole screen on every frame once its output reaches the
terminal's height, which flickers.
*/

/** One key (or group) and what it does, as the footer shows it. */
export type KeyHint = {readonly keys: string; readonly action: string};

/** Every key, compact, in the footer's order. */
export const keyHints: readonly KeyHint[] = [
  {keys: '+/-', action: 'loss±5'},
  {keys: ']/[', action: '±1'},
  {keys: '0-9', action: 'set'},
  {keys: 'L', action: 'exact'},
  {keys: '↑↓ PgUp/PgDn Home/End', action: 'move'},
  {keys: 's/S', action: 'sort'},
  {keys: '/', action: 'filter'},
  {keys: 'p', action: 'freeze'},
  {keys: 'r', action: 'reset'},
  {keys: 'x', action: 'forget stopped'},
  {keys: '?', action: 'help'},
  {keys: 'q', action: 'quit'},
];

const hintGap = 2;

function hintWidth(hint: KeyHint): number {
  return hint.keys.length + 1 + hint.action.length;
}

/** The key hints packed into as few lines of `width` columns as they fit, none split. */
export function footerLines(width: number): KeyHint[][] {
  const lines: KeyHint[][] = [];
  let line: KeyHint[] = [];
  let used = 0;
  for (const hint of keyHints) {
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

/** The table draws a rule between rows: N rows take 2N + 3 lines. */
export function tableHeight(rows: number): number {
  return rows > 0 ? 2 * rows + 3 : 1;
}

/** Lines left for the table (and its `N more` line) once everything else has its share. */
export function tableBudget(parts: {
  readonly terminalRows: number;
  readonly footerHeight: number;
  readonly promptOpen: boolean;
  readonly inputOpen: boolean;
}): number {
  // One line spare: output as tall as the terminal makes Ink clear the screen each frame.
  const available = parts.terminalRows - 1;
  return (
    available -
    headerHeight -
    statusHeight -
    parts.footerHeight -
    (parts.promptOpen ? idlePromptHeight : 0) -
    (parts.inputOpen ? inputLineHeight : 0)
  );
}

/** How many rows the table shows out of `total` in `budget` lines, keeping a line for `N more` if needed. */
export function rowsThatFit(budget: number, total: number): number {
  const withoutMoreLine = Math.floor((budget - 3) / 2);
  if (total <= withoutMoreLine) {
    return Math.max(0, total);
  }

  return Math.max(0, Math.min(total, Math.floor((budget - 4) / 2)));
}
