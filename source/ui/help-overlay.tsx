import {useCallback, useState} from 'react';
import {Box, Text, useInput, type Key} from 'ink';
import wrapAnsi from 'wrap-ansi';
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
  /** Terminal columns: the text wraps at words to fit. */
  readonly width?: number;
  /** Terminal lines: the help is cut into pages that fit. */
  readonly height?: number;
};

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

/** One line of a help page: a term (a key, a column) in its own column, and text. */
type HelpLine = {readonly term: string; readonly text: string};

/** A term and its text, the text wrapped at words to `width`, later lines under the first. */
function entryLines(term: string, text: string, width: number): HelpLine[] {
  return wrapAnsi(text, Math.max(10, width), {hard: true})
    .split('\n')
    .map((line, index) => ({
      term: index === 0 ? term : ' '.repeat(term.length),
      text: line,
    }));
}

function keysLines(groups: readonly KeyGroup[], width: number): HelpLine[] {
  // One column for the keys, as wide as the longest, so no description runs into its keys.
  const keysWidth = Math.max(
    12,
    ...groups.map((group) => (group.helpKeys ?? group.keys).length + 1),
  );
  const lines = groups.flatMap((group) =>
    entryLines(
      (group.helpKeys ?? group.keys).padEnd(keysWidth),
      group.keys === 's'
        ? `${group.help}: ${sortColumns.map((column) => sortLabels[column]).join(', ')}`
        : group.help,
      width - keysWidth,
    ),
  );
  const history = `(oldest first): ${legend.map(([symbol, meaning]) => `${symbol} ${meaning}`).join('  ')}`;
  return [
    ...lines,
    ...entryLines('History'.padEnd(keysWidth), history, width - keysWidth),
    ...entryLines(
      'Idle prompt'.padEnd(keysWidth),
      'y shuts down; n or Esc keeps serving until the next idle period',
      width - keysWidth,
    ),
  ];
}

function columnsLines(width: number): HelpLine[] {
  return columnHelp.flatMap(([term, lines]) =>
    entryLines(term.padEnd(10), lines.join(' '), width - 10),
  );
}

/** The help's pages: the keys, then the columns, each cut into pages the terminal can hold. */
function helpPages(
  groups: readonly KeyGroup[],
  width: number,
  height: number,
): Array<{readonly title: string; readonly lines: HelpLine[]}> {
  // Inside the border and its padding; a line for the title.
  const inner = Math.max(20, width - 4);
  const room = Math.max(3, height - 3);
  const pages: Array<{title: string; lines: HelpLine[]}> = [];
  for (const [title, lines] of [
    ['Keys', keysLines(groups, inner)],
    ['Columns', columnsLines(inner)],
  ] as const) {
    for (let at = 0; at < lines.length; at += room) {
      pages.push({title, lines: lines.slice(at, at + room)});
    }
  }

  return pages;
}

/**
 * The keys (from the one key table) with the history legend, and what the columns mean, wrapped
 * at words to the terminal and cut into pages that fit its height, so that nothing is cut off on
 * an 80x24 terminal. Space turns the page; any other key closes it.
 */
export function HelpOverlay({
  onClose,
  isActive,
  groups = keyGroups,
  width = 80,
  height = 24,
}: HelpOverlayProps) {
  const [page, setPage] = useState(0);
  const pages = helpPages(groups, width, height);
  const handleInput = useCallback(
    (input: string, key: Key) => {
      if (turnsPage(input, key)) {
        setPage((shown) => shown + 1);
        return;
      }

      onClose();
    },
    [onClose],
  );
  useInput(handleInput, {isActive});
  const index = page % pages.length;
  const shown = pages[index]!;
  const other = pages[(index + 1) % pages.length]!;
  const next =
    other.title === shown.title
      ? 'more'
      : `what the ${other.title.toLowerCase()} mean`;

  return (
    <Box flexDirection="column" borderStyle="classic" paddingX={1}>
      <Text bold wrap="truncate-end">
        {shown.title}{' '}
        <Text dimColor>
          {`(${index + 1}/${pages.length}; Space: ${next}; any other key closes this help)`}
        </Text>
      </Text>
      {shown.lines.map((line, at) => (
        // eslint-disable-next-line react/no-array-index-key -- lines of a fixed page
        <Text key={at} wrap="truncate-end">
          <Text bold>{line.term}</Text>
          {line.text}
        </Text>
      ))}
    </Box>
  );
}
