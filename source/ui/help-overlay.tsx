import {useCallback, useState} from 'react';
import {Box, Text, useInput, type Key} from 'ink';
import {outcomeSymbols} from './format-cells.js';
import {keyGroups, type KeyGroup} from './key-bindings.js';
import {sortColumns, sortLabels} from './sort-order.js';

type HelpOverlayProps = {
  /** Called on any key but the one that turns the page. */
  readonly onClose: () => void;
  /** False while something else (the idle prompt) has the keys. */
  readonly isActive: boolean;
  /** The key table shown (a replay's leaves out the keys that would change the recording). */
  readonly groups?: readonly KeyGroup[];
};

type HelpPage = 'keys' | 'columns';

const legend: ReadonlyArray<readonly [string, string]> = [
  [outcomeSymbols.replied, 'replied'],
  [outcomeSymbols.dropped, 'dropped by the loss'],
  [outcomeSymbols.lost, 'lost'],
  [outcomeSymbols.malformed, 'malformed'],
];

/**
 * What each column and header figure means, as a term and its lines. Lines are short enough for
 * an 80-column terminal, so that nothing is cut off where most people read it.
 */
export const columnHelp: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['recv', ['datagrams received from the client, malformed ones included']],
  ['replied', ['replies sent']],
  ['dropped', ['replies the simulated loss threw away on purpose']],
  ['lost', ['heartbeats that never arrived: gaps in the sequence numbers']],
  [
    'loss%',
    ['loss as the client sees it: (dropped + lost) / (received + lost)'],
  ],
  ['seq', ['the last sequence number']],
  [
    'delay',
    [
      'one way, in ms: arrival minus the time written in the heartbeat.',
      "The clocks' skew moves it, and it can go negative; a client whose",
      'clock keeps another time zone has that whole offset taken out',
    ],
  ],
  ['interval', ['mean time between heartbeats and its spread (+-), in ms']],
  [
    'last seen',
    ['time since anything came from the client; it keeps counting'],
  ],
  ['history', ['the latest outcomes, oldest first (legend on the keys page)']],
  ['state', ['alive: on time; late: a heartbeat is overdue; stopped: silent']],
  [
    'malformed',
    [
      'header: "malformed datagrams N" counts datagrams the server could',
      'not read, from all clients: datagrams, not clients. Each gets a',
      'reply (an echo or an error), but the rate limit holds some errors',
      'back: unanswered, in the summary. replied + dropped + unanswered',
      'make recv',
    ],
  ],
];

/** Turns the page: Space, Tab or a left or right arrow. */
function turnsPage(input: string, key: Key): boolean {
  return input === ' ' || key.tab || key.leftArrow || key.rightArrow;
}

function KeysPage({groups}: {readonly groups: readonly KeyGroup[]}) {
  // One column for the keys, as wide as the longest, so no description runs into its keys.
  const keysWidth =
    Math.max(...groups.map((group) => (group.helpKeys ?? group.keys).length)) +
    1;
  return (
    <>
      <Text bold wrap="truncate-end">
        Keys{' '}
        <Text dimColor>
          (Space: what the columns mean; any other key closes this help)
        </Text>
      </Text>
      {groups.map((group) => (
        <Text key={group.keys} wrap="truncate-end">
          <Text bold>
            {(group.helpKeys ?? group.keys).padEnd(Math.max(12, keysWidth))}
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
    </>
  );
}

function ColumnsPage() {
  return (
    <>
      <Text bold wrap="truncate-end">
        Columns{' '}
        <Text dimColor>(Space: the keys; any other key closes this help)</Text>
      </Text>
      {columnHelp.flatMap(([term, lines]) =>
        lines.map((line, index) => (
          <Text key={`${term} ${line}`} wrap="truncate-end">
            <Text bold>{(index === 0 ? term : '').padEnd(10)}</Text>
            {line}
          </Text>
        )),
      )}
    </>
  );
}

/**
 * Two pages, each short enough for a 24-line terminal: every key (from the one key table) with
 * the history legend, and what the columns mean. Space turns the page; any other key closes it.
 */
export function HelpOverlay({
  onClose,
  isActive,
  groups = keyGroups,
}: HelpOverlayProps) {
  const [page, setPage] = useState<HelpPage>('keys');
  const handleInput = useCallback(
    (input: string, key: Key) => {
      if (turnsPage(input, key)) {
        setPage((shown) => (shown === 'keys' ? 'columns' : 'keys'));
        return;
      }

      onClose();
    },
    [onClose],
  );
  useInput(handleInput, {isActive});

  return (
    <Box flexDirection="column" borderStyle="classic" paddingX={1}>
      {page === 'keys' ? <KeysPage groups={groups} /> : <ColumnsPage />}
    </Box>
  );
}
