import {describeSystemError, errorCode} from './system-error.js';

export type LineWriterOptions = {
  /** How long a line may wait before its batch is written; default 50 ms. */
  readonly flushIntervalMs?: number;
  /**
   * Most output held while the stream is not taking more (back-pressure); lines past it are
   * skipped and counted. Measured in characters, which is bytes for the ASCII lines written here.
   * Default 8 MiB.
   */
  readonly maxBufferedBytes?: number;
  /** The line that reports skipped lines once the stream takes output again. */
  readonly skippedLine?: (count: number) => string;
  /**
   * Told once when the reader has gone (EPIPE: piped into `head`) or the stream was closed, so
   * the program can stop as it would on SIGTERM rather than serve into nothing. Other failures
   * (a full disk under a redirect) only stop the output.
   */
  readonly onOutputClosed?: (reason: string) => void;
};

/** The errors that mean nobody reads the output any more. */
const closedCodes = new Set(['EPIPE', 'ERR_STREAM_DESTROYED', 'ECONNRESET']);

export type LineWriter = {
  /** Queues one line (without its newline). Never blocks and never throws. */
  write(line: string): void;
  /** Resolves when every line queued so far has been written, or the stream has failed. Never rejects. */
  flush(): Promise<void>;
  /** Flushes and stops taking lines. The stream itself stays open (it is usually stdout). */
  close(): Promise<void>;
  /** Lines left out because the stream could not keep up. */
  readonly skipped: number;
  /** Why the stream stopped taking output (a reader that went away), if it did. */
  readonly failure: string | undefined;
};

function defaultSkippedLine(count: number): string {
  return `udp-heartbeat: ${count} ${count === 1 ? 'line was' : 'lines were'} skipped: output could not keep up`;
}

/**
 * Batches lines for a stream (stdout): one `stream.write` per batch rather than per line, which
 * is what keeps up with thousands of events a second. Honours back-pressure with bounded memory,
 * and a reader that goes away (EPIPE, piped into `head`) stops the output, never the process.
 */
export function createLineWriter(
  stream: NodeJS.WritableStream,
  options: LineWriterOptions = {},
): LineWriter {
  const flushIntervalMs = options.flushIntervalMs ?? 50;
  const maxBufferedBytes = options.maxBufferedBytes ?? 8 * 1024 * 1024;
  const skippedLine = options.skippedLine ?? defaultSkippedLine;
  // A batch this big is written at once instead of waiting for the timer.
  const batchBytes = Math.max(
    1,
    Math.min(64 * 1024, Math.floor(maxBufferedBytes / 2)),
  );

  let pending: string[] = [];
  let pendingBytes = 0;
  let waitingForDrain = false;
  /** Lines skipped since the stream last took output; reported when it drains. */
  let skippedUntilDrain = 0;
  let skippedTotal = 0;
  let timer: NodeJS.Timeout | undefined;
  let failure: string | undefined;
  let closed = false;
  // Lines are counted as they are queued and as their write completes, so flush() can wait for
  // exactly the lines queued before it, even while more keep coming.
  let queuedLines = 0;
  let writtenLines = 0;
  let waiters: Array<{target: number; resolve: () => void}> = [];

  function settle(): void {
    if (waiters.length === 0) {
      return;
    }

    const still: typeof waiters = [];
    for (const waiter of waiters) {
      if (failure !== undefined || writtenLines >= waiter.target) {
        waiter.resolve();
      } else {
        still.push(waiter);
      }
    }

    waiters = still;
  }

  function clearTimer(): void {
    if (timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
    }
  }

  let failureCode: string | undefined;
  let closedTold = false;
  function outputClosed(reason: string): void {
    if (closedTold || options.onOutputClosed === undefined) {
      return;
    }

    closedTold = true;
    try {
      options.onOutputClosed(reason);
    } catch {
      // The writer never throws, whatever the listener does.
    }
  }

  function fail(error: unknown): void {
    if (failure !== undefined) {
      return;
    }

    failure = describeSystemError(error);
    failureCode = errorCode(error) ?? '';
    clearTimer();
    pending = [];
    pendingBytes = 0;
    waitingForDrain = false;
    settle();
    if (closedCodes.has(failureCode)) {
      outputClosed(failure);
    }
  }

  function writeOut(): void {
    clearTimer();
    if (failure !== undefined || waitingForDrain || pending.length === 0) {
      return;
    }

    const lines = pending.length;
    const chunk = `${pending.join('\n')}\n`;
    pending = [];
    pendingBytes = 0;
    let accepted: boolean;
    try {
      accepted = stream.write(chunk, (error: unknown) => {
        if (error) {
          fail(error);
          return;
        }

        writtenLines += lines;
        settle();
      });
    } catch (error) {
      fail(error);
      return;
    }

    if (!accepted && failure === undefined) {
      waitingForDrain = true;
    }
  }

  function enqueue(line: string): void {
    pending.push(line);
    pendingBytes += line.length + 1;
    queuedLines++;
  }

  stream.on('error', fail);
  stream.on('drain', () => {
    if (!waitingForDrain) {
      return;
    }

    waitingForDrain = false;
    if (skippedUntilDrain > 0) {
      enqueue(skippedLine(skippedUntilDrain));
      skippedUntilDrain = 0;
    }

    writeOut();
  });
  stream.on('close', () => {
    // A stream closed under us takes nothing more; waiting for a drain would wait forever.
    if (waitingForDrain || pending.length > 0) {
      fail(
        Object.assign(new Error('stream closed'), {
          code: 'ERR_STREAM_DESTROYED',
        }),
      );
    }

    // A stream that failed otherwise (a full disk) is closed by that failure: it was not the reader.
    if (
      !closed &&
      (failureCode === undefined || closedCodes.has(failureCode))
    ) {
      outputClosed(
        failure ?? describeSystemError({code: 'ERR_STREAM_DESTROYED'}),
      );
    }
  });

  async function flush(): Promise<void> {
    writeOut();
    // A pending report of skipped lines is queued at the drain, right after these lines.
    const target = queuedLines + (skippedUntilDrain > 0 ? 1 : 0);
    if (failure !== undefined || writtenLines >= target) {
      return;
    }

    await new Promise<void>((resolve) => {
      waiters.push({target, resolve});
    });
  }

  return {
    write(line) {
      if (closed || failure !== undefined) {
        return;
      }

      if (waitingForDrain) {
        // Once a line is skipped, later ones are too until the drain, so the output keeps its order.
        if (
          skippedUntilDrain > 0 ||
          pendingBytes + line.length + 1 > maxBufferedBytes
        ) {
          skippedUntilDrain++;
          skippedTotal++;
          return;
        }

        enqueue(line);
        return;
      }

      enqueue(line);
      if (pendingBytes >= batchBytes) {
        writeOut();
      } else {
        timer ??= setTimeout(writeOut, flushIntervalMs);
      }
    },
    flush,
    async close() {
      await flush();
      closed = true;
      clearTimer();
    },
    get skipped() {
      return skippedTotal;
    },
    get failure() {
      return failure;
    },
  };
}
