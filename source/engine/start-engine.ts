import {systemClock, type Clock} from '../clock.js';
import type {ServerOptions} from '../config/server-options.js';
import {randomSeed, seededRandom, type RandomSource} from '../random.js';
import {bindSocket, listeningText} from '../server/bind-socket.js';
import type {EventSink} from '../vocabulary.js';
import {openCsvLog, type CsvLog} from './csv-log.js';
import {EngineCore} from './engine-core.js';
import type {ViewQuery} from './types.js';

/** Kernel receive buffer to ask for: absorbs bursts while the thread is busy. */
const receiveBufferBytes = 8 * 1024 * 1024;

/** What an engine needs besides the flags. */
export type EngineStartOptions = {
  readonly session: string;
  readonly clock?: Clock;
  /** The loss simulation's generator; seeded from `--seed` (or a random seed) unless given. */
  readonly random?: RandomSource;
  /** Every event on the engine's thread as it happens (headless output). */
  readonly lineSink?: EventSink | undefined;
  /** The view until a reader asks for another. */
  readonly query?: ViewQuery;
};

export type StartedEngine = {
  readonly core: EngineCore;
  /** Closes the socket; idempotent. */
  close(): Promise<void>;
};

function startDetail(core: EngineCore, options: ServerOptions): string {
  const {info} = core;
  return [
    `listening=${info.listening}`,
    info.port === info.requestedPort
      ? undefined
      : `busy=${info.requestedPort}-${info.port - 1}`,
    `loss=${core.parts.loss.percent}%`,
    `seed=${info.seed}`,
    `reply=${options.replyMode}`,
    `idle_timeout=${options.idleTimeoutMs / 1000}s`,
    // A replay needs these to decide liveness, evictions and client keys as this run does.
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

/**
 * Opens the log, binds the socket and starts the engine, on whichever thread calls it. Opening the
 * log (LogOpenError) and binding (BindError) fail before anything else starts.
 */
export async function startEngine(
  options: ServerOptions,
  start: EngineStartOptions,
): Promise<StartedEngine> {
  const clock = start.clock ?? systemClock;
  const seed = options.seed ?? randomSeed();
  let earlyLogError: string | undefined;
  // Until the engine exists, a log failure waits to be reported.
  let reportLogError = (message: string) => {
    earlyLogError = message;
  };

  const log: CsvLog | undefined =
    options.logPath === undefined
      ? undefined
      : await openCsvLog(options.logPath, {
          session: start.session,
          onError(message) {
            reportLogError(message);
          },
        });
  let bound;
  try {
    bound = await bindSocket({
      host: options.host,
      port: options.port,
      explicitPort: options.explicitPort,
      receiveBufferBytes,
    });
  } catch (error) {
    await log?.close();
    throw error;
  }

  const listening = listeningText(options.host, bound.port);
  const core = new EngineCore({
    transport: bound.socket,
    settings: options,
    clock,
    random: start.random ?? seededRandom(seed),
    info: {
      listening,
      listeningNote:
        bound.port === options.port
          ? listening
          : `${listening} (port ${options.port} was busy)`,
      port: bound.port,
      requestedPort: options.port,
      session: start.session,
      seed,
      logFile: options.logPath,
    },
    log,
    lineSink: start.lineSink,
    recent: options.metricsClients,
    query: start.query,
  });
  reportLogError = (message) => {
    core.reportLogError(message);
  };

  core.parts.emit('start', startDetail(core, options));
  // A write that failed before the server was up (the header) is reported once it is.
  if (earlyLogError !== undefined) {
    core.reportLogError(earlyLogError);
  }

  core.start();
  let closing: Promise<void> | undefined;
  const {socket} = bound;
  return {
    core,
    async close() {
      closing ??= new Promise<void>((resolve) => {
        socket.close(() => {
          resolve();
        });
      });
      return closing;
    },
  };
}
