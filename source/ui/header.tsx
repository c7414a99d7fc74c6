import {useState, type ReactNode} from 'react';
import {Box, Text} from 'ink';
import type {EngineSnapshot} from '../engine/types.js';
import {livenessStates} from '../vocabulary.js';
import {formatLossSetting, formatRate, formatUptime} from './format-cells.js';
import {
  formatRecordedTime,
  formatSpeed,
  type ReplayStatus,
} from './replay-controls.js';
import {badge, stateStyles} from './text-styles.js';

type HeaderProps = {
  readonly snapshot: EngineSnapshot;
  /** A replay's clock: the header then says it is a replay, of when, and at what speed. */
  readonly replay?: ReplayStatus | undefined;
  /** Terminal columns: a narrow terminal gets the loss first, so that it is never cut off. */
  readonly width?: number;
};

/** A piece of the first line: its text (for measuring) and how it is drawn. */
type Segment = {
  readonly id: string;
  readonly text: string;
  readonly node: ReactNode;
};

const gap = '  ';

/**
 * The first line's pieces in the order they are drawn: where it listens first when the whole line
 * fits, else the loss and the FROZEN and MUTED marks first, where no narrow terminal cuts them.
 */
export function firstLineOrder(
  segments: readonly Segment[],
  width: number,
): readonly Segment[] {
  const whole = segments.map((segment) => segment.text).join(gap);
  // Room for FROZEN is kept whether or not it shows, so that p never rearranges the line.
  const frozenRoom = segments.some((segment) => segment.id === 'frozen')
    ? 0
    : gap.length + 'FROZEN'.length;
  if (whole.length + frozenRoom <= width) {
    return segments;
  }

  const first = new Set(['loss', 'frozen', 'muted']);
  return [
    ...segments.filter((segment) => first.has(segment.id)),
    ...segments.filter(
      (segment) => !first.has(segment.id) && segment.id !== 'name',
    ),
  ];
}

function lossSegment(snapshot: EngineSnapshot): Segment {
  const loss = `loss ${formatLossSetting(snapshot.lossPercent)}`;
  if (!snapshot.lossChanged) {
    return {id: 'loss', text: loss, node: loss};
  }

  // Said in words as well as highlighted: the highlight is gone with no colour.
  const text = `${loss} (changed)`;
  return {
    id: 'loss',
    text,
    node: <Text {...badge('yellow')}>{text}</Text>,
  };
}

/** How wide the second line is before the log file, as drawn. */
function secondLineWidth(snapshot: EngineSnapshot): number {
  const {totals} = snapshot;
  const parts = [
    `clients ${snapshot.clientCount}`,
    ...livenessStates.map(
      (state) => `  ${state} ${snapshot.countByState[state]}`,
    ),
    snapshot.logError === undefined ? '' : `  log error: ${snapshot.logError}`,
    snapshot.hookError === undefined
      ? ''
      : `  hook error: ${snapshot.hookError}`,
    totals.evicted > 0 ? `  evicted ${totals.evicted}` : '',
    totals.refused > 0 ? `  refused datagrams ${totals.refused}` : '',
    totals.malformed > 0 ? `  malformed datagrams ${totals.malformed}` : '',
    snapshot.resets.length > 0
      ? `  reset ${snapshot.resets.length === 1 ? 'once' : `${snapshot.resets.length} times`}`
      : '',
  ];
  return parts.join('').length;
}

/**
 * Two lines: where it listens, the loss, uptime and rate; then clients by state, a log or hook
 * error (first, so a narrow terminal never cuts it off), the server's counters and the log file.
 */
/**
 * A path cut in its middle to `width` characters, its start and its file name kept:
 * `/home/ada/logs/…/events.csv`.
 */
export function shortenPath(path: string, width: number): string {
  if (path.length <= width) {
    return path;
  }

  const room = Math.max(1, width - 1);
  const tail = Math.ceil(room / 2);
  return `${path.slice(0, room - tail)}…${path.slice(path.length - tail)}`;
}

/**
 * While frozen, the figures of the moment p was pressed: the counters, the clients by state and
 * the rate stand still with the table, as everything on screen that comes from the engine does.
 */
function useHeldFigures(snapshot: EngineSnapshot): EngineSnapshot {
  // State adjusted while rendering, as React's docs do for a value derived from earlier props.
  const [held, setHeld] = useState<EngineSnapshot | undefined>(undefined);
  if (snapshot.frozen && held === undefined) {
    setHeld(snapshot);
  } else if (!snapshot.frozen && held !== undefined) {
    setHeld(undefined);
  }

  const figures = snapshot.frozen ? (held ?? snapshot) : snapshot;
  return {
    ...snapshot,
    clientCount: figures.clientCount,
    countByState: figures.countByState,
    heartbeatsPerSecond: figures.heartbeatsPerSecond,
    totals: figures.totals,
    resets: figures.resets,
  };
}

export function Header({
  snapshot: live,
  replay,
  width = Infinity,
}: HeaderProps) {
  const snapshot = useHeldFigures(live);
  const {info, totals} = snapshot;
  // A frozen view's ages and uptime count from the moment it was frozen.
  const now = snapshot.frozenAt ?? snapshot.time;
  const uptime = `up ${formatUptime(now - info.startedAt)}`;
  const rate = `${formatRate(snapshot.heartbeatsPerSecond)} hb/s`;
  const segments: Segment[] = [
    {
      id: 'name',
      text: 'udp-heartbeat',
      node: <Text bold>udp-heartbeat</Text>,
    },
    {
      id: 'listening',
      text: `listening ${info.listeningNote}`,
      node: (
        <>
          {'listening '}
          <Text bold>{info.listeningNote}</Text>
        </>
      ),
    },
    lossSegment(snapshot),
    {id: 'uptime', text: uptime, node: uptime},
    {id: 'rate', text: rate, node: rate},
  ];
  if (snapshot.frozen) {
    segments.push({
      id: 'frozen',
      text: 'FROZEN',
      node: <Text {...badge('cyan')}>FROZEN</Text>,
    });
  }

  if (snapshot.muted) {
    segments.push({
      id: 'muted',
      text: 'MUTED',
      node: <Text {...badge('magenta')}>MUTED</Text>,
    });
  }

  return (
    <Box flexDirection="column">
      {replay !== undefined && (
        <Text wrap="truncate-end">
          <Text inverse bold color="cyan">
            {' REPLAY '}
          </Text>
          {'  recorded '}
          <Text bold>{formatRecordedTime(snapshot.time)}</Text>
          {`  speed ${formatSpeed(replay.speed)}`}
          {replay.paused ? (
            <>
              {'  '}
              <Text inverse bold color="yellow">
                PAUSED
              </Text>
            </>
          ) : null}
          {replay.ended ? '  end of the log (q quits with the summary)' : null}
        </Text>
      )}
      <Text wrap="truncate-end">
        {firstLineOrder(segments, width).map((segment, index) => (
          <Text key={segment.id}>
            {index > 0 && gap}
            {segment.node}
          </Text>
        ))}
      </Text>
      <Text wrap="truncate-end">
        {`clients ${snapshot.clientCount}`}
        {livenessStates.map((state) => {
          const count = snapshot.countByState[state];
          return (
            <Text key={state}>
              {gap}
              {/* Only a count that is there is coloured: a warning colour on 0 says nothing. */}
              <Text {...(count > 0 ? stateStyles[state] : {})}>
                {`${state} ${count}`}
              </Text>
            </Text>
          );
        })}
        {snapshot.logError !== undefined && (
          <Text bold color="red">{`  log error: ${snapshot.logError}`}</Text>
        )}
        {snapshot.hookError !== undefined && (
          <Text bold color="red">{`  hook error: ${snapshot.hookError}`}</Text>
        )}
        {totals.evicted > 0 && (
          <Text bold>{`  evicted ${totals.evicted}`}</Text>
        )}
        {totals.refused > 0 && `  refused datagrams ${totals.refused}`}
        {totals.malformed > 0 && `  malformed datagrams ${totals.malformed}`}
        {snapshot.resets.length > 0 &&
          `  reset ${snapshot.resets.length === 1 ? 'once' : `${snapshot.resets.length} times`}`}
        {info.logFile !== undefined &&
          `  log ${shortenPath(info.logFile, Math.max(20, width - secondLineWidth(snapshot) - '  log '.length))}`}
      </Text>
    </Box>
  );
}
