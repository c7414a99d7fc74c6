/*
Serving, as the CLI starts it: the engine on this thread when headless, in a worker behind the
dashboard, and shutdown in the order the README gives. No JSX here and no static import of Ink or
React: they load only when there is a dashboard to draw, so a headless server binds at once.
*/
import process from 'node:process';
import {startFleetWatch, type FleetWatch} from './alerts/fleet-watch.js';
import type {DemoFleet} from './client/demo-fleet.js';
import {startDemoThread} from './client/demo-thread.js';
import type {ServerOptions} from './config/server-options.js';
import {rowRecord} from './engine/client-row.js';
import {initialQuery} from './engine/engine-core.js';
import {startLocalEngine} from './engine/local-engine.js';
import type {EngineFinal, EngineHandle} from './engine/types.js';
import {startWorkerEngine} from './engine/worker-engine.js';
import {createHeadlessSink, skippedLineFor} from './output/headless-sink.js';
import {createLineWriter, type LineWriter} from './output/line-writer.js';
import {newSessionId} from './output/session-id.js';
import type {DashboardScreen} from './ui/show-dashboard.js';

/** The signals that shut the server down as `q` does. */
const shutdownSignals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** What a failure that ends the run exits with. */
const failureExitCode = 70;

function startDemo(
  options: ServerOptions,
  engine: EngineHandle,
): DemoFleet | undefined {
  if (options.demoClients === 0) {
    return undefined;
  }

  // The demo talks to the server over loopback whenever it listens on every address.
  const host =
    options.host === '0.0.0.0' || options.host === '::'
      ? '127.0.0.1'
      : options.host;
  return startDemoThread({
    host,
    port: engine.info.port,
    count: options.demoClients,
  });
}

async function writeOut(text: string): Promise<void> {
  await new Promise<void>((resolve) => {
    process.stdout.write(text, () => {
      resolve();
    });
  });
}

/** The exit summary, from what the engine handed back (or the last snapshot it published). */
async function summaryText(
  final: EngineFinal,
  options: ServerOptions,
): Promise<string> {
  // Loaded only at the end: the summary's table is drawn with Ink.
  const {formatSummary} = await import('./output/summary.js');
  const {snapshot} = final;
  return formatSummary({
    listening: snapshot.info.listening,
    startedAt: snapshot.info.startedAt,
    endedAt: final.endedAt,
    lossPercent: snapshot.lossPercent,
    lossChanged: snapshot.lossChanged,
    seed: snapshot.info.seed,
    totals: snapshot.runTotals,
    clients: final.clients.map((row) => rowRecord(row)),
    clientCount: snapshot.clientCount,
    resets: snapshot.resets,
    logPath: options.logPath,
  });
}

type Session = {
  readonly options: ServerOptions;
  readonly engine: EngineHandle;
  readonly writer: LineWriter | undefined;
  readonly demo: DemoFleet | undefined;
  readonly watch: FleetWatch;
  screen: DashboardScreen | undefined;
};

/**
 * Stop receiving and close the socket, record the summary, flush and close the log (the engine
 * does these), restore the terminal, then print the summary and exit: 0, or 70 with one line
 * naming the failure.
 */
async function shutDown(session: Session, failure?: string): Promise<never> {
  const {options, engine, writer, demo, watch} = session;
  await demo?.stop();
  // Hooks still running get a moment, so that their failures are recorded before the log closes.
  await watch.close();
  const final = await engine.stop();
  await session.screen?.close();
  await writer?.flush();
  // JSON output stays one object per line: its summary is the `summary` events.
  if (options.output !== 'json') {
    await writeOut(`${await summaryText(final, options)}\n`);
  }

  if (failure !== undefined) {
    process.stderr.write(`udp-heartbeat: ${failure}\n`);
  }

  process.exit(failure === undefined ? 0 : failureExitCode);
}

/**
 * Serves until `q`, Ctrl+C, `y` at the idle prompt, SIGINT, SIGTERM or SIGHUP. Opening the log
 * (LogOpenError) and binding (BindError) fail before anything else starts; the caller reports them.
 */
export async function serve(options: ServerOptions): Promise<void> {
  const session = newSessionId();
  const tui = options.output === 'tui';
  // The reader of standard output has gone (EPIPE, `| head`): shut down as on SIGTERM.
  const whenOutputCloses: {stop?: () => void} = {};
  const writer = tui
    ? undefined
    : createLineWriter(process.stdout, {
        skippedLine: skippedLineFor(
          options.output === 'json' ? 'json' : 'text',
          session,
        ),
        onOutputClosed() {
          whenOutputCloses.stop?.();
        },
      });
  const watch = await startFleetWatch(options, session);
  let engine: EngineHandle;
  try {
    engine =
      writer === undefined
        ? await startWorkerEngine(options, session, {
            ...initialQuery,
            // Rows for the first frames, before the dashboard has measured its table.
            count: process.stdout.rows ?? 24,
          })
        : await startLocalEngine(options, {
            session,
            lineSink: createHeadlessSink({
              format: options.output === 'json' ? 'json' : 'text',
              quiet: options.quiet,
              session,
              writer,
            }),
          });
  } catch (error) {
    await watch.close();
    throw error;
  }

  const state: Session = {
    options,
    engine,
    writer,
    demo: startDemo(options, engine),
    watch,
    screen: undefined,
  };
  watch.attach(engine);
  let stopping: Promise<never> | undefined;
  const stop = (failure?: string) => {
    stopping ??= shutDown(state, failure);
  };

  whenOutputCloses.stop = stop;

  // `on`, not `once`: Ink's signal-exit re-raises the signal when it is the last listener left.
  for (const signal of shutdownSignals) {
    process.on(signal, () => {
      stop();
    });
  }

  engine.onFailure((failure) => {
    stop(`the engine failed: ${failure.message}`);
  });

  if (tui) {
    const {showDashboard} = await import('./ui/show-dashboard.js');
    state.screen = showDashboard(engine, {
      onQuit() {
        stop();
      },
      onCrash(error) {
        stop(`the dashboard failed: ${error.message}`);
      },
    });
  }
}
