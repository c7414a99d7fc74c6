import {Buffer} from 'node:buffer';
import {createReadStream} from 'node:fs';
import {open, stat} from 'node:fs/promises';
import {parse} from 'csv-parse';
import {parse as parseSync} from 'csv-parse/sync';
import {eventColumns} from '../output/format-event.js';
import {errorReason} from '../output/system-error.js';
import {readName} from '../protocol/parse-structured.js';
import {clockOffsetStepMs, maxClockOffsetMs} from '../store/client-state.js';
import {ReplayInputError} from './replay-input-error.js';

/** One row of a CSV log, checked and typed. */
export type LogRow = {
  /** The row's line in the file (1 is the header), for messages. */
  readonly line: number;
  readonly session: string;
  /** Milliseconds since the epoch: exact when the log has `time_ms`, else the millisecond of `time`. */
  readonly time: number;
  /** Whether `time` and `delayMs` are the exact values the run had, not the rounded ones. */
  readonly exact: boolean;
  readonly event: string;
  readonly client: string | undefined;
  readonly seq: number | undefined;
  readonly delayMs: number | undefined;
  readonly detail: string | undefined;
  /** The time zone offset `delayMs` is net of (the client's clock ahead of the server's); 0 when none. */
  readonly clockOffsetMs: number;
  /** The client's name, where its heartbeats gave it one. */
  readonly name?: string | undefined;
  /** Where a client keyed by name sent from (`192.0.2.7:5000`). */
  readonly address?: string | undefined;
};

/** What else is wrong with a well-formed row (an unknown event), or undefined. */
export type RowCheck = (row: LogRow) => string | undefined;

/** Where each column sits. The first seven are every log's; later ones were added at the end. */
const column = {
  session: 0,
  time: 1,
  event: 2,
  client: 3,
  seq: 4,
  delayMs: 5,
  detail: 6,
  timeMs: 7,
  delayExactMs: 8,
  clockOffsetMs: 9,
  name: 10,
  address: 11,
} as const;

/** Longest row accepted: a row is well under 2 KiB, so more is not a log (or binary junk without newlines). */
const maxRecordBytes = 64 * 1024;

const isoTime =
  /^(?<year>\d{4}|[+\-]\d{6})-(?<month>\d\d)-(?<day>\d\d)T(?<hour>\d\d):(?<minute>\d\d):(?<second>\d\d)\.(?<ms>\d{3})(?<sign>[+\-])(?<offsetHours>\d\d):(?<offsetMinutes>\d\d)$/v;

const decimal = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+\-]?\d+)?$/iv;

const sequenceNumber = /^\d{1,16}$/v;

/**
 * The instant an ISO 8601 time as the log writes it (`2026-11-24T06:31:07.123+01:00`) names, or
 * undefined when it is not one: impossible dates and times (month 13, February 30) included.
 */
export function parseLogTime(text: string): number | undefined {
  const groups = isoTime.exec(text)?.groups;
  if (groups === undefined) {
    return undefined;
  }

  const year = Number(groups.year);
  const month = Number(groups.month);
  const day = Number(groups.day);
  const hour = Number(groups.hour);
  const minute = Number(groups.minute);
  const second = Number(groups.second);
  const offsetMinutes =
    Number(groups.offsetHours) * 60 + Number(groups.offsetMinutes);
  if (
    month < 1 ||
    month > 12 ||
    hour > 23 ||
    minute > 59 ||
    second > 59 ||
    offsetMinutes > 14 * 60 ||
    Number(groups.offsetMinutes) > 59
  ) {
    return undefined;
  }

  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, Number(groups.ms));
  if (date.getUTCDate() !== day || Number.isNaN(date.getTime())) {
    return undefined;
  }

  const sign = groups.sign === '-' ? -1 : 1;
  return date.getTime() - sign * offsetMinutes * 60_000;
}

function optionalNumber(
  text: string | undefined,
  name: string,
  fail: (message: string) => never,
): number | undefined {
  if (text === undefined || text === '') {
    return undefined;
  }

  const value = Number(text);
  if (!decimal.test(text) || !Number.isFinite(value)) {
    fail(`${name} ${JSON.stringify(text)} is not a number`);
  }

  return value;
}

/** What the server takes for a time zone: whole quarter hours, at most 14 hours either way. */
function isZoneOffset(offsetMs: number): boolean {
  return (
    Number.isInteger(offsetMs / clockOffsetStepMs) &&
    Math.abs(offsetMs) <= maxClockOffsetMs
  );
}

function toRow(
  record: readonly string[],
  line: number,
  check: RowCheck,
  fail: (message: string) => never,
): LogRow {
  if (record.length < eventColumns.length) {
    fail(
      `the row has ${record.length} of the ${eventColumns.length} columns (cut short?)`,
    );
  }

  const session = record[column.session]!;
  if (session === '' || session.length > 64) {
    fail(`${JSON.stringify(session.slice(0, 70))} is not a session id`);
  }

  const timeText = record[column.time]!;
  const isoMs = parseLogTime(timeText);
  if (isoMs === undefined) {
    fail(
      `${JSON.stringify(timeText.slice(0, 40))} is not a time like 2026-11-24T06:31:07.123+01:00`,
    );
  }

  const event = record[column.event]!;
  const seqText = record[column.seq]!;
  if (seqText !== '' && !sequenceNumber.test(seqText)) {
    fail(
      `seq ${JSON.stringify(seqText.slice(0, 40))} is not a sequence number`,
    );
  }

  const seq = seqText === '' ? undefined : Number(seqText);
  if (seq !== undefined && !Number.isSafeInteger(seq)) {
    fail(`seq ${seqText} is too large`);
  }

  const timeMs = optionalNumber(record[column.timeMs], 'time_ms', fail);
  // `time` is `time_ms` cut to the millisecond: a row where they disagree was not written by --log.
  if (timeMs !== undefined && Math.floor(timeMs) !== isoMs) {
    fail(`time_ms ${record[column.timeMs]} is not the time ${timeText}`);
  }

  const delayMs = optionalNumber(record[column.delayMs], 'delay_ms', fail);
  const delayExactMs = optionalNumber(
    record[column.delayExactMs],
    'delay_exact_ms',
    fail,
  );
  const clockOffsetMs = optionalNumber(
    record[column.clockOffsetMs],
    'clock_offset_ms',
    fail,
  );
  if (clockOffsetMs !== undefined && !isZoneOffset(clockOffsetMs)) {
    fail(
      `clock_offset_ms ${record[column.clockOffsetMs]} is not a time zone offset (quarter hours, at most 14 h)`,
    );
  }

  const nameText = record[column.name] ?? '';
  // A name is a client's own text: one a live run could not have logged is not read.
  const name = nameText === '' ? undefined : readName(nameText);
  if (nameText !== '' && name !== nameText) {
    fail(
      `name ${JSON.stringify(nameText.slice(0, 70))} is not a client name (1 to 64 printable characters)`,
    );
  }

  const addressText = record[column.address] ?? '';
  const client = record[column.client]!;
  const detail = record[column.detail]!;
  const row: LogRow = {
    line,
    session,
    time: timeMs ?? isoMs,
    exact: timeMs !== undefined,
    event,
    client: client === '' ? undefined : client,
    seq,
    delayMs: delayExactMs ?? delayMs,
    detail: detail === '' ? undefined : detail,
    clockOffsetMs: clockOffsetMs ?? 0,
    // Always both, so that every row has the one shape: a million rows make no garbage of spreads.
    name,
    address: addressText === '' ? undefined : addressText,
  };
  const problem = check(row);
  if (problem !== undefined) {
    fail(problem);
  }

  return row;
}

async function openLog(
  path: string,
): Promise<ReturnType<typeof createReadStream>> {
  let stats;
  try {
    stats = await stat(path);
  } catch (error) {
    const reason = errorReason(error);
    throw new ReplayInputError(
      `cannot read ${JSON.stringify(path)}: ${reason === 'no such directory' ? 'no such file' : reason}`,
    );
  }

  if (stats.isDirectory()) {
    throw new ReplayInputError(
      `cannot read ${JSON.stringify(path)}: it is a directory, not a log file`,
    );
  }

  // A log is read twice (once to find its sessions, once to play one): a pipe cannot be.
  if (!stats.isFile()) {
    throw new ReplayInputError(
      `cannot read ${JSON.stringify(path)}: not a regular file`,
    );
  }

  if (stats.size === 0) {
    throw new ReplayInputError(
      `${JSON.stringify(path)} is empty: not a log written by --log`,
    );
  }

  await checkFirstLine(path);
  return createReadStream(path);
}

/** The most of a file's start read to check its header: the header is far shorter. */
const headerProbeBytes = 4096;

/**
 * Checks the header before anything else is parsed, so that a file that is not a log (a README, a
 * spreadsheet) is named as wrong at line 1, not at the first line the CSV parser trips on.
 */
async function checkFirstLine(path: string): Promise<void> {
  const fail = (message: string): never => {
    throw new ReplayInputError(`${path} line 1: ${message}`);
  };

  let start: Buffer;
  try {
    const handle = await open(path, 'r');
    try {
      const probe = Buffer.alloc(headerProbeBytes);
      const {bytesRead} = await handle.read(probe, 0, probe.length, 0);
      start = probe.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw new ReplayInputError(
      `cannot read ${JSON.stringify(path)}: ${errorReason(error)}`,
    );
  }

  const newline = start.indexOf(0x0a);
  let record: string[] | undefined;
  try {
    const records: string[][] = parseSync(
      start.subarray(0, newline === -1 ? start.length : newline),
      {bom: true, relax_column_count: true},
    );
    record = records[0];
  } catch {
    record = undefined;
  }

  checkHeader(record ?? [], fail);
}

/** The first line of csv-parse's message, without the position it repeats. */
function csvReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]!.replace(/:? ?at line \d+.*$/v, '');
}

function checkHeader(
  record: readonly string[],
  fail: (message: string) => never,
): void {
  if (!eventColumns.every((name, index) => record[index] === name)) {
    fail(
      `not a log written by --log: the header is not ${eventColumns.join(',')}`,
    );
  }
}

type ParsedRecord = {readonly record: string[]; readonly line: number};

/** Settles when the parser has more to read, has ended, or has failed. */
async function readable(parser: ReturnType<typeof parse>): Promise<void> {
  await new Promise<void>((resolve) => {
    const done = () => {
      parser.off('readable', done);
      parser.off('end', done);
      parser.off('close', done);
      resolve();
    };

    parser.on('readable', done);
    parser.on('end', done);
    parser.on('close', done);
  });
}

function nextRecord(parser: ReturnType<typeof parse>): string[] | null {
  // csv-parse emits each record as an array of strings.
  // eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion
  return parser.read() as string[] | null;
}

/** What the parser has ready, as one array: a row costs no promise of its own. */
async function* recordBatches(
  parser: ReturnType<typeof parse>,
  recordLines: number[],
): AsyncGenerator<ParsedRecord[], void, undefined> {
  // The error is read from `errored` below; this listener only keeps it from being thrown.
  parser.on('error', () => undefined);
  for (;;) {
    const batch: ParsedRecord[] = [];
    for (
      let record = nextRecord(parser);
      record !== null;
      record = nextRecord(parser)
    ) {
      batch.push({record, line: recordLines[batch.length]!});
    }

    recordLines.splice(0, batch.length);

    if (parser.errored !== null) {
      throw parser.errored;
    }

    if (batch.length > 0) {
      yield batch;
    } else if (parser.readableEnded || parser.destroyed) {
      return;
    } else {
      await readable(parser);
    }
  }
}

/**
 * Streams the rows of a CSV log written by `--log`, checked one by one, in file order and in
 * batches of what was read at once: memory stays the same whatever the file's size. The header
 * must start with the log's seven columns; rows may have more columns than it (a newer run that
 * appended to an older log) or fewer than the newest (an older run), never fewer than seven.
 * `check` says what else makes a row wrong.
 *
 * @throws {ReplayInputError} with one line naming the file, the line and what is wrong.
 */
export async function* readLogBatches(
  path: string,
  check: RowCheck,
): AsyncGenerator<LogRow[], void, undefined> {
  const input = await openLog(path);
  const recordLines: number[] = [];
  const parser = parse({
    relax_column_count: true,
    skip_empty_lines: true,
    bom: true,
    max_record_size: maxRecordBytes,
    // The line each record ends on, in the order the records are read, for messages. (Its
    // `info` option gives the same in an object per record, which costs a seventh of the time.)
    on_record(record: string[], context: {readonly lines: number}) {
      recordLines.push(context.lines);
      return record;
    },
  });
  input.on('error', (error) => {
    parser.destroy(
      new ReplayInputError(
        `cannot read ${JSON.stringify(path)}: ${errorReason(error)}`,
      ),
    );
  });
  input.pipe(parser);
  let header = true;
  try {
    for await (const records of recordBatches(parser, recordLines)) {
      const rows: LogRow[] = [];
      for (const {record, line} of records) {
        const fail = (message: string): never => {
          throw new ReplayInputError(`${path} line ${line}: ${message}`);
        };

        if (header) {
          header = false;
          checkHeader(record, fail);
          continue;
        }

        rows.push(toRow(record, line, check, fail));
      }

      if (rows.length > 0) {
        yield rows;
      }
    }
  } catch (error) {
    if (error instanceof ReplayInputError) {
      throw error;
    }

    const line =
      typeof error === 'object' && error !== null && 'lines' in error
        ? error.lines
        : undefined;
    throw new ReplayInputError(
      `${path}${typeof line === 'number' ? ` line ${line}` : ''}: not CSV as --log writes it (${csvReason(error)})`,
    );
  } finally {
    input.destroy();
    parser.destroy();
  }

  if (header) {
    throw new ReplayInputError(
      `${JSON.stringify(path)} holds no rows: not a log written by --log`,
    );
  }
}
