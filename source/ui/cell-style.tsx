import type {ReactNode} from 'react';
import {Text} from 'ink';
import type {ColumnId} from './client-columns.js';
import {stateStyles, symbolStyles, type TextStyle} from './text-styles.js';

/** The state styles looked up by a cell's text. */
const stateStylesByText: ReadonlyMap<string, TextStyle> = new Map(
  Object.entries(stateStyles),
);

/** Runs of one symbol, so a strip of 24 outcomes takes a few Text elements rather than 24. */
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

/**
 * One cell of a client row, already padded: the state coloured, the history strip coloured by
 * outcome, the selected client inverse, the rest plain text. Nested inside the row's one `<Text>`,
 * so that it costs no layout node of its own.
 */
export function styledCell(
  kind: ColumnId | undefined,
  text: string,
  key: number,
): ReactNode {
  if (kind === 'state') {
    return (
      <Text key={key} {...stateStylesByText.get(text.trim())}>
        {text}
      </Text>
    );
  }

  if (kind === 'history') {
    return (
      <Text key={key}>
        {historyRuns(text).map(({symbol, run}, index) => (
          // Runs never move: their index is their identity.
          // eslint-disable-next-line react/no-array-index-key
          <Text key={index} {...symbolStyles.get(symbol)}>
            {run}
          </Text>
        ))}
      </Text>
    );
  }

  if (kind === 'client' && text.trimStart().startsWith('>')) {
    return (
      <Text key={key} inverse bold>
        {text}
      </Text>
    );
  }

  return text;
}
