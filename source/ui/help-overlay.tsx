import {useCallback} from 'react';
import {Box, Text, useInput} from 'ink';
import {outcomeSymbols} from './format-cells.js';
import {sortColumns, sortLabels} from './select-rows.js';

type HelpOverlayProps = {
  /** Called on any key. */
  readonly onClose: () => void;
  /** False while something else (the idle prompt) has the keys. */
  readonly isActive: boolean;
};

const keys: ReadonlyArray<readonly [string, string]> = [
  ['+ / -', 'loss up / down 5 points'],
  ['] / [', 'loss up / down 1 point'],
  ['0-9', 'loss 0 %, 10 %, ... 90 %'],
  [
    'L',
    'type an exact loss, 0-100, decimals allowed (Enter applies, Esc cancels)',
  ],
  ['Up / Down', 'move the selection one client'],
  ['PgUp / PgDn', 'move the selection one page'],
  ['Home / End', 'first / last client'],
  [
    's',
    `sort by the next column: ${sortColumns.map((column) => sortLabels[column]).join(', ')}`,
  ],
  ['S', 'reverse the sort'],
  ['/', 'filter clients by address (Enter applies, empty clears, Esc cancels)'],
  ['Esc', 'clear the filter'],
  ['p', 'freeze the display; recording goes on (p again resumes)'],
  ['r', "reset every client's counters"],
  ['x', 'forget stopped clients'],
  ['?', 'this help'],
  ['q / Ctrl+C', 'quit and print the summary'],
];

const legend: ReadonlyArray<readonly [string, string]> = [
  [outcomeSymbols.replied, 'replied'],
  [outcomeSymbols.dropped, 'dropped by the loss'],
  [outcomeSymbols.lost, 'lost'],
  [outcomeSymbols.malformed, 'malformed'],
];

/** Every key and the history legend, in 21 lines so it fits a 24-line terminal; any key closes it. */
export function HelpOverlay({onClose, isActive}: HelpOverlayProps) {
  const handleInput = useCallback(() => {
    onClose();
  }, [onClose]);
  useInput(handleInput, {isActive});

  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text bold wrap="truncate-end">
        Keys <Text dimColor>(any key closes this help)</Text>
      </Text>
      {keys.map(([key, action]) => (
        <Text key={key} wrap="truncate-end">
          <Text bold color="cyan">
            {key.padEnd(12)}
          </Text>
          {action}
        </Text>
      ))}
      <Text wrap="truncate-end">
        <Text bold>History strip</Text>
        {' (oldest first): '}
        {legend.map(([symbol, meaning], index) => (
          <Text key={symbol}>
            {index > 0 && '  '}
            <Text bold>{symbol}</Text>
            {` ${meaning}`}
          </Text>
        ))}
      </Text>
      <Text wrap="truncate-end">
        <Text bold>Idle prompt</Text>: y shuts down; n or Esc keeps serving
        until the next idle period
      </Text>
    </Box>
  );
}
