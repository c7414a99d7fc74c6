import {memo, useEffect, useMemo} from 'react';
import {Text} from 'ink';
import type {ClientRow} from '../engine/types.js';
import {
  columnFloors,
  columnHeadings,
  columnIds,
  fitColumns,
  formatRow,
  rightAligned,
  type ColumnId,
} from './client-columns.js';
import {HeartbeatTable} from './heartbeat-table.js';

type ClientTableProps = {
  /** The rows that fit, already sorted, filtered and sliced. */
  readonly rows: readonly ClientRow[];
  /** Index of the first row shown in the whole sorted list. */
  readonly start: number;
  /** How many rows the filter kept, shown or not. */
  readonly total: number;
  /** Index of the selected row in the whole sorted list. */
  readonly selected: number;
  /** The clock reading that ages count from. */
  readonly now: number;
  /** Terminal columns. */
  readonly width: number;
  /** What to say when there is no row at all. */
  readonly emptyText: string;
  /** Told which columns are on screen whenever that changes (`s` sorts only by those). */
  readonly onColumns?: (columns: readonly ColumnId[]) => void;
};

function ClientTableView({
  rows,
  start,
  total,
  selected,
  now,
  width,
  emptyText,
  onColumns,
}: ClientTableProps) {
  const table = useMemo(() => {
    const cells = rows.map((record, index) =>
      formatRow(record, now, start + index === selected),
    );
    // Each column as wide as the widest value it can hold, or wider if these rows need it.
    const floors: Partial<Record<ColumnId, number>> = {...columnFloors};
    for (const column of columnIds) {
      for (const row of cells) {
        floors[column] = Math.max(floors[column] ?? 0, row[column].length);
      }
    }

    const fit = fitColumns(cells, width, floors);
    // Only the columns that fit, keyed by heading, the history cut to its most recent outcomes.
    const data = cells.map((row) => {
      const shown: Record<string, string> = {};
      const historyStart = Math.max(0, row.history.length - fit.historyLength);
      for (const column of fit.columns) {
        const text =
          column === 'history' ? row.history.slice(historyStart) : row[column];
        // Padded to the column's width, which the table would otherwise take from these rows.
        const size =
          column === 'history' ? fit.historyLength : (floors[column] ?? 0);
        shown[columnHeadings[column]] = rightAligned.has(column)
          ? text.padStart(size)
          : text.padEnd(size);
      }

      return shown;
    });
    const columns = fit.columns.map((column: ColumnId) => ({
      key: columnHeadings[column],
      align: rightAligned.has(column) ? ('right' as const) : ('left' as const),
    }));
    const shownSelected = selected - start;
    return {
      data,
      columns,
      kinds: fit.columns,
      selected:
        shownSelected >= 0 && shownSelected < rows.length
          ? shownSelected
          : undefined,
    };
  }, [rows, start, selected, now, width]);
  const shownColumns = table.kinds.join(' ');
  useEffect(() => {
    const shown = new Set(shownColumns.split(' '));
    onColumns?.(columnIds.filter((column) => shown.has(column)));
  }, [shownColumns, onColumns]);

  if (total === 0) {
    return <Text dimColor>{emptyText}</Text>;
  }

  // Rows above and below the window are counted on the status line, above the table.
  return rows.length > 0 ? (
    <HeartbeatTable
      data={table.data}
      columns={table.columns}
      kinds={table.kinds}
      selected={table.selected}
    />
  ) : null;
}

/** The live table of clients: only the rows that fit, columns dropped when the terminal is narrow. */
export const ClientTable = memo(ClientTableView);
