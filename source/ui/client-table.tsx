import {memo, useMemo} from 'react';
import {Box, Text} from 'ink';
import type {ClientRow} from '../engine/types.js';
import {
  columnHeadings,
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
};

/** `N more` below the window, and how many are above when scrolled. */
function moreText(above: number, below: number): string | undefined {
  if (below > 0 && above > 0) {
    return `${below} more below, ${above} above`;
  }

  if (below > 0) {
    return `${below} more`;
  }

  return above > 0 ? `${above} more above` : undefined;
}

function ClientTableView({
  rows,
  start,
  total,
  selected,
  now,
  width,
  emptyText,
}: ClientTableProps) {
  const table = useMemo(() => {
    const cells = rows.map((record, index) =>
      formatRow(record, now, start + index === selected),
    );
    const fit = fitColumns(cells, width);
    // Only the columns that fit, keyed by heading, the history cut to its most recent outcomes.
    const data = cells.map((row) => {
      const shown: Record<string, string> = {};
      const historyStart = Math.max(0, row.history.length - fit.historyLength);
      for (const column of fit.columns) {
        shown[columnHeadings[column]] =
          column === 'history' ? row.history.slice(historyStart) : row[column];
      }

      return shown;
    });
    const columns = fit.columns.map((column: ColumnId) => ({
      key: columnHeadings[column],
      align: rightAligned.has(column) ? ('right' as const) : ('left' as const),
    }));
    return {data, columns, kinds: fit.columns};
  }, [rows, start, selected, now, width]);

  if (total === 0) {
    return <Text dimColor>{emptyText}</Text>;
  }

  const more = moreText(start, total - start - rows.length);
  return (
    <Box flexDirection="column">
      {rows.length > 0 && (
        <HeartbeatTable
          data={table.data}
          columns={table.columns}
          kinds={table.kinds}
        />
      )}
      {more !== undefined && (
        <Text dimColor wrap="truncate-end">
          {more}
        </Text>
      )}
    </Box>
  );
}

/** The live table of clients: only the rows that fit, columns dropped when the terminal is narrow. */
export const ClientTable = memo(ClientTableView);
