import {sortColumns, type SortColumn} from '../engine/types.js';

export {sortColumns, type SortColumn} from '../engine/types.js';

/** How the status line names each sort column. */
export const sortLabels: Readonly<Record<SortColumn, string>> = {
  client: 'client',
  state: 'state',
  received: 'recv',
  loss: 'loss%',
  delay: 'delay',
  interval: 'interval',
  lastSeen: 'last seen',
};

/**
 * The direction `s` picks for each column: the one an operator looks for first (worst state,
 * highest loss, longest delay, most recently seen).
 */
export const defaultDescending: Readonly<Record<SortColumn, boolean>> = {
  client: false,
  state: true,
  received: true,
  loss: true,
  delay: true,
  interval: true,
  lastSeen: false,
};

/**
 * The column after `column`, wrapping round; only among the columns on screen when they are
 * known, so that `s` never sorts by a column the narrow table left out.
 */
export function nextSortColumn(
  column: SortColumn,
  onScreen?: ReadonlySet<string>,
): SortColumn {
  const index = sortColumns.indexOf(column);
  for (let step = 1; step <= sortColumns.length; step++) {
    const next = sortColumns[(index + step) % sortColumns.length]!;
    if (onScreen === undefined || onScreen.has(next)) {
      return next;
    }
  }

  return column;
}

/** The cursor and scroll position that keep the selected row inside a window of `visible` rows. */
export function fitWindow(
  selected: number,
  top: number,
  visible: number,
  total: number,
): {readonly selected: number; readonly top: number} {
  const chosen = clamp(selected, 0, Math.max(0, total - 1));
  let first = top;
  if (chosen < first) {
    first = chosen;
  } else if (visible > 0 && chosen >= first + visible) {
    first = chosen - visible + 1;
  }

  return {
    selected: chosen,
    top: clampStart(first, Math.max(1, visible), total),
  };
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(Math.max(value, low), high);
}

/** Where a window of `count` rows from `start` really starts: never past the end. */
function clampStart(start: number, count: number, total: number): number {
  return clamp(start, 0, Math.max(0, total - Math.max(0, count)));
}
