import {createElement} from 'react';
import {renderToString} from 'ink';
import {Table} from '@alcalzone/ink-table';
import type {
  ClientRecord,
  HeartbeatEvent,
  ServerTotals,
} from '../store/types.js';
import {formatDelayMs} from './format-event.js';
import {formatClockTime, formatDuration, formatIsoTime} from './format-time.js';

/**
 * Most clients drawn in the exit table. Ink lays out every cell, about 3 ms a row, so a table of
 * 100000 clients would hold the exit for minutes; the CSV log's summary rows list every client.
 */
export const summaryTableRows = 100;

export type SummaryInput = {
  /** Where the server listened (`0.0.0.0:12000`). */
  readonly listening: string;
  readonly startedAt: number;
  readonly endedAt: number;
  /** The simulated loss at the end, in percent. */
  readonly lossPercent: number;
  /** Whether the loss was changed while running. */
  readonly lossChanged: boolean;
  /** The loss simulation's seed, if one was given or chosen. */
  readonly seed: number | undefined;
  readonly totals: ServerTotals;
  readonly clients: Iterable<ClientRecord>;
  /** The CSV log, if any: clients left out of the table are found there. */
  readonly logPath?: string;
  /** Most clients drawn in the table; default `summaryTableRows`. */
  readonly maxRows?: number;
  /** How many clients there were, when `clients` holds only the first of them. */
  readonly clientCount?: number;
  /** When the counters were reset (the totals cover the whole run regardless). */
  readonly resets?: readonly number[];
};

/** A percentage with at most two decimals and no trailing zeros: `40`, `12.5`, `33.33`. */
function formatPercent(percent: number): string {
  return String(Number(percent.toFixed(2)));
}

/** A figure in milliseconds for the detail: three decimals (microseconds), as the delays elsewhere. */
function detailMs(name: string, ms: number | undefined): string | undefined {
  return ms === undefined ? undefined : `${name}=${formatDelayMs(ms)}`;
}

/**
 * The detail of a client's summary event: the counts first, as
 * `received=…;replied=…;dropped=…;lost=…` (readers parse that prefix), then
 * `loss=…%;state=…`, the clock offset of a client in another time zone, delay min/avg/max and
 * jitter, the interval's mean and spread, duplicates, reordered, restarts, malformed, unanswered
 * (replied + dropped + unanswered = received) and the last heartbeat. Figures a client does not
 * have yet (no timestamp, a single heartbeat) are left out. The CSV log has no state column, so
 * the state is here too.
 */
export function summaryDetail(client: ClientRecord): string {
  const fields = [
    `received=${client.received}`,
    `replied=${client.replied}`,
    `dropped=${client.dropped}`,
    `lost=${client.lost}`,
    client.lossPercent === undefined
      ? undefined
      : `loss=${formatPercent(client.lossPercent)}%`,
    `state=${client.state}`,
    client.clockOffsetMs === undefined
      ? undefined
      : `clock_offset_ms=${client.clockOffsetMs}`,
    detailMs('delay_min_ms', client.delayMinMs),
    detailMs('delay_avg_ms', client.delayAvgMs),
    detailMs('delay_max_ms', client.delayMaxMs),
    detailMs('jitter_ms', client.jitterMs),
    detailMs('interval_mean_ms', client.intervalMeanMs),
    detailMs('interval_sd_ms', client.intervalStdDevMs),
    `duplicates=${client.duplicates}`,
    `reordered=${client.reordered}`,
    `restarts=${client.restarts}`,
    `malformed=${client.malformed}`,
    `unanswered=${client.unanswered}`,
    client.lastHeartbeat === undefined
      ? undefined
      : `last_heartbeat=${formatIsoTime(client.lastHeartbeat)}`,
  ];
  return fields.filter((field) => field !== undefined).join(';');
}

/** One `summary` event per client, for the CSV log and the headless output at shutdown. */
export function* summaryEvents(
  clients: Iterable<ClientRecord>,
  now: number,
): Generator<HeartbeatEvent, void, undefined> {
  for (const client of clients) {
    const event: HeartbeatEvent = {
      time: now,
      event: 'summary',
      client: client.key,
      seq: client.lastSeq,
      delayMs: client.delayAvgMs,
      detail: summaryDetail(client),
      state: client.state,
    };
    // The delay is net of the client's time zone, as the log's `clock_offset_ms` says.
    yield client.clockOffsetMs === undefined || event.delayMs === undefined
      ? event
      : {...event, clockOffsetMs: client.clockOffsetMs};
  }
}

// Numeric collation puts 10.0.0.9 before 10.0.0.10 and port 5000 before 40000.
const clientOrder = new Intl.Collator('en', {numeric: true});

type SummaryRow = Record<string, string | number>;

const tableColumns = [
  'client',
  'state',
  {key: 'recv', align: 'right'},
  {key: 'repl', align: 'right'},
  {key: 'drop', align: 'right'},
  {key: 'lost', align: 'right'},
  {key: 'loss%', align: 'right'},
  {key: 'delay min/avg/max', align: 'right'},
  {key: 'jitter', align: 'right'},
  {key: 'interval', align: 'right'},
  {key: 'dup/reo/rst/mal', align: 'right'},
  'last heard',
] as const;

/**
 * Columns shown only when some client has a figure for them, so that the usual table keeps its
 * width: error replies held back (after `drop`) and a clock in another time zone (after the delay).
 */
const unansweredColumn = {key: 'unans', align: 'right'} as const;
const clockColumn = {key: 'clock', align: 'right'} as const;

/** What the table's short headings mean, printed under it. */
export const summaryLegend = [
  'delay, jitter and interval (mean+-spread) in ms; last heard: time of the latest heartbeat',
  'dup/reo/rst/mal: duplicates, reordered, restarts, malformed',
].join('\n');

const unansweredLegend =
  'unans: error replies held back by their rate limit (recv = repl + drop + unans)';
const clockLegend =
  "clock: how far a client's clock runs ahead of the server's (its time zone); delays are net of it";

/** A clock offset as a time zone is written: `-5:30`, `+9:45`. */
export function formatClockOffset(offsetMs: number): string {
  const minutes = Math.round(Math.abs(offsetMs) / 60_000);
  const sign = offsetMs < 0 ? '-' : '+';
  return `${sign}${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}`;
}

/**
 * A figure in milliseconds in few characters, so that three fit one cell: `0.35`, `12`, `1020`,
 * and `2.5e+14` for the absurd delays a client with a clock in year 9999 causes. Hundredths
 * only below 10 ms, where loopback delays live; above, a whole millisecond is fine enough.
 */
export function compactMs(ms: number): string {
  const size = Math.abs(ms);
  if (!Number.isFinite(ms)) {
    return '-';
  }

  if (size < 10) {
    return ms.toFixed(2);
  }

  return size < 100_000 ? String(Math.round(ms)) : ms.toExponential(1);
}

function delayCell(client: ClientRecord): string {
  const {delayMinMs, delayAvgMs, delayMaxMs} = client;
  if (
    delayMinMs === undefined ||
    delayAvgMs === undefined ||
    delayMaxMs === undefined
  ) {
    return '-';
  }

  return `${compactMs(delayMinMs)}/${compactMs(delayAvgMs)}/${compactMs(delayMaxMs)}`;
}

function intervalCell(client: ClientRecord): string {
  const {intervalMeanMs, intervalStdDevMs} = client;
  if (intervalMeanMs === undefined) {
    return '-';
  }

  return intervalStdDevMs === undefined
    ? compactMs(intervalMeanMs)
    : `${compactMs(intervalMeanMs)}+-${compactMs(intervalStdDevMs)}`;
}

function lastHeartbeatCell(
  lastHeartbeat: number | undefined,
  endedAt: number,
): string {
  if (lastHeartbeat === undefined) {
    return '-';
  }

  // A clock time alone is ambiguous once the run spans midnight: then the date goes in front.
  const sameDay =
    new Date(lastHeartbeat).toDateString() === new Date(endedAt).toDateString();
  return sameDay
    ? formatClockTime(lastHeartbeat)
    : `${formatIsoTime(lastHeartbeat).slice(0, 10)} ${formatClockTime(lastHeartbeat)}`;
}

function tableRow(client: ClientRecord, endedAt: number): SummaryRow {
  // Cells stay ASCII: the table measures widths with String#length.
  return {
    client: client.key,
    state: client.state,
    recv: client.received,
    repl: client.replied,
    drop: client.dropped,
    unans: client.unanswered,
    lost: client.lost,
    'loss%':
      client.lossPercent === undefined ? '-' : client.lossPercent.toFixed(1),
    'delay min/avg/max': delayCell(client),
    jitter: client.jitterMs === undefined ? '-' : compactMs(client.jitterMs),
    interval: intervalCell(client),
    'dup/reo/rst/mal': `${client.duplicates}/${client.reordered}/${client.restarts}/${client.malformed}`,
    'last heard': lastHeartbeatCell(client.lastHeartbeat, endedAt),
    clock:
      client.clockOffsetMs === undefined
        ? '-'
        : formatClockOffset(client.clockOffsetMs),
  };
}

type Column =
  (typeof tableColumns)[number] | typeof unansweredColumn | typeof clockColumn;

function renderTable(
  rows: SummaryRow[],
  withUnanswered: boolean,
  withClock: boolean,
): string {
  const columns: Column[] = [];
  for (const column of tableColumns) {
    columns.push(column);
    const key = typeof column === 'string' ? column : column.key;
    if (key === 'drop' && withUnanswered) {
      columns.push(unansweredColumn);
    } else if (key === 'delay min/avg/max' && withClock) {
      columns.push(clockColumn);
    }
  }

  // Wide enough that no row wraps; Ink does not pad lines to this width.
  return renderToString(
    createElement(Table<SummaryRow>, {data: rows, columns}),
    {
      columns: 1000,
    },
  );
}

function formatLoss(input: SummaryInput): string {
  const seed = input.seed === undefined ? 'random seed' : `seed ${input.seed}`;
  const changed = input.lossChanged ? 'changed while running' : 'unchanged';
  return `${formatPercent(input.lossPercent)}% (${changed}), ${seed}`;
}

function formatTotals(totals: ServerTotals): string {
  return [
    `received ${totals.received}`,
    `replied ${totals.replied}`,
    `dropped ${totals.dropped}`,
    `unanswered ${totals.unanswered}`,
    `malformed ${totals.malformed}`,
    `refused ${totals.refused}`,
    `evicted ${totals.evicted}`,
  ].join(', ');
}

/** When the counters were reset: the client rows count from the latest reset, the totals do not. */
function formatResets(resets: readonly number[]): string[] {
  if (resets.length === 0) {
    return [];
  }

  const times = resets.map((time) => formatIsoTime(time)).join(', ');
  return [
    `  reset        ${resets.length === 1 ? 'once' : `${resets.length} times`}, at ${times} (totals cover the whole run; client rows count from the last reset)`,
  ];
}

/**
 * The report printed at exit: where the server listened, when, for how long, the loss settings,
 * the totals, then a table of the clients (sorted by address; the first `maxRows` of them).
 */
export function formatSummary(input: SummaryInput): string {
  const maxRows = Math.max(0, input.maxRows ?? summaryTableRows);
  const clients = [...input.clients].toSorted((a, b) =>
    clientOrder.compare(a.key, b.key),
  );
  const lines = [
    'udp-heartbeat summary',
    `  listened on  ${input.listening}`,
    `  started      ${formatIsoTime(input.startedAt)}`,
    `  ended        ${formatIsoTime(input.endedAt)}`,
    `  duration     ${formatDuration(input.endedAt - input.startedAt)}`,
    `  loss         ${formatLoss(input)}`,
    `  totals       ${formatTotals(input.totals)}`,
    ...formatResets(input.resets ?? []),
    `  clients      ${input.clientCount ?? clients.length}`,
  ];
  if (clients.length === 0) {
    lines.push('', 'No clients were heard.');
    return lines.join('\n');
  }

  const shown = clients.slice(0, maxRows);
  lines.push('');
  if (shown.length > 0) {
    const withUnanswered = shown.some((client) => client.unanswered > 0);
    const withClock = shown.some(
      (client) => client.clockOffsetMs !== undefined,
    );
    lines.push(
      renderTable(
        shown.map((client) => tableRow(client, input.endedAt)),
        withUnanswered,
        withClock,
      ),
      [
        summaryLegend,
        withUnanswered ? unansweredLegend : undefined,
        withClock ? clockLegend : undefined,
      ]
        .filter((line) => line !== undefined)
        .join('\n'),
    );
  }

  const more = (input.clientCount ?? clients.length) - shown.length;
  if (more > 0) {
    const where =
      input.logPath === undefined
        ? ''
        : ` (all of them are in the summary rows of ${JSON.stringify(input.logPath)})`;
    lines.push(
      `… and ${more} more ${more === 1 ? 'client' : 'clients'}${where}`,
    );
  }

  return lines.join('\n');
}
