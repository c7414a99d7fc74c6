import {Box, Text} from 'ink';
import type {EngineSnapshot} from '../engine/types.js';
import {livenessStates} from '../store/types.js';
import {stateColors} from './cell-style.js';
import {formatLossSetting, formatRate, formatUptime} from './format-cells.js';

type HeaderProps = {
  readonly snapshot: EngineSnapshot;
};

/**
 * Two lines: where it listens, the loss, uptime and rate; then clients by state, a log or hook
 * error (first, so a narrow terminal never cuts it off), the server's counters and the log file.
 */
export function Header({snapshot}: HeaderProps) {
  const {info, totals} = snapshot;
  // A frozen view's ages and uptime count from the moment it was frozen.
  const now = snapshot.frozenAt ?? snapshot.time;
  return (
    <Box flexDirection="column">
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
        {totals.refused > 0 && `  refused datagrams ${totals.refused}`}
        {totals.malformed > 0 && `  malformed datagrams ${totals.malformed}`}
        {snapshot.resets.length > 0 &&
          `  reset ${snapshot.resets.length === 1 ? 'once' : `${snapshot.resets.length} times`}`}
        {info.logFile !== undefined && `  log ${info.logFile}`}
      </Text>
    </Box>
  );
}
