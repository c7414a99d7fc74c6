import {memo, type ReactNode} from 'react';
import {Box, Text} from 'ink';
import {Table} from '@alcalzone/ink-table';
import type {ColumnId} from './client-columns.js';
import {styledCell} from './cell-style.js';

/** A row of the table: its cells by heading. */
export type TableRowData = Record<string, string>;

type Column = ReturnType<Table<TableRowData>['getColumns']>[number];

function pad(text: string, column: Column): string {
  const spaces = column.width - text.length;
  // One space of padding on the side the text is aligned to, the rest on the other.
  return column.align === 'right'
    ? `${' '.repeat(spaces - 1)}${text} `
    : ` ${text}${' '.repeat(spaces - 1)}`;
}

function rule(
  columns: readonly Column[],
  left: string,
  cross: string,
  right: string,
): string {
  return `${left}${columns.map((column) => '─'.repeat(column.width)).join(cross)}${right}`;
}

type TableLineProps = {
  /** The cells, padded to their widths. */
  readonly cells: readonly string[];
  readonly kinds: readonly ColumnId[];
};

function TableLineView({cells, kinds}: TableLineProps) {
  const parts: ReactNode[] = ['│'];
  for (const [index, cell] of cells.entries()) {
    parts.push(styledCell(kinds[index], cell, index), '│');
  }

  return <Text wrap="truncate-end">{parts}</Text>;
}

/** One client: one `<Text>`, so one layout node, whatever its cells. */
const TableLine = memo(
  TableLineView,
  (before, after) =>
    before.kinds === after.kinds &&
    before.cells.length === after.cells.length &&
    before.cells.every((cell, index) => cell === after.cells[index]),
);

/**
 * The client table: ink-table's column sizing (`getColumns`), drawn one line per client with no
 * rule between rows, each line one `<Text>` of padded cells, rows keyed by position. Ink lays out
 * one node per line rather than ink-table's 25 (a Box per row, a Text per cell and per border),
 * and a row that did not change is not rendered again.
 */
export class HeartbeatTable extends Table<TableRowData> {
  declare readonly props: Table<TableRowData>['props'] & {
    /** The column each position holds, for the cell colours. */
    readonly kinds: readonly ColumnId[];
  };

  override render() {
    const columns = this.getColumns();
    const {data} = this.props;
    return (
      <Box flexDirection="column">
        <Text>{rule(columns, '┌', '┬', '┐')}</Text>
        <Text wrap="truncate-end">
          │
          {columns.map((column) => [
            <Text key={column.key} bold color="blue">
              {pad(column.key, column)}
            </Text>,
            '│',
          ])}
        </Text>
        <Text>{rule(columns, '├', '┼', '┤')}</Text>
        {data.map((row, index) => (
          <TableLine
            // Rows are keyed by position: a row whose values changed is updated, never remounted.
            // eslint-disable-next-line react/no-array-index-key
            key={index}
            cells={columns.map((column) => pad(row[column.key] ?? '', column))}
            kinds={this.props.kinds}
          />
        ))}
        <Text>{rule(columns, '└', '┴', '┘')}</Text>
      </Box>
    );
  }
}
