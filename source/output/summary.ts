import {stripVTControlCharacters} from 'node:util';
import process from 'node:process';
import {createElement} from 'react';
import {renderToString} from 'ink';
import {Table} from '@alcalzone/ink-table';
import wrapAnsi from 'wrap-ansi';
import type {
  ClientRecord,
  HeartbeatEvent,
  ServerTotals,
} from '../vocabulary.js';
import {clientKey} from '../store/client-key.js';
import {formatUptime} from '../uptime.js';
import {formatDelayMs} from './format-event.js';
import {formatClockTime, formatIsoTime} from './format-time.js';

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
  /** The widest a line may be; default `summaryWidth()`, the terminal's width. */
  readonly width?: number;
};

/** Used when standard output is not a terminal and COLUMNS does not say: the whole table of an IPv4 client fits. */
export const defaultSummaryWidth = 160;

/** Narrowest the table's client column gets before lines are let run over the width. */
const minClientWidth = 12;

/**
 * The width the summary is fitted to: the terminal's columns when standard output is one, else
 * COLUMNS when it is set (a pager), else `defaultSummaryWidth`.
 */
export function summaryWidth(
  stdout: {
    readonly isTTY?: boolean;
    readonly columns?: number;
  } = process.stdout,
  env: NodeJS.ProcessEnv = process.env,
): number {
  if (stdout.isTTY && stdout.columns !== undefined && stdout.columns > 0) {
    return stdout.columns;
  }

  const columns = Number(env.COLUMNS);
  return Number.isInteger(columns) && columns > 0
    ? columns
    : defaultSummaryWidth;
}

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

/**
 * One `summary` event per client, for the CSV log and the headless output at shutdown. Its
 * delays are in the detail, never in `delayMs`: that column holds one heartbeat's delay, and a
 * mean over it must not count summaries as heartbeats.
 */
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
      delayMs: undefined,
      detail: summaryDetail(client),
      state: client.state,
      ...namedFields(client),
    };
    // The delay is net of the client's time zone, as the log's `clock_offset_ms` says.
    yield client.clockOffsetMs === undefined || event.delayMs === undefined
      ? event
      : {...event, clockOffsetMs: client.clockOffsetMs};
  }
}

/** A named client's name, and its address where its key is that name, as every event carries them. */
function namedFields(
  client: ClientRecord,
): Pick<HeartbeatEvent, 'name' | 'address'> {
  const {name} = client;
  if (name === undefined) {
    return {};
  }

  return client.key === name
    ? {name, address: clientKey(client.address, client.port)}
    : {name};
}

// Numeric collation puts 10.0.0.9 before 10.0.0.10 and port 5000 before 40000.
const clientOrder = new Intl.Collator('en', {numeric: true});

type SummaryRow = Record<string, string | number>;

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

/** Every column in its place; `unans` and `clock` are drawn only when some client has them. */
const allColumns = [
  'client',
  'state',
  {key: 'recv', align: 'right'},
  {key: 'repl', align: 'right'},
  {key: 'drop', align: 'right'},
  unansweredColumn,
  {key: 'lost', align: 'right'},
  {key: 'loss%', align: 'right'},
  {key: 'delay min/avg/max', align: 'right'},
  clockColumn,
  {key: 'jitter', align: 'right'},
  {key: 'interval', align: 'right'},
  {key: 'dup/reo/rst/mal', align: 'right'},
  'last heard',
] as const;

type AnyColumn = (typeof allColumns)[number];

type ColumnKey = AnyColumn extends infer Column
  ? Column extends {key: infer Key}
    ? Key
    : Column
  : never;

function columnKey(column: AnyColumn): ColumnKey {
  return typeof column === 'string' ? column : column.key;
}

/**
 * Which columns go first when the terminal is too narrow, as the live table drops them: detail
 * before the essentials. Client, state and loss % always stay.
 */
const dropOrder: readonly ColumnKey[] = [
  'dup/reo/rst/mal',
  'jitter',
  'interval',
  'clock',
  'delay min/avg/max',
  'unans',
  'repl',
  'drop',
  'lost',
  'recv',
  'last heard',
];

/** How wide ink-table draws these columns: each cell padded by one space a side, a border between. */
function tableWidth(
  rows: readonly SummaryRow[],
  keys: readonly ColumnKey[],
): number {
  let width = 1;
  for (const key of keys) {
    let cell = key.length;
    for (const row of rows) {
      cell = Math.max(cell, String(row[key]).length);
    }

    width += cell + 3;
  }

  return width;
}

/** A cell cut to `width` characters, its end marked. */
function truncate(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

/** The columns that fit in `width`, dropping the least needed first, then narrowing the client. */
function fitTable(
  rows: SummaryRow[],
  width: number,
  optional: {readonly withUnanswered: boolean; readonly withClock: boolean},
): {rows: SummaryRow[]; keys: ColumnKey[]} {
  let keys = allColumns
    .map((column) => columnKey(column))
    .filter(
      (key) =>
        (key !== 'unans' || optional.withUnanswered) &&
        (key !== 'clock' || optional.withClock),
    );
  for (const drop of dropOrder) {
    if (tableWidth(rows, keys) <= width) {
      break;
    }

    keys = keys.filter((key) => key !== drop);
  }

  const excess = tableWidth(rows, keys) - width;
  if (excess <= 0) {
    return {rows, keys};
  }

  const clientWidth = Math.max(
    minClientWidth,
    ...rows.map((row) => String(row.client).length - excess),
  );
  return {
    rows: rows.map((row) => ({
      ...row,
      client: truncate(String(row.client), clientWidth),
    })),
    keys,
  };
}

/** The legend lines for the columns shown. */
function legendFor(keys: readonly ColumnKey[]): string[] {
  const figures = (['delay min/avg/max', 'jitter', 'interval'] as const)
    .filter((key) => keys.includes(key))
    .map((key) => key.split(' ')[0]!);
  const lines: string[] = [];
  const lastHeard = 'last heard: time of the latest heartbeat';
  if (figures.length > 0) {
    const named =
      figures.length === 1
        ? figures[0]!
        : `${figures.slice(0, -1).join(', ')} and ${figures.at(-1)!}`;
    const spread = figures.includes('interval') ? ' (mean+-spread)' : '';
    lines.push(
      `${named.replace('interval', `interval${spread}`)} in ms; ${lastHeard}`,
    );
  } else {
    lines.push(lastHeard);
  }

  if (keys.includes('dup/reo/rst/mal')) {
    lines.push('dup/reo/rst/mal: duplicates, reordered, restarts, malformed');
  }

  return lines;
}

/** Wraps text to `width` at spaces; lines after the first are indented by `indent` spaces. */
function wrap(text: string, width: number, indent = 0): string {
  return wrapAnsi(text, Math.max(10, width), {hard: true})
    .split('\n')
    .join(`\n${' '.repeat(indent)}`);
}

/** Past a day a delay or interval says only that: a clock years off, not a network. */
export const sanityBoundMs = 86_400_000;

type Decimals = 0 | 1 | 2;

/**
 * How many decimals a column's figures get, one rule for the whole column: hundredths when its
 * largest figure is below 10 ms (where loopback delays live), tenths below 100 ms, whole
 * milliseconds above.
 */
export function columnDecimals(
  values: ReadonlyArray<number | undefined>,
): Decimals {
  let largest = 0;
  for (const value of values) {
    if (
      value !== undefined &&
      Number.isFinite(value) &&
      Math.abs(value) <= sanityBoundMs
    ) {
      largest = Math.max(largest, Math.abs(value));
    }
  }

  if (largest < 9.995) {
    return 2;
  }

  return largest < 99.95 ? 1 : 0;
}

/**
 * A figure in milliseconds in few characters, so that three fit one cell: `0.35`, `12`, `1020`,
 * with the column's decimals (columnDecimals; by default those of the figure alone). Past a day
 * (`>1d`, `<-1d`), as the dashboard says, never an exponent.
 */
export function compactMs(ms: number, decimals?: Decimals): string {
  if (!Number.isFinite(ms)) {
    return '-';
  }

  if (ms > sanityBoundMs) {
    return '>1d';
  }

  if (ms < -sanityBoundMs) {
    return '<-1d';
  }

  return ms.toFixed(decimals ?? columnDecimals([ms]));
}

/** The decimals of each column of figures, from every row shown. */
type Precision = {
  readonly delay: Decimals;
  readonly jitter: Decimals;
  readonly interval: Decimals;
};

function precisionOf(clients: readonly ClientRecord[]): Precision {
  return {
    delay: columnDecimals(
      clients.flatMap((client) => [
        client.delayMinMs,
        client.delayAvgMs,
        client.delayMaxMs,
      ]),
    ),
    jitter: columnDecimals(clients.map((client) => client.jitterMs)),
    interval: columnDecimals(
      clients.flatMap((client) => [
        client.intervalMeanMs,
        client.intervalStdDevMs,
      ]),
    ),
  };
}

function delayCell(client: ClientRecord, decimals: Decimals): string {
  const {delayMinMs, delayAvgMs, delayMaxMs} = client;
  if (
    delayMinMs === undefined ||
    delayAvgMs === undefined ||
    delayMaxMs === undefined
  ) {
    return '-';
  }

  return `${compactMs(delayMinMs, decimals)}/${compactMs(delayAvgMs, decimals)}/${compactMs(delayMaxMs, decimals)}`;
}

function intervalCell(client: ClientRecord, decimals: Decimals): string {
  const {intervalMeanMs, intervalStdDevMs} = client;
  if (intervalMeanMs === undefined) {
    return '-';
  }

  return intervalStdDevMs === undefined
    ? compactMs(intervalMeanMs, decimals)
    : `${compactMs(intervalMeanMs, decimals)}+-${compactMs(intervalStdDevMs, decimals)}`;
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

function tableRow(
  client: ClientRecord,
  endedAt: number,
  precision: Precision,
): SummaryRow {
  // Cells stay ASCII: the table measures widths with String#length.
  return {
    client: client.name ?? client.key,
    state: client.state,
    recv: client.received,
    repl: client.replied,
    drop: client.dropped,
    unans: client.unanswered,
    lost: client.lost,
    'loss%':
      client.lossPercent === undefined ? '-' : client.lossPercent.toFixed(1),
    'delay min/avg/max': delayCell(client, precision.delay),
    jitter:
      client.jitterMs === undefined
        ? '-'
        : compactMs(client.jitterMs, precision.jitter),
    interval: intervalCell(client, precision.interval),
    'dup/reo/rst/mal': `${client.duplicates}/${client.reordered}/${client.restarts}/${client.malformed}`,
    'last heard': lastHeartbeatCell(client.lastHeartbeat, endedAt),
    clock:
      client.clockOffsetMs === undefined
        ? '-'
        : formatClockOffset(client.clockOffsetMs),
  };
}

function renderTable(rows: SummaryRow[], keys: readonly ColumnKey[]): string {
  const columns = allColumns.filter((column) =>
    keys.includes(columnKey(column)),
  );
  // Wide enough that no row wraps (fitTable has fitted them); Ink does not pad lines to it.
  const lines = renderToString(
    createElement(Table<SummaryRow>, {data: rows, columns: [...columns]}),
    {
      columns: 1000,
    },
  ).split('\n');
  // One line per client: the rule under the headings stays, those between rows go.
  const isRule = (line: string) =>
    stripVTControlCharacters(line).startsWith('├');
  const headingRule = lines.findIndex((line) => isRule(line));
  return lines
    .filter((line, index) => !isRule(line) || index === headingRule)
    .join('\n');
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
function formatResets(resets: readonly number[]): string | undefined {
  if (resets.length === 0) {
    return undefined;
  }

  const times = resets.map((time) => formatIsoTime(time)).join(', ');
  return `${resets.length === 1 ? 'once' : `${resets.length} times`}, at ${times} (totals cover the whole run; client rows count from the last reset)`;
}

/**
 * The report printed at exit: where the server listened, when, for how long, the loss settings,
 * the totals, then a table of the clients (sorted by address; the first `maxRows` of them).
 */
export function formatSummary(input: SummaryInput): string {
  const maxRows = Math.max(0, input.maxRows ?? summaryTableRows);
  const width = input.width ?? summaryWidth();
  // Each heading's value starts at column 15; what wraps lines up under it.
  const field = (name: string, value: string) =>
    `  ${name.padEnd(13)}${wrap(value, width - 15, 15)}`;
  const clients = [...input.clients].toSorted((a, b) =>
    clientOrder.compare(a.key, b.key),
  );
  const lines = [
    'udp-heartbeat summary',
    field('listened on', input.listening),
    field('started', formatIsoTime(input.startedAt)),
    field('ended', formatIsoTime(input.endedAt)),
    field('duration', formatUptime(input.endedAt - input.startedAt)),
    field('loss', formatLoss(input)),
    field('totals', formatTotals(input.totals)),
    ...[formatResets(input.resets ?? [])]
      .filter((value) => value !== undefined)
      .map((value) => field('reset', value)),
    field('clients', String(input.clientCount ?? clients.length)),
  ];
  if (clients.length === 0) {
    lines.push('', 'No clients were heard.');
    return lines.join('\n');
  }

  const shown = clients.slice(0, maxRows);
  const more = (input.clientCount ?? clients.length) - shown.length;
  const moreLine =
    more > 0
      ? wrap(
          `… and ${more} more ${more === 1 ? 'client' : 'clients'}${
            input.logPath === undefined
              ? ''
              : ` (all of them are in the summary rows of ${JSON.stringify(input.logPath)})`
          }`,
          width,
        )
      : undefined;
  lines.push('');
  if (shown.length > 0) {
    const withUnanswered = shown.some((client) => client.unanswered > 0);
    const withClock = shown.some(
      (client) => client.clockOffsetMs !== undefined,
    );
    const precision = precisionOf(shown);
    const table = fitTable(
      shown.map((client) => tableRow(client, input.endedAt, precision)),
      width,
      {withUnanswered, withClock},
    );
    // The clients left out are said where the table ends, before the legend of its headings.
    lines.push(
      renderTable(table.rows, table.keys),
      ...(moreLine === undefined ? [] : [moreLine]),
      ...[
        ...legendFor(table.keys),
        table.keys.includes('unans') ? unansweredLegend : undefined,
        table.keys.includes('clock') ? clockLegend : undefined,
      ]
        .filter((line) => line !== undefined)
        .map((line) => wrap(line, width)),
    );
  } else if (moreLine !== undefined) {
    lines.push(moreLine);
  }

  return lines.join('\n');
}
