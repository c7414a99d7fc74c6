import process from 'node:process';
import {render} from 'ink';
import {startDemoFleet, type DemoFleet} from './client/demo-fleet.js';
import {systemClock} from './clock.js';
import type {ServerOptions} from './config/server-options.js';
import {openCsvLog, type CsvLog} from './output/csv-log.js';
import {createHeadlessSink, skippedLineFor} from './output/headless-sink.js';
import {createLineWriter, type LineWriter} from './output/line-writer.js';
import {newSessionId} from './output/session-id.js';
import {formatSummary, summaryEvents} from './output/summary.js';
import {randomSeed, seededRandom} from './random.js';
import {startServer, type RunningServer} from './server/start-server.js';
import type {EventSink} from './store/types.js';
import {Dashboard} from './ui/dashboard.js';

/** The signals that shut the server down as `q` does. */
const shutdownSignals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** Calls every sink present; none at all means no event is ever built. */
function combineSinks(
  sinks: ReadonlyArray<EventSink | undefined>,
): EventSink | undefined {
  const present = sinks.filter((sink) => sink !== undefined);
  if (present.length <= 1) {
    return present[0];
  }

  return (event) => {
    for (const sink of present) {
      sink(event);
    }
  };
}

function startDetail(
  running: RunningServer,
  options: ServerOptions,
  seed: number,
): string {
  return [
    `listening=${running.listening}`,
    running.port === running.requestedPort
      ? undefined
      : `busy=${running.requestedPort}-${running.port - 1}`,
    `loss=${running.loss.percent}%`,
    `seed=${seed}`,
    `reply=${options.replyMode}`,
    `idle_timeout=${options.idleTimeoutMs / 1000}s`,
    // A replay needs these to decide liveness and evictions as this run does.
    options.deadAfterMs === undefined
      ? undefined
      : `dead_after=${options.deadAfterMs / 1000}s`,
    `max_clients=${options.maxClients}`,
    `client_key=${options.clientKey}`,
    options.allow ? `allow=${options.allow.text}` : undefined,
  ]
    .filter(Boolean)
    .join(';');
}

function startDemo(
  options: ServerOptions,
  running: RunningServer,
): DemoFleet | undefined {
  if (options.demoClients === 0) {
    return undefined;
  }

  // The demo talks to the server over loopback whenever it listens on every address.
  const host =
    options.host === '0.0.0.0' || options.host === '::'
      ? '127.0.0.1'
      : options.host;
  return startDemoFleet({host, port: running.port, count: options.demoClients});
}

async function writeOut(text: string): Promise<void> {
  await new Promise<void>((resolve) => {
    process.stdout.write(text, () => {
      resolve();
    });
  });
}

type Session = {
  readonly options: ServerOptions;
  readonly running: RunningServer;
  readonly seed: number;
  readonly sink: EventSink | undefined;
  readonly log: CsvLog | undefined;
  readonly writer: LineWriter;
  readonly demo: DemoFleet | undefined;
  ink: ReturnType<typeof render> | undefined;
};

/**
 * The order SPEC.md asks for: stop receiving and close the socket, record the summary, flush and
 * close the log, restore the terminal, then print the summary and exit 0.
 */
async function shutDown(session: Session): Promise<never> {
  const {options, running, sink, log, writer, demo, ink, seed} = session;
  await demo?.stop();
  await running.close();
  const endedAt = systemClock();
  const clients = [...running.store.clients()];
  if (sink !== undefined) {
    for (const event of summaryEvents(clients, endedAt)) {
      sink(event);
    }
  }

  running.emit(
    'stop',
    `duration_ms=${Math.round(endedAt - running.startedAt)}`,
  );
  await log?.close();
  if (ink !== undefined) {
    ink.unmount();
    await ink.waitUntilExit();
  }

  await writer.flush();
  // JSON output stays one object per line: its summary is the `summary` events.
  if (options.output !== 'json') {
    await writeOut(
      `${formatSummary({
        listening: running.listening,
        startedAt: running.startedAt,
        endedAt,
        lossPercent: running.loss.percent,
        lossChanged: running.loss.changed,
        seed,
        totals: running.store.totals,
        clients,
        logPath: options.logPath,
      })}\n`,
    );
  }

  process.exit(0);
}

/**
 * Serves until `q`, Ctrl+C, `y` at the idle prompt, SIGINT, SIGTERM or SIGHUP. Opening the log
 * (LogOpenError) and binding (BindError) fail before anything else starts; the caller reports them.
 */
export async function serve(options: ServerOptions): Promise<void> {
  const sessionId = newSessionId();
  const writer = createLineWriter(process.stdout, {
    skippedLine: skippedLineFor(
      options.output === 'json' ? 'json' : 'text',
      sessionId,
    ),
  });
  const headless =
    options.output === 'tui'
      ? undefined
      : createHeadlessSink({
          format: options.output,
          quiet: options.quiet,
          session: sessionId,
          writer,
        });
  let logError: string | undefined;
  let running: RunningServer | undefined;
  const log =
    options.logPath === undefined
      ? undefined
      : await openCsvLog(options.logPath, {
          session: sessionId,
          onError(message) {
            logError = message;
            running?.emit('log-error', message);
          },
        });
  const sink = combineSinks([
    log &&
      ((event) => {
        log.write(event);
      }),
    headless,
  ]);
  const seed = options.seed ?? randomSeed();
  try {
    running = await startServer(
      options,
      {clock: systemClock, random: seededRandom(seed), sink},
      {logFile: options.logPath, logError: () => logError},
    );
  } catch (error) {
    await log?.close();
    throw error;
  }

  running.emit('start', startDetail(running, options, seed));
  // A write that failed before the server was up (the header) is reported once it is.
  if (logError !== undefined) {
    running.emit('log-error', logError);
  }

  const session: Session = {
    options,
    running,
    seed,
    sink,
    log,
    writer,
    demo: startDemo(options, running),
    ink: undefined,
  };
  let stopping: Promise<never> | undefined;
  const stop = () => {
    stopping ??= shutDown(session);
  };

  // `on`, not `once`: Ink's signal-exit re-raises the signal when it is the last listener left.
  for (const signal of shutdownSignals) {
    process.on(signal, stop);
  }

  if (options.output === 'tui') {
    session.ink = render(
      <Dashboard
        source={running.source}
        controller={{...running.commands, quit: stop}}
      />,
      {exitOnCtrlC: false, patchConsole: false, maxFps: 10},
    );
  }
}
