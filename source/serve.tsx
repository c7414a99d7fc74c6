/*
Serving, as the CLI starts it: the engine on this thread when headless, in a worker behind the
dashboard, and shutdown in the order the README gives. No JSX here and no static import of Ink or
React: they load only when there is a dashboard to draw, so a headless server binds at once.
*/
import process from 'node:process';
import {startFleetWatch, type FleetWatch} from './alerts/fleet-watch.js';
import type {DemoFleet} from './client/demo-fleet.js';
import type {ServerOptions} from './config/server-options.js';
import type {ControlServer} from './control/control-server.js';
import {initialQuery} from './engine/engine-core.js';
import {startLocalEngine} from './engine/local-engine.js';
import type {EngineHandle} from './engine/types.js';
import {createHeadlessSink, skippedLineFor} from './output/headless-sink.js';
import {createLineWriter, type LineWriter} from './output/line-writer.js';
import {newSessionId} from './output/session-id.js';
import type {DashboardScreen} from './ui/show-dashboard.js';

/** The signals that shut the server down as `q` does. */
const shutdownSignals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** What a failure that ends the run exits with. */
const failureExitCode = 70;

async function startDemo(
  options: ServerOptions,
  engine: EngineHandle,
): Promise<DemoFleet | undefined> {
  if (options.demoClients === 0) {
    return undefined;
  }

  // Loaded only for --demo.
  const {startDemoThread} = await import('./client/demo-thread.js');

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

/** The engine in a worker thread, behind the dashboard: loaded only when there is one. */
async function startDashboardEngine(
  options: ServerOptions,
  session: string,
): Promise<EngineHandle> {
  const {startWorkerEngine} = await import('./engine/worker-engine.js');
  return startWorkerEngine(options, session, {
    ...initialQuery,
    // Rows for the first frames, before the dashboard has measured its table.
    count: process.stdout.rows ?? 24,
  });
}

type Session = {
  readonly options: ServerOptions;
  readonly engine: EngineHandle;
  readonly writer: LineWriter | undefined;
  readonly demo: DemoFleet | undefined;
  readonly watch: FleetWatch;
  screen: DashboardScreen | undefined;
  control: ControlServer | undefined;
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
  // Viewers are told the server has stopped, with what its summary prints.
  await session.control?.close(final);
  await session.screen?.close();
  await writer?.flush();
  // JSON output stays one object per line: its summary is the `summary` events.
  if (options.output !== 'json') {
    const {finalSummaryText} = await import('./output/final-summary.js');
    await writeOut(`${await finalSummaryText(final, options.logPath)}\n`);
  }

  if (failure !== undefined) {
    process.stderr.write(`udp-heartbeat: ${failure}\n`);
  }

  process.exit(failure === undefined ? 0 : failureExitCode);
}

async function checkControlPath(options: ServerOptions): Promise<void> {
  const {clearStaleSocket, defaultControlPath, prepareControlDirectory} =
    await import('./control/control-path.js');
  const path = options.control?.path ?? defaultControlPath(options.port);
  await prepareControlDirectory(path);
  if (options.control?.path !== undefined) {
    await clearStaleSocket(path);
  }
}

/**
 * Opens the control socket for `attach`. A path that cannot be used ends the run at once, the way
 * a busy port does: the engine is stopped quietly and the caller reports the ControlPathError.
 */
async function startControl(
  options: ServerOptions,
  engine: EngineHandle,
  onShutdown: () => void,
): Promise<ControlServer> {
  const [{startControlServer}, {defaultControlPath}] = await Promise.all([
    import('./control/control-server.js'),
    import('./control/control-path.js'),
  ]);
  try {
    return await startControlServer(engine, {
      path: options.control?.path ?? defaultControlPath(engine.info.port),
      onShutdown,
    });
  } catch (error) {
    await engine.stop();
    throw error;
  }
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
  if (options.control !== undefined) {
    // A directory others can enter, or a path a live server holds, fails before anything is bound.
    await checkControlPath(options);
  }

  const watch = await startFleetWatch(options, session);
  let engine: EngineHandle;
  try {
    engine =
      writer === undefined
        ? await startDashboardEngine(options, session)
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
    demo: await startDemo(options, engine),
    watch,
    screen: undefined,
    control: undefined,
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

  // The start line goes out now rather than with the writer's next batch: it says the server is
  // ready (bound, and shutting down on a signal as it should), and whoever launched it may be
  // waiting for it.
  void writer?.flush();

  // SIGUSR1 reopens the log at its path, as nginx does: logrotate moves the file, then signals.
  process.on('SIGUSR1', () => {
    engine.send({type: 'reopen-log'});
  });

  if (options.control !== undefined) {
    state.control = await startControl(options, engine, () => {
      stop();
    });
  }

  if (tui) {
    const {showDashboard} = await import('./ui/show-dashboard.js');
    state.screen = showDashboard(state.control?.hostView() ?? engine, {
      onQuit() {
        stop();
      },
      onCrash(error) {
        stop(`the dashboard failed: ${error.message}`);
      },
    });
  }
}
