import process from 'node:process';
import meow from 'meow';
import {FlagError} from '../config/flag-error.js';
import {parseNumberFlag} from '../config/parse-number-flag.js';
import {createHeadlessSink, skippedLineFor} from '../output/headless-sink.js';
import {createLineWriter, type LineWriter} from '../output/line-writer.js';
import {formatIsoTime} from '../output/format-time.js';
import {formatSummary} from '../output/summary.js';
import type {EventSink} from '../vocabulary.js';
import {rowProblem} from './event-translation.js';
import {findSession, SessionTracker} from './find-session.js';
import {readLogBatches, type LogRow} from './log-reader.js';
import {createReplayClock} from './replay-clock.js';
import {replayOnDashboard} from './replay-dashboard.js';
import {ReplayDriver} from './replay-driver.js';
import {ReplayInputError} from './replay-input-error.js';

const help = `
  Usage
    $ udp-heartbeat replay FILE [flags]

  Plays a session of a CSV log written by --log back through the server's own engine, at the
  pace it was recorded: on a terminal in the dashboard (space pauses, < and > change the speed,
  q quits with the summary), else printing its events and summary as a headless run does.

  Flags
    --session     the session to play (default: the last one in the file)
    --speed       times faster than recorded; 0 plays as fast as it can (default 1)
    --output      tui (the dashboard, as the run was), text or json
                  (default: tui on a terminal, else text)
    --quiet, -q   keep only state changes and the summary
    --help        show this help

  Examples
    $ udp-heartbeat replay heartbeats.csv --speed 10
    $ udp-heartbeat replay heartbeats.csv --session 5f3a9c2e --speed 0 --output json
`;

export type ReplayOptions = {
  readonly file: string;
  readonly session: string | undefined;
  /** Times faster than recorded; 0 as fast as it can. */
  readonly speed: number;
  readonly output: 'tui' | 'text' | 'json';
  readonly quiet: boolean;
};

const knownFlags: ReadonlySet<string> = new Set([
  'session',
  'speed',
  'output',
  'quiet',
  'q',
  'help',
  'version',
]);

/** Most real-time speed-up accepted; more is as good as `--speed 0`. */
const maxSpeed = 1_000_000;

/** Rows played between waits for the output to be written, so a slow reader slows the replay down instead of losing lines. */
const rowsPerFlush = 2000;

/**
 * Reads the replay's arguments (without the `replay` word).
 *
 * @throws {ReplayInputError} for a missing file or a bad value.
 */
export function parseReplayArguments(
  argv: readonly string[],
  interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY),
): ReplayOptions {
  const cli = meow(help, {
    importMeta: import.meta,
    argv,
    // Unknown flags are told here, in one line like every other mistake.
    allowUnknownFlags: true,
    flags: {
      session: {type: 'string'},
      speed: {type: 'string'},
      output: {type: 'string'},
      quiet: {type: 'boolean', shortFlag: 'q'},
    },
  });
  const unknown = Object.keys(cli.flags).find((name) => !knownFlags.has(name));
  if (unknown !== undefined) {
    const flag =
      unknown.length === 1
        ? `-${unknown}`
        : `--${unknown.replaceAll(/[A-Z]/gv, (letter) => `-${letter.toLowerCase()}`)}`;
    throw new ReplayInputError(`unknown flag ${flag} (see --help)`);
  }

  const [file, extra] = cli.input;
  if (file === undefined) {
    throw new ReplayInputError(
      'no log named; give the CSV log to play: udp-heartbeat replay FILE (see --help)',
    );
  }

  if (extra !== undefined) {
    throw new ReplayInputError(
      `unexpected argument ${JSON.stringify(extra)} (see --help)`,
    );
  }

  const {output = interactive ? 'tui' : 'text', session} = cli.flags;
  if (output !== 'tui' && output !== 'text' && output !== 'json') {
    throw new ReplayInputError(
      `--output: ${JSON.stringify(output)} is not allowed; expected tui, text or json`,
    );
  }

  if (output === 'tui' && !interactive) {
    throw new ReplayInputError(
      '--output: tui needs a terminal on standard input and output; use text or json',
    );
  }

  if (session === '') {
    throw new ReplayInputError('--session: the session id is empty');
  }

  let speed = 1;
  if (cli.flags.speed !== undefined) {
    try {
      speed = parseNumberFlag('speed', cli.flags.speed, {
        min: 0,
        max: maxSpeed,
        allowed: `a number from 0 (as fast as it can) to ${maxSpeed}`,
      });
    } catch (error) {
      if (error instanceof FlagError) {
        throw new ReplayInputError(error.message);
      }

      throw error;
    }
  }

  return {file, session, speed, output, quiet: cli.flags.quiet ?? false};
}

/** The session's rows, in file order; between batches it waits for the output to catch up. */
async function* sessionRows(
  file: string,
  session: string,
  writer: LineWriter | undefined,
  tracker: SessionTracker | undefined,
): AsyncGenerator<LogRow[], void, undefined> {
  let sinceFlush = 0;
  for await (const rows of readLogBatches(file, rowProblem)) {
    if (tracker !== undefined) {
      for (const row of rows) {
        tracker.see(row);
      }
    }

    const ours = rows.filter((row) => row.session === session);
    yield ours;
    sinceFlush += ours.length;
    if (sinceFlush >= rowsPerFlush) {
      sinceFlush = 0;
      await writer?.flush();
    }
  }
}

/** The start event says that this is a replay, and how fast, before what the run recorded. */
function markReplay(sink: EventSink, speed: number): EventSink {
  return (event) => {
    if (event.event !== 'start') {
      sink(event);
      return;
    }

    const recorded = event.detail === undefined ? '' : `;${event.detail}`;
    sink({...event, detail: `replay=true;speed=${speed}${recorded}`});
  };
}

/** The text summary: which session of which file, recorded when, then the run's summary. */
function summaryText(
  driver: ReplayDriver,
  file: string,
  session: string,
): string {
  const {settings} = driver;
  const recorded = `recorded ${formatIsoTime(driver.startedAt)} to ${formatIsoTime(driver.endedAt)}`;
  const ending = driver.stopped
    ? ' (stopped before the end of the log)'
    : driver.finished
      ? ''
      : ' (the log ends before the run shut down)';
  return `replay of session ${session} from ${file}, ${recorded}${ending}\n${formatSummary(
    {
      listening: settings.listening ?? 'unknown (the log does not say)',
      startedAt: driver.startedAt,
      endedAt: driver.endedAt,
      lossPercent: driver.lossPercent,
      lossChanged: driver.lossChanged,
      seed: settings.seed,
      totals: driver.store.totals,
      clients: driver.clients(),
      logPath: file,
    },
  )}`;
}

async function writeOut(text: string): Promise<void> {
  await new Promise<void>((resolve) => {
    process.stdout.write(text, () => {
      resolve();
    });
  });
}

/** Plays the session and prints its events, then the summary (text) or summary events (json). */
export async function replay(options: ReplayOptions): Promise<void> {
  // Without --session the log is read once to find its last session and check every row, then
  // again to play. With it, once: rows are checked as they are played, and a session the file
  // does not hold is told at the end, nothing having been played.
  const tracker =
    options.session === undefined
      ? undefined
      : new SessionTracker(options.file, options.session);
  const session =
    options.session ?? (await findSession(options.file, undefined));
  if (options.output === 'tui') {
    const driver = await replayOnDashboard({
      source: options.file,
      speed: options.speed,
      rows: sessionRows(options.file, session, undefined, tracker),
    });
    if (!driver.stopped) {
      tracker?.chosen();
    }

    await writeOut(`${summaryText(driver, options.file, session)}\n`);
    return;
  }

  const writer = createLineWriter(process.stdout, {
    skippedLine: skippedLineFor(options.output, session),
  });
  const sink = markReplay(
    createHeadlessSink({
      format: options.output,
      quiet: options.quiet,
      session,
      writer,
    }),
    options.speed,
  );
  const clock = createReplayClock(options.speed);
  const driver = new ReplayDriver({clock, sink, source: options.file});
  const stop = () => {
    driver.stop();
  };

  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, stop);
  }

  await driver.play(sessionRows(options.file, session, writer, tracker));
  await writer.flush();
  if (!driver.stopped) {
    tracker?.chosen();
  }

  if (options.output === 'json') {
    return;
  }

  await writeOut(`${summaryText(driver, options.file, session)}\n`);
}

/**
 * `udp-heartbeat replay FILE [flags]`, given the arguments after `replay`: resolves with the exit
 * code. A bad flag or a file that is not a log is one line on stderr and exit code 2.
 */
export async function replayCommand(argv: readonly string[]): Promise<number> {
  try {
    await replay(parseReplayArguments(argv));
    return 0;
  } catch (error) {
    if (error instanceof ReplayInputError) {
      process.stderr.write(`udp-heartbeat: replay: ${error.message}\n`);
      return 2;
    }

    throw error;
  }
}
