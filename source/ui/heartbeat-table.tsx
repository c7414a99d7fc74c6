import {memo} from 'react';
import {Box, Text} from 'ink';
import {Table} from '@alcalzone/ink-table';
import chalk from 'chalk';
import {livenessStates, type Liveness} from '../vocabulary.js';
import type {ColumnId} from './client-columns.js';
import {paint, stateStyles} from './text-styles.js';

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

const states: ReadonlySet<string> = new Set(livenessStates);

function isLiveness(text: string): text is Liveness {
  return states.has(text);
}

/**
 * One client's line as one string: the cells padded and side by side, the state (the only
 * colour) as one span. Plain ASCII otherwise, so Ink measures and splits it on its fast paths.
 */
export function rowLine(
  cells: readonly string[],
  kinds: readonly ColumnId[],
): string {
  let line = '';
  for (const [index, cell] of cells.entries()) {
    const state = cell.trim();
    line +=
      kinds[index] === 'state' && isLiveness(state)
        ? paint(stateStyles[state], cell)
        : cell;
  }

  return line;
}

type TableLineProps = {
  /** The whole line, built once. */
  readonly line: string;
};

function TableLineView({line}: TableLineProps) {
  return <Text wrap="truncate-end">{line}</Text>;
}

/** One client: one memoised `<Text>` of one string, drawn again only when the string changes. */
const TableLine = memo(TableLineView);

/**
 * The client table: ink-table's column sizing (`getColumns`), drawn as plain lines the way htop
 * draws its process list: the headings in inverse video, one line per client, no rules. Each line
 * is one `<Text>` holding one pre-built string, rows keyed by position, so Ink lays out one node per
 * line and React renders again only the lines whose text changed. The selected client carries a
 * `>` marker, and its line is in inverse video where there is colour.
 */
export class HeartbeatTable extends Table<TableRowData> {
  declare readonly props: Table<TableRowData>['props'] & {
    /** The column each position holds: the state column is the one coloured. */
    readonly kinds: readonly ColumnId[];
    /** Index of the selected row in `data`, if it is shown. */
    readonly selected?: number;
  };

  override render() {
    const columns = this.getColumns();
    const {data, kinds, selected} = this.props;
    const heading = columns.map((column) => pad(column.key, column)).join('');
    return (
      <Box flexDirection="column">
        <TableLine line={chalk.inverse.bold(heading)} />
        {data.map((row, index) => {
          const line = rowLine(
            columns.map((column) => pad(row[column.key] ?? '', column)),
            kinds,
          );
          return (
            <TableLine
              // Rows are keyed by position: a row whose values changed is updated, never remounted.
              // eslint-disable-next-line react/no-array-index-key
              key={index}
              line={index === selected ? chalk.inverse(line) : line}
            />
          );
        })}
      </Box>
    );
  }
}
