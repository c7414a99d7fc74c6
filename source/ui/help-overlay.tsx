import {useCallback} from 'react';
import {Box, Text, useInput} from 'ink';
import {outcomeSymbols} from './format-cells.js';
import {keyGroups, type KeyGroup} from './key-bindings.js';
import {sortColumns, sortLabels} from './sort-order.js';

type HelpOverlayProps = {
  /** Called on any key. */
  readonly onClose: () => void;
  /** False while something else (the idle prompt) has the keys. */
  readonly isActive: boolean;
  /** The key table shown (a replay's leaves out the keys that would change the recording). */
  readonly groups?: readonly KeyGroup[];
};

const legend: ReadonlyArray<readonly [string, string]> = [
  [outcomeSymbols.replied, 'replied'],
  [outcomeSymbols.dropped, 'dropped by the loss'],
  [outcomeSymbols.lost, 'lost'],
  [outcomeSymbols.malformed, 'malformed'],
];

/** Every key (from the one key table) and the history legend; any key closes it. */
export function HelpOverlay({
  onClose,
  isActive,
  groups = keyGroups,
}: HelpOverlayProps) {
  const handleInput = useCallback(() => {
    onClose();
  }, [onClose]);
  useInput(handleInput, {isActive});

  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text bold wrap="truncate-end">
        Keys <Text dimColor>(any key closes this help)</Text>
      </Text>
      {groups.map((group) => (
        <Text key={group.keys} wrap="truncate-end">
          <Text bold color="cyan">
            {(group.helpKeys ?? group.keys).padEnd(12)}
          </Text>
          {group.keys === 's'
            ? `${group.help}: ${sortColumns.map((column) => sortLabels[column]).join(', ')}`
            : group.help}
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
