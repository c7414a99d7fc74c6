import type {Clock} from '../clock.js';
import type {ServerOptions} from '../config/server-options.js';
import type {RandomSource} from '../random.js';
import {HeartbeatStore} from '../store/heartbeat-store.js';
import {IdleWatch} from '../store/idle-watch.js';
import type {EventName, EventSink, HeartbeatEvent} from '../store/types.js';
import type {DashboardController, DashboardSource} from '../ui/types.js';
import {bindSocket, listeningText} from './bind-socket.js';
import {HeartbeatServer} from './heartbeat-server.js';
import {LossSimulator} from './loss-simulator.js';

/** How often liveness and idleness are checked: a silent client changes state without any packet. */
export const tickIntervalMs = 100;

/** Kernel receive buffer to ask for: absorbs bursts while the event loop is busy drawing. */
const receiveBufferBytes = 8 * 1024 * 1024;

export type ServerDependencies = {
  readonly clock: Clock;
  readonly random: RandomSource;
  /** Receives every event (headless output, CSV log). */
  readonly sink: EventSink | undefined;
};

export type RunningServer = {
  readonly store: HeartbeatStore;
  readonly loss: LossSimulator;
  readonly server: HeartbeatServer;
  readonly listening: string;
  /** The port bound: the one asked for, or the next free one after the default. */
  readonly port: number;
  /** The port asked for (the default, when the bound one is a fallback). */
  readonly requestedPort: number;
  readonly startedAt: number;
  readonly source: DashboardSource;
  /** Every command but quit, which belongs to whoever owns the process. */
  readonly commands: Omit<DashboardController, 'quit'>;
  /** Records a server event (loss, log-error, summary …). */
  emit(event: EventName, detail?: string): void;
  /** Stops receiving and closes the socket; idempotent. */
  close(): Promise<void>;
};

/** Binds the socket and starts serving: the listener, the store, liveness and idle ticks. */
export async function startServer(
  options: ServerOptions,
  dependencies: ServerDependencies,
  logState: {
    readonly logFile: string | undefined;
    logError(): string | undefined;
  },
): Promise<RunningServer> {
  const {clock, random, sink} = dependencies;
  const bound = await bindSocket({
    host: options.host,
    port: options.port,
    explicitPort: options.explicitPort,
    receiveBufferBytes,
  });
  const startedAt = clock();
  const listening = listeningText(options.host, bound.port);
  // When the default port was busy, say so wherever the address is shown while serving.
  const fallbackNote =
    bound.port === options.port ? '' : ` (port ${options.port} was busy)`;
  const store = new HeartbeatStore({
    clock,
    maxClients: options.maxClients,
    deadAfterMs: options.deadAfterMs,
    sink,
    clientKey: options.clientKey,
  });
  const loss = new LossSimulator(options.lossPercent, random);
  const server = new HeartbeatServer({
    socket: bound.socket,
    store,
    loss,
    clock,
    replyMode: options.replyMode,
    allow: options.allow,
  });
  const idle = new IdleWatch(options.idleTimeoutMs, startedAt);

  const emit = (event: EventName, detail?: string) => {
    if (sink === undefined) {
      return;
    }

    const record: HeartbeatEvent = {
      time: clock(),
      event,
      client: undefined,
      seq: undefined,
      delayMs: undefined,
      detail,
      state: undefined,
    };
    sink(record);
  };

  const tick = setInterval(() => {
    const now = clock();
    store.evaluateLiveness(now);
    if (idle.shouldAnnounce(now, store.lastActivity)) {
      emit(
        'idle',
        `no heartbeat for ${Math.round(idle.silenceMs(now, store.lastActivity) ?? 0) / 1000}s`,
      );
    }
  }, tickIntervalMs);

  let closing: Promise<void> | undefined;
  const close = async () => {
    closing ??= new Promise<void>((resolve) => {
      clearInterval(tick);
      bound.socket.close(() => {
        resolve();
      });
    });
    return closing;
  };

  const source: DashboardSource = {
    store,
    clock,
    listening: `${listening}${fallbackNote}`,
    startedAt,
    loss: () => loss.percent,
    lossChanged: () => loss.changed,
    logFile: logState.logFile,
    logError: () => logState.logError(),
    idleSilenceMs: () => idle.silenceMs(clock(), store.lastActivity),
  };

  const commands: Omit<DashboardController, 'quit'> = {
    setLoss(percent) {
      if (loss.set(percent)) {
        emit('loss', `loss=${loss.percent}%`);
      }
    },
    resetCounters() {
      store.resetCounters();
    },
    forgetStopped() {
      store.forgetStopped();
    },
    dismissIdle() {
      idle.dismiss(clock());
    },
  };

  return {
    store,
    loss,
    server,
    listening,
    port: bound.port,
    requestedPort: options.port,
    startedAt,
    source,
    commands,
    emit,
    close,
  };
}
