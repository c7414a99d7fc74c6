import {Buffer} from 'node:buffer';
import {open, type FileHandle} from 'node:fs/promises';
import {stringify} from 'csv-stringify/sync';
import type {HeartbeatEvent} from '../vocabulary.js';
import {eventColumns, formatDelayMs} from '../output/format-event.js';
import {formatIsoTime} from '../output/format-time.js';
import {describeSystemError, errorReason} from '../output/system-error.js';

/** The log file cannot be used; the message is one line naming the flag, the path and the reason. */
export class LogOpenError extends Error {
  readonly path: string;

  constructor(path: string, reason: string) {
    super(`--log: cannot open ${JSON.stringify(path)}: ${reason}`);
    this.name = 'LogOpenError';
    this.path = path;
  }
}

export type CsvLogOptions = {
  /** The run's id, the first column of every row. */
  readonly session: string;
  /** Told once per distinct failure while running (`log write failed: no space left on device (ENOSPC)`). Serving goes on. */
  readonly onError: (message: string) => void;
  /** How long an event may wait before its batch is written; default 100 ms. */
  readonly flushIntervalMs?: number;
  /** A batch this large is written without waiting for the timer; default 2000 events. */
  readonly batchEvents?: number;
  /** Most events held while the disk is slow; past it events are counted as not written. Default 100000. */
  readonly maxPendingEvents?: number;
};

export type CsvLog = {
  readonly path: string;
  /** Queues one event. O(1), never blocks, never throws. */
  write(event: HeartbeatEvent): void;
  /** Writes everything queued and closes the file; afterwards the file ends with complete rows. Never rejects. */
  close(): Promise<void>;
  /**
   * Finishes the write under way, closes the file and opens the path again (SIGUSR1, after
   * logrotate moved the file): rows queued meanwhile go to the new file, none lost or doubled. If
   * the path cannot be opened, writing goes on to the old file and the failure is reported.
   * Never rejects.
   */
  reopen(): Promise<void>;
  /** The latest write failure, if any, for the dashboard's header. */
  lastError(): string | undefined;
  /** Events that were not written: failed writes, more than the disk could take, events after close. */
  notWritten(): number;
};

/**
 * The log's columns: the event's fields, then the exact values a replay needs to rebuild the
 * statistics bit for bit (`time` and `delay_ms` are rounded for people) and the clock offset of a
 * client in another time zone, which its delay is net of. New columns only ever go at the end, so
 * older logs stay readable.
 */
export const logColumns = [
  ...eventColumns,
  'time_ms',
  'delay_exact_ms',
  'clock_offset_ms',
  'name',
  'address',
] as const;

/** A number as JavaScript writes it: the shortest text that reads back as the very same double. */
function exactNumber(value: number | undefined): string | undefined {
  return value === undefined || !Number.isFinite(value)
    ? undefined
    : String(value);
}

function toRow(
  session: string,
  event: HeartbeatEvent,
): Array<string | number | undefined> {
  return [
    session,
    formatIsoTime(event.time),
    event.event,
    event.client,
    event.seq,
    event.delayMs === undefined ? undefined : formatDelayMs(event.delayMs),
    event.detail,
    exactNumber(event.time),
    exactNumber(event.delayMs),
    // The time zone the delay is net of, so that a replay reads the client's clock as the run did.
    event.clockOffsetMs,
    // A named client's name, and its address where its key is that name (`--client-key name`).
    event.name,
    event.address,
  ];
}

/** The most of a file's start read to check its first line: the header is far shorter. */
const headerProbeBytes = 4096;

/**
 * Whether a first line is this log's header: the event columns, then any of the columns later
 * versions added, in order (an older log is appended to; replay reads both).
 */
function isLogHeader(line: string): boolean {
  const names = line.replace(/\r$/v, '').split(',');
  return (
    names.length >= eventColumns.length &&
    names.length <= logColumns.length &&
    names.every((name, index) => name === logColumns[index])
  );
}

/**
 * What an existing file holds, read before anything is written: whether it is empty, whether it
 * is a log (its first line is the header), and whether its last line was cut (a killed run).
 * Files that are not regular (a device such as /dev/full, a pipe) are written as they are.
 */
async function inspect(
  handle: FileHandle,
): Promise<{empty: boolean; log: boolean; cutLastLine: boolean}> {
  const stats = await handle.stat();
  if (!stats.isFile() || stats.size === 0) {
    return {empty: stats.size === 0, log: true, cutLastLine: false};
  }

  const probe = Buffer.alloc(Math.min(headerProbeBytes, stats.size));
  const {bytesRead} = await handle.read(probe, 0, probe.length, 0);
  const start = probe.subarray(0, bytesRead);
  const newline = start.indexOf(0x0a);
  // A first line longer than the probe, or binary bytes, are not a header: latin1 keeps bytes as they are.
  const firstLine = start
    .subarray(0, newline === -1 ? start.length : newline)
    .toString('latin1');
  const last = Buffer.alloc(1);
  await handle.read(last, 0, 1, stats.size - 1);
  return {
    empty: false,
    log: (newline !== -1 || bytesRead === stats.size) && isLogHeader(firstLine),
    cutLastLine: last[0] !== 0x0a,
  };
}

async function openForAppend(
  path: string,
): Promise<{handle: FileHandle; empty: boolean; cutLastLine: boolean}> {
  if (path === '') {
    throw new LogOpenError(path, 'the path is empty');
  }

  let handle: FileHandle;
  try {
    // Append mode creates a missing file and never overwrites what earlier runs wrote; reading
    // checks that a file already there is a log before a byte is added to it.
    handle = await open(path, 'a+');
  } catch (error) {
    throw new LogOpenError(path, errorReason(error));
  }

  let found;
  try {
    found = await inspect(handle);
  } catch (error) {
    await handle.close().catch(() => undefined);
    throw new LogOpenError(path, errorReason(error));
  }

  if (!found.log) {
    await handle.close().catch(() => undefined);
    throw new LogOpenError(
      path,
      `it is not empty and not a log written by --log (its first line is not ${logColumns.join(',')}); name a new file or an earlier log`,
    );
  }

  return {handle, empty: found.empty, cutLastLine: found.cutLastLine};
}

/**
 * Opens the CSV event log for appending: the header `session,time,event,client,seq,delay_ms,detail,time_ms,delay_exact_ms,clock_offset_ms,name,address`
 * goes in only when the file is new or empty. A file that is not empty must already be such a log
 * (its first line the header): anything else is refused, untouched. Rows are queued and written in batches by
 * csv-stringify (which does all the quoting), so logging never holds up packet handling.
 *
 * @throws {LogOpenError} when the file cannot be opened for writing, or is not a log.
 */
export async function openCsvLog(
  path: string,
  options: CsvLogOptions,
): Promise<CsvLog> {
  const {session, onError} = options;
  const flushIntervalMs = options.flushIntervalMs ?? 100;
  const batchEvents = options.batchEvents ?? 2000;
  const maxPendingEvents = options.maxPendingEvents ?? 100_000;
  const opened = await openForAppend(path);
  let {handle} = opened;

  let headerPending = opened.empty;
  let pending: HeartbeatEvent[] = [];
  let writing: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let timerDelayMs = 0;
  let closing = false;
  let closed: Promise<void> | undefined;
  let lastError: string | undefined;
  /** The failure last told to onError; cleared by a successful write, so a new failure is told again. */
  let reported: string | undefined;
  let notWritten = 0;
  /** A failed write (or a killed earlier run) left part of a row behind: the next write starts on a new line. */
  let partialRow = opened.cutLastLine;
  /** A reopen under way: no write starts until the new file is in place. */
  let reopening: Promise<void> | undefined;

  function report(message: string): void {
    lastError = message;
    if (message === reported) {
      return;
    }

    reported = message;
    try {
      onError(message);
    } catch {
      // The log must never take the server down, whatever the listener does.
    }
  }

  function clearTimer(): void {
    if (timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
    }
  }

  async function writeBatch(batch: HeartbeatEvent[]): Promise<void> {
    let buffer: Uint8Array;
    try {
      const rows: Array<ReadonlyArray<string | number | undefined>> = [];
      if (headerPending) {
        rows.push(logColumns);
      }

      for (const event of batch) {
        rows.push(toRow(session, event));
      }

      buffer = Buffer.from((partialRow ? '\n' : '') + stringify(rows));
    } catch (error) {
      notWritten += batch.length;
      report(`log write failed: ${describeSystemError(error)}`);
      return;
    }

    let offset = 0;
    // One batch goes to one file, whatever a reopen does meanwhile.
    const target = handle;
    try {
      while (offset < buffer.length) {
        const {bytesWritten} = await target.write(
          buffer,
          offset,
          buffer.length - offset,
        );
        offset += bytesWritten;
      }
    } catch (error) {
      if (offset > 0) {
        partialRow = buffer[offset - 1] !== 0x0a;
        headerPending = false;
      }

      notWritten += batch.length;
      report(`log write failed: ${describeSystemError(error)}`);
      return;
    }

    headerPending = false;
    partialRow = false;
    reported = undefined;
  }

  async function writeQueued(): Promise<void> {
    // Events that arrive during a write form the next batch: under load, batches grow by themselves.
    do {
      const batch = pending;
      pending = [];
      await writeBatch(batch);
    } while (moreToWrite());
  }

  function moreToWrite(): boolean {
    // A reopen waits for the batch under way only: rows queued after it go to the new file.
    if (reopening !== undefined) {
      return false;
    }

    return pending.length >= batchEvents || (closing && pending.length > 0);
  }

  function startWriting(): void {
    clearTimer();
    if (
      reopening !== undefined ||
      writing !== undefined ||
      (pending.length === 0 && !headerPending)
    ) {
      return;
    }

    writing = writeQueued().finally(() => {
      writing = undefined;
      if (pending.length > 0 && !closing) {
        schedule(flushIntervalMs);
      }
    });
  }

  /** Starts a write after `delayMs`, unless one is running (it takes the new events) or due sooner. */
  function schedule(delayMs: number): void {
    if (
      writing !== undefined ||
      (timer !== undefined && timerDelayMs <= delayMs)
    ) {
      return;
    }

    clearTimer();
    timer = setTimeout(startWriting, delayMs);
    timerDelayMs = delayMs;
  }

  async function reopenFile(): Promise<void> {
    clearTimer();
    // The write under way finishes on the old file; none starts while `reopening` is set.
    await writing;
    const old = handle;
    try {
      const next = await openForAppend(path);
      handle = next.handle;
      headerPending = next.empty;
      partialRow = next.cutLastLine;
    } catch (error) {
      report(
        `log reopen failed: ${error instanceof Error ? error.message : String(error)}`,
      );
      return;
    }

    try {
      await old.close();
    } catch (error) {
      report(`log close failed: ${describeSystemError(error)}`);
    }
  }

  async function close(): Promise<void> {
    closing = true;
    clearTimer();
    await reopening;
    while (writing !== undefined || pending.length > 0) {
      startWriting();
      await writing;
    }

    try {
      await handle.close();
    } catch (error) {
      report(`log close failed: ${describeSystemError(error)}`);
    }
  }

  // The header goes out at once, so a new log shows its columns from the start.
  startWriting();

  return {
    path,
    write(event) {
      if (closing) {
        notWritten++;
        return;
      }

      if (pending.length >= maxPendingEvents) {
        notWritten++;
        report(
          'log write failed: the disk is not keeping up; events are left out',
        );
        return;
      }

      pending.push(event);
      // A full batch goes out on the next turn of the event loop, not inside this call: formatting
      // it takes milliseconds, and this runs on the packet path.
      schedule(pending.length >= batchEvents ? 0 : flushIntervalMs);
    },
    async close() {
      closed ??= close();
      return closed;
    },
    async reopen() {
      if (closing) {
        return;
      }

      // Signals in a burst: one reopen after the one under way is enough.
      reopening ??= reopenFile().finally(() => {
        reopening = undefined;
        startWriting();
      });
      return reopening;
    },
    lastError: () => lastError,
    notWritten: () => notWritten,
  };
}
