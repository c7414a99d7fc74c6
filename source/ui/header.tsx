import {Box, Text} from 'ink';
import type {EngineSnapshot} from '../engine/types.js';
import {livenessStates} from '../store/types.js';
import {stateColors} from './cell-style.js';
import {formatLossSetting, formatRate, formatUptime} from './format-cells.js';
import {
  formatRecordedTime,
  formatSpeed,
  type ReplayStatus,
} from './replay-controls.js';

type HeaderProps = {
  readonly snapshot: EngineSnapshot;
  /** A replay's clock: the header then says it is a replay, of when, and at what speed. */
  readonly replay?: ReplayStatus | undefined;
};

/**
 * Two lines: where it listens, the loss, uptime and rate; then clients by state, a log or hook
 * error (first, so a narrow terminal never cuts it off), the server's counters and the log file.
 */
export function Header({snapshot, replay}: HeaderProps) {
  const {info, totals} = snapshot;
  // A frozen view's ages and uptime count from the moment it was frozen.
  const now = snapshot.frozenAt ?? snapshot.time;
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
        <Text bold>udp-heartbeat</Text>
        {'  listening '}
        <Text bold>{info.listeningNote}</Text>
        {'  '}
        <Text
          inverse={snapshot.lossChanged}
          color={snapshot.lossChanged ? 'yellow' : undefined}
          bold={snapshot.lossChanged}
        >
          loss {formatLossSetting(snapshot.lossPercent)}
        </Text>
        {`  up ${formatUptime(now - info.startedAt)}  ${formatRate(snapshot.heartbeatsPerSecond)} hb/s`}
        {snapshot.frozen ? (
          <>
            {'  '}
            <Text inverse bold color="cyan">
              FROZEN
            </Text>
          </>
        ) : null}
        {snapshot.muted ? (
          <>
            {'  '}
            <Text inverse bold color="magenta">
              MUTED
            </Text>
          </>
        ) : null}
      </Text>
      <Text wrap="truncate-end">
        {`clients ${snapshot.clientCount}`}
        {livenessStates.map((state) => (
          <Text key={state} color={stateColors[state]}>
            {`  ${state} ${snapshot.countByState[state]}`}
          </Text>
        ))}
        {snapshot.logError !== undefined && (
          <Text bold color="red">{`  log error: ${snapshot.logError}`}</Text>
        )}
        {snapshot.hookError !== undefined && (
          <Text bold color="red">{`  hook error: ${snapshot.hookError}`}</Text>
        )}
        {totals.evicted > 0 && (
          <Text color="yellow">{`  evicted ${totals.evicted}`}</Text>
        )}
        {totals.refused > 0 && `  refused ${totals.refused}`}
        {totals.malformed > 0 && `  malformed ${totals.malformed}`}
        {snapshot.resets.length > 0 &&
          `  reset ${snapshot.resets.length === 1 ? 'once' : `${snapshot.resets.length} times`}`}
        {info.logFile !== undefined && `  log ${info.logFile}`}
      </Text>
    </Box>
  );
}
