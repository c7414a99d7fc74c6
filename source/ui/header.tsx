import {Box, Text} from 'ink';
import {livenessStates} from '../store/types.js';
import type {ClientsView} from './clients-view.js';
import {formatLossSetting, formatRate, formatUptime} from './format-cells.js';
import {stateColors} from './table-cell.js';

type HeaderProps = {
  /** Where the server listens: `0.0.0.0:12000`. */
  readonly listening: string;
  readonly startedAt: number;
  /** The clients shown, live or frozen. */
  readonly view: ClientsView;
  /** The simulated loss in percent, now (live even while frozen: it answers the operator's keys). */
  readonly loss: number;
  /** True once the loss was changed while running: it is highlighted then. */
  readonly isLossChanged: boolean;
  readonly logFile: string | undefined;
  readonly logError: string | undefined;
};

/**
 * Two lines: where it listens, the loss, uptime and rate; then clients by state, a log error
 * (first, so a narrow terminal never cuts it off), the server's counters and the log file.
 */
export function Header({
  listening,
  startedAt,
  view,
  loss,
  isLossChanged,
  logFile,
  logError,
}: HeaderProps) {
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text bold>udp-heartbeat</Text>
        {'  listening '}
        <Text bold>{listening}</Text>
        {'  '}
        <Text
          inverse={isLossChanged}
          color={isLossChanged ? 'yellow' : undefined}
          bold={isLossChanged}
        >
          loss {formatLossSetting(loss)}
        </Text>
        {`  up ${formatUptime(view.now - startedAt)}  ${formatRate(view.heartbeatsPerSecond)} hb/s`}
        {view.frozen ? (
          <>
            {'  '}
            <Text inverse bold color="cyan">
              FROZEN
            </Text>
          </>
        ) : null}
      </Text>
      <Text wrap="truncate-end">
        {`clients ${view.clientCount}`}
        {livenessStates.map((state) => (
          <Text key={state} color={stateColors[state]}>
            {`  ${state} ${view.countByState[state]}`}
          </Text>
        ))}
        {logError !== undefined && (
          <Text bold color="red">{`  log error: ${logError}`}</Text>
        )}
        {view.totals.evicted > 0 && (
          <Text color="yellow">{`  evicted ${view.totals.evicted}`}</Text>
        )}
        {view.totals.refused > 0 && `  refused ${view.totals.refused}`}
        {view.totals.malformed > 0 && `  malformed ${view.totals.malformed}`}
        {logFile !== undefined && `  log ${logFile}`}
      </Text>
    </Box>
  );
}
