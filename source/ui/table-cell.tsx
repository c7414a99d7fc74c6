import {createContext, useContext, type ReactNode} from 'react';
import {Text} from 'ink';
import type {Liveness} from '../store/types.js';
import type {ColumnId} from './client-columns.js';
import {outcomeSymbols} from './format-cells.js';

/** Which column each position of the table holds: the table tells a cell only its position. */
export const CellColumns = createContext<readonly ColumnId[]>([]);

export const stateColors: Readonly<Record<Liveness, string>> = {
  alive: 'green',
  late: 'yellow',
  stopped: 'red',
};

/** The same colours looked up by a cell's text. */
const stateColorsByText: ReadonlyMap<string, string> = new Map(
  Object.entries(stateColors),
);

const symbolColors: Readonly<Record<string, string>> = {
  [outcomeSymbols.replied]: 'green',
  [outcomeSymbols.dropped]: 'yellow',
  [outcomeSymbols.lost]: 'red',
  [outcomeSymbols.malformed]: 'magenta',
};

/** Runs of one symbol, so a strip of 24 outcomes takes a few Text nodes rather than 24. */
function historyRuns(text: string): Array<{symbol: string; run: string}> {
  const runs: Array<{symbol: string; run: string}> = [];
  for (const symbol of text) {
    const last = runs.at(-1);
    if (last?.symbol === symbol) {
      last.run += symbol;
    } else {
      runs.push({symbol, run: symbol});
    }
  }

  return runs;
}

type TableCellProps = {
  /** Position of the column, from the table. */
  readonly column: number;
  /** The cell's text, already padded by the table. */
  readonly children?: ReactNode;
};

/** One cell of the client table: the state coloured, the history strip coloured by outcome, the selected client inverse. */
export function TableCell({column, children}: TableCellProps) {
  const columns = useContext(CellColumns);
  const text =
    typeof children === 'string' || typeof children === 'number'
      ? String(children)
      : '';
  const kind = columns[column];
  if (kind === 'state') {
    return <Text color={stateColorsByText.get(text.trim())}>{text}</Text>;
  }

  if (kind === 'history') {
    return (
      <Text>
        {historyRuns(text).map(({symbol, run}, index) => (
          // Runs never move: their index is their identity.
          // eslint-disable-next-line react/no-array-index-key
          <Text key={index} color={symbolColors[symbol]}>
            {run}
          </Text>
        ))}
      </Text>
    );
  }

  if (kind === 'client' && text.trimStart().startsWith('>')) {
    return (
      <Text inverse bold>
        {text}
      </Text>
    );
  }

  return <Text>{text}</Text>;
}
