import type {ClientRow} from '../engine/types.js';
import {historyLength, livenessStates} from '../vocabulary.js';
import {
  formatAge,
  formatCount,
  formatHistory,
  formatDelay,
  formatInterval,
  formatPercent,
} from './format-cells.js';

/** The table's columns, in the order they are drawn. */
export const columnIds = [
  'client',
  'state',
  'received',
  'replied',
  'dropped',
  'lost',
  'loss',
  'seq',
  'delay',
  'interval',
  'lastSeen',
  'history',
] as const;

export type ColumnId = (typeof columnIds)[number];

/** Column headings; the table keys its cells by these, so they are also the row objects' keys. */
export const columnHeadings: Readonly<Record<ColumnId, string>> = {
  client: 'client',
  state: 'state',
  received: 'recv',
  replied: 'replied',
  dropped: 'dropped',
  lost: 'lost',
  loss: 'loss%',
  seq: 'seq',
  delay: 'delay',
  interval: 'interval',
  lastSeen: 'last seen',
  history: 'history',
};

/** Numbers read best right-aligned. */
export const rightAligned: ReadonlySet<ColumnId> = new Set([
  'received',
  'replied',
  'dropped',
  'lost',
  'loss',
  'seq',
  'delay',
  'interval',
  'lastSeen',
]);

/**
 * Which columns go first when the terminal is too narrow: detail before the essentials, in groups
 * that still add up. The counts go together (recv = replied + dropped, and lost beside them), so
 * a narrow row never reads `recv 11  lost 3  loss% 64.3%` without the parts between; client,
 * state and loss% are never dropped; last seen goes last. The history strip is elastic: it shrinks
 * to `minHistory` outcomes before anything is dropped after it in this list.
 */
export const dropOrder: ReadonlyArray<readonly ColumnId[]> = [
  ['interval'],
  ['seq'],
  ['history'],
  ['delay'],
  ['received', 'replied', 'dropped', 'lost'],
  ['lastSeen'],
];

/** Fewest outcomes the history strip shows before it is dropped altogether. */
export const minHistory = 8;

/** One row's cells, every column, as plain ASCII text. */
export type RowCells = Readonly<Record<ColumnId, string>>;

/** The cells of one client's row; `selected` marks the row the cursor is on. */
export function formatRow(
  record: ClientRow,
  now: number,
  selected: boolean,
): RowCells {
  return {
    // A named client shows its name; its address is in the detail view.
    client: `${selected ? '>' : ' '} ${record.name ?? record.key}`,
    state: record.state,
    received: formatCount(record.received),
    replied: formatCount(record.replied),
    dropped: formatCount(record.dropped),
    lost: formatCount(record.lost),
    loss: formatPercent(record.lossPercent),
    seq: formatCount(record.lastSeq),
    delay: formatDelay(record.delayLastMs),
    interval: formatInterval(record.intervalMeanMs, record.intervalStdDevMs),
    lastSeen: formatAge(record.lastSeen, now),
    history: formatHistory(record.history, historyLength),
  };
}

/** The columns that fit and how many outcomes of history each row shows. */
export type ColumnFit = {
  readonly columns: readonly ColumnId[];
  readonly historyLength: number;
};

/**
 * The widest text each column can hold, so that a column keeps its width as values change: the
 * longest state name, a loss of 100.0%, six-digit counts, an age under a minute. Wider values still widen
 * their column.
 */
export const columnFloors: Readonly<Partial<Record<ColumnId, number>>> = {
  state: Math.max(...livenessStates.map((state) => state.length)),
  received: 6,
  replied: 6,
  dropped: 6,
  lost: 6,
  loss: '100.0%'.length,
  seq: 6,
  delay: '-1234ms'.length,
  interval: '1000 +-100ms'.length,
  lastSeen: '59.9s ago'.length,
  history: historyLength,
};

/** Width of a column as the table draws it: the widest text plus a space each side. */
function columnWidth(
  rows: readonly RowCells[],
  column: ColumnId,
  floors: Readonly<Partial<Record<ColumnId, number>>>,
): number {
  let widest = Math.max(columnHeadings[column].length, floors[column] ?? 0);
  for (const row of rows) {
    widest = Math.max(widest, row[column].length);
  }

  return widest + 2;
}

/**
 * The columns that fit in `width` terminal columns, dropping the least needed first rather than
 * letting every line wrap. Widths are counted as the table counts them: String.length and a space
 * each side of a column's widest text, with no border between columns.
 */
export function fitColumns(
  rows: readonly RowCells[],
  width: number,
  floors: Readonly<Partial<Record<ColumnId, number>>> = {},
): ColumnFit {
  const widths = new Map(
    columnIds.map((column) => [column, columnWidth(rows, column, floors)]),
  );
  const longestHistory = (widths.get('history') ?? 2) - 2;
  const wantedHistory = Math.min(longestHistory, minHistory);
  const shown = new Set<ColumnId>(columnIds);
  const drops = [...dropOrder];
  for (;;) {
    let fixed = 0;
    for (const column of shown) {
      if (column !== 'history') {
        fixed += widths.get(column)!;
      }
    }

    if (shown.has('history')) {
      // What is left for the strip, less its padding.
      const room = width - fixed - 2;
      const heading = columnHeadings.history.length;
      if (room >= Math.max(wantedHistory, heading)) {
        return {
          columns: columnIds.filter((column) => shown.has(column)),
          historyLength: Math.min(longestHistory, room),
        };
      }
    } else if (fixed <= width) {
      return {
        columns: columnIds.filter((column) => shown.has(column)),
        historyLength: 0,
      };
    }

    const next = drops.shift();
    if (next === undefined) {
      // Nothing more to drop: the essentials, even if the terminal is narrower still.
      return {
        columns: columnIds.filter((column) => shown.has(column)),
        historyLength: 0,
      };
    }

    for (const column of next) {
      shown.delete(column);
    }
  }
}
