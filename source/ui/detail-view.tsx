import {Box, Text} from 'ink';
import type {ClientDetail, ClientRow} from '../engine/types.js';
import {chartOf} from './detail-chart.js';
import {
  formatAge,
  formatInterval,
  formatMs,
  formatPercent,
  noValue,
} from './format-cells.js';

type DetailViewProps = {
  /** The client the view names. */
  readonly clientKey: string;
  /** Its detail, or undefined when the engine no longer tracks it (or has not sent it yet). */
  readonly detail: ClientDetail | undefined;
  /** True once a detail of this client was shown: undefined then means it was forgotten. */
  readonly hasBeenSeen: boolean;
  /** The time ages count from (the freeze's, when frozen). */
  readonly now: number;
  readonly isFrozen: boolean;
  readonly width: number;
  /** Lines the view may take. */
  readonly height: number;
};

/** Lines of the view besides its two charts: title, four of figures, state changes, two chart titles. */
export const detailFigureLines = 8;

/** "clock 5:30 behind", "clock 1:00 ahead": the offset is a whole number of quarter hours. */
export function clockText(offsetMs: number): string {
  const minutes = Math.round(Math.abs(offsetMs) / 60_000);
  const hours = Math.floor(minutes / 60);
  const rest = String(minutes % 60).padStart(2, '0');
  return `clock ${hours}:${rest} ${offsetMs < 0 ? 'behind' : 'ahead'}`;
}

/** Local wall-clock time, `HH:MM:SS`. */
export function clockTimeOf(ms: number): string {
  const date = new Date(ms);
  if (Number.isNaN(date.getTime())) {
    return noValue;
  }

  return [date.getHours(), date.getMinutes(), date.getSeconds()]
    .map((part) => String(part).padStart(2, '0'))
    .join(':');
}

/** Parts packed into lines of at most `width` characters, two spaces apart, never cut in one. */
function packed(parts: readonly string[], width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const part of parts) {
    if (line === '') {
      line = part;
    } else if (line.length + 2 + part.length <= width) {
      line += `  ${part}`;
    } else {
      lines.push(line);
      line = part;
    }
  }

  return line === '' ? lines : [...lines, line];
}

function figureLines(row: ClientRow, now: number, width: number): string[] {
  const counters = [
    `received ${String(row.received)}`,
    `replied ${String(row.replied)}`,
    `dropped ${String(row.dropped)}`,
    `unanswered ${String(row.unanswered)}`,
    `lost ${String(row.lost)}`,
    `loss ${formatPercent(row.lossPercent)}`,
  ];
  const sequence = [
    `duplicates ${String(row.duplicates)}`,
    `reordered ${String(row.reordered)}`,
    `restarts ${String(row.restarts)}`,
    `malformed ${String(row.malformed)}`,
    `last seq ${row.lastSeq ?? noValue}`,
  ];
  const timing = [
    `delay last ${formatMs(row.delayLastMs)}`,
    `min ${formatMs(row.delayMinMs)}`,
    `avg ${formatMs(row.delayAvgMs)}`,
    `max ${formatMs(row.delayMaxMs)}`,
    `jitter ${formatMs(row.jitterMs)}`,
    `interval ${formatInterval(row.intervalMeanMs, row.intervalStdDevMs)}`,
  ];
  if (row.clockOffsetMs !== undefined) {
    timing.push(clockText(row.clockOffsetMs));
  }

  const seen = [
    `first seen ${clockTimeOf(row.firstSeen)} (${formatAge(row.firstSeen, now)})`,
    `last seen ${clockTimeOf(row.lastSeen)} (${formatAge(row.lastSeen, now)})`,
  ];
  // Each group starts its own line, and wraps between its figures, never inside one.
  return [counters, sequence, timing, seen].flatMap((parts) =>
    packed(parts, width),
  );
}

/** Where a named client sent from last: `192.0.2.7:5000`, `[2001:db8::1]:5000`. */
function addressOf(row: ClientRow): string {
  if (row.key !== row.name) {
    // Keyed by address, as usual: the key says it.
    return row.key;
  }

  // A dual-stack socket reports IPv4 senders as mapped IPv6: shown as plain IPv4.
  const address = row.address.replace(/^::ffff:(?=\d+\.)/iv, '');
  return address.includes(':')
    ? `[${address}]:${row.port}`
    : `${address}:${row.port}`;
}

/** The other fields of its latest structured heartbeat (`battery=87`, `fw=1.2`), one part each. */
function fieldParts(row: ClientRow): string[] {
  const {fields} = row;
  return fields === undefined || fields.length === 0
    ? []
    : ['fields', ...fields.map(([key, value]) => `${key}=${value}`)];
}

/** The state changes on one line: the latest that fit, whole, and how many are left out. */
function changesLine(detail: ClientDetail, width: number): string {
  if (detail.stateChanges.length === 0) {
    return 'state changes: none yet';
  }

  const changes = detail.stateChanges.map(
    (change) => `${clockTimeOf(change.time)} ${change.state}`,
  );
  for (let shown = changes.length; shown > 1; shown--) {
    const left = changes.length - shown;
    const line = `state changes: ${left > 0 ? `${left} earlier, ` : ''}${changes.slice(left).join(', ')}`;
    if (line.length <= width) {
      return line;
    }
  }

  const left = changes.length - 1;
  return `state changes: ${left > 0 ? `${left} earlier, ` : ''}${changes.at(-1)!}`;
}

/** One client up close: every figure of its row, its state changes, and charts of its delay and interval. */
export function DetailView({
  clientKey,
  detail,
  hasBeenSeen,
  now,
  isFrozen,
  width,
  height,
}: DetailViewProps) {
  if (detail === undefined) {
    return (
      <Box flexDirection="column">
        <Text bold wrap="truncate-end">
          {`detail ${clientKey}`}
        </Text>
        <Text wrap="truncate-end">
          {hasBeenSeen
            ? `${clientKey} is no longer tracked: it was forgotten or evicted. Esc goes back to the table.`
            : `waiting for ${clientKey} ...`}
        </Text>
      </Box>
    );
  }

  const {row} = detail;
  // The fields wrap between fields like the figures, so nothing of them is cut at 80 columns.
  const figures = [
    ...figureLines(row, now, width),
    ...packed(fieldParts(row), width),
  ];
  // The figures take the lines they need at this width; the charts share the rest.
  const chartHeight = Math.floor(
    (height - detailFigureLines - (figures.length - 4)) / 2,
  );
  const delayChart = chartOf(detail.delaysMs, width, chartHeight);
  const intervalChart = chartOf(detail.intervalsMs, width, chartHeight);
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text bold>{`detail ${row.name ?? row.key}`}</Text>
        {row.name === undefined ? '' : `  ${addressOf(row)}`}
        {`  ${row.state}`}
        {row.label === undefined ? '' : `  label ${row.label}`}
        {isFrozen ? '  FROZEN' : ''}
      </Text>
      {figures.map((line) => (
        <Text key={line.slice(0, 8)} wrap="truncate-end">
          {line}
        </Text>
      ))}
      <Text wrap="truncate-end">{changesLine(detail, width)}</Text>
      <Text bold wrap="truncate-end">
        {`delay, last ${detail.delaysMs.length} heartbeats`}
      </Text>
      {delayChart === undefined ? (
        <Text dimColor>no delays yet</Text>
      ) : (
        <Text color="cyan">{delayChart}</Text>
      )}
      <Text bold wrap="truncate-end">
        {`arrival interval, last ${detail.intervalsMs.length} heartbeats`}
      </Text>
      {intervalChart === undefined ? (
        <Text dimColor>no intervals yet</Text>
      ) : (
        <Text color="magenta">{intervalChart}</Text>
      )}
    </Box>
  );
}
