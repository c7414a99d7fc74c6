import type dgram from 'node:dgram';
import type {Clock} from '../clock.js';
import type {ServerOptions} from '../config/server-options.js';
import type {RandomSource} from '../random.js';
import {HeartbeatStore} from '../store/heartbeat-store.js';
import {IdleWatch} from '../store/idle-watch.js';
import type {EventName, EventSink, HeartbeatEvent} from '../vocabulary.js';
import {bindSocket, listeningText} from './bind-socket.js';
import {HeartbeatServer} from './heartbeat-server.js';
import {LossSimulator} from './loss-simulator.js';

/** How often liveness and idleness are checked: a silent client changes state without any packet. */
export const tickIntervalMs = 100;

/** Kernel receive buffer to ask for: absorbs bursts while the event loop is busy. */
const receiveBufferBytes = 8 * 1024 * 1024;

/** The settings the server parts read: the server's flags, whatever else they hold. */
export type ServerSettings = Pick<
  ServerOptions,
  | 'maxClients'
  | 'deadAfterMs'
  | 'lossPercent'
  | 'replyMode'
  | 'allow'
  | 'idleTimeoutMs'
  | 'clientKey'
>;

export type ServerDependencies = {
  readonly clock: Clock;
  readonly random: RandomSource;
  /** Receives every event (headless output, CSV log). */
  readonly sink: EventSink | undefined;
};

/**
 * Where datagrams come from and replies go: a bound UDP socket, or anything shaped like one (a
 * replay feeds recorded datagrams and drops the replies).
 */
export type DatagramTransport = Pick<dgram.Socket, 'on' | 'send'>;

/** The commands the server parts take. */
export type ServerCommands = {
  setLoss(percent: number): void;
  resetCounters(): void;
  forgetStopped(): number;
  dismissIdle(): void;
};

/** The listener, the store, the loss and the idle watch, wired together, without timers. */
export type ServerParts = {
  readonly store: HeartbeatStore;
  readonly loss: LossSimulator;
  readonly server: HeartbeatServer;
  readonly idle: IdleWatch;
  readonly startedAt: number;
  readonly commands: ServerCommands;
  /** Records a server event (loss, log-error, summary …). */
  emit(event: EventName, detail?: string, client?: string): void;
  /** Liveness and the idle announcement: what the tick does. */
  tick(now: number): void;
};

/** Wires the parts on a transport; the caller drives `tick`. */
export function createServerParts(
  transport: DatagramTransport,
  options: ServerSettings,
  dependencies: ServerDependencies,
): ServerParts {
  const {clock, random, sink} = dependencies;
  const startedAt = clock();
  const store = new HeartbeatStore({
    clock,
    maxClients: options.maxClients,
    deadAfterMs: options.deadAfterMs,
    sink,
    clientKey: options.clientKey,
  });
  const loss = new LossSimulator(options.lossPercent, random);
  const server = new HeartbeatServer({
    // The server only listens for messages and sends replies: any transport of that shape will do.
    // eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion
    socket: transport as dgram.Socket,
    store,
    loss,
    clock,
    replyMode: options.replyMode,
    allow: options.allow,
  });
  const idle = new IdleWatch(options.idleTimeoutMs, startedAt);

  const emit = (event: EventName, detail?: string, client?: string) => {
    if (sink === undefined) {
      return;
    }

    const record: HeartbeatEvent = {
      time: clock(),
      event,
      client,
      seq: undefined,
      delayMs: undefined,
      detail,
      state: undefined,
    };
    sink(record);
  };

  const tick = (now: number) => {
    store.evaluateLiveness(now);
    if (idle.shouldAnnounce(now, store.lastActivity)) {
      emit(
        'idle',
        `no heartbeat for ${Math.round(idle.silenceMs(now, store.lastActivity) ?? 0) / 1000}s`,
      );
    }
  };

  const commands: ServerCommands = {
    setLoss(percent) {
      if (loss.set(percent)) {
        emit('loss', `loss=${loss.percent}%`);
      }
    },
    resetCounters() {
      store.resetCounters();
    },
    forgetStopped: () => store.forgetStopped(),
    dismissIdle() {
      idle.dismiss(clock());
    },
  };

  return {store, loss, server, idle, startedAt, commands, emit, tick};
}

export type RunningServer = ServerParts & {
  readonly listening: string;
  /** The same, with a note when the default port was busy. */
  readonly listeningNote: string;
  /** The port bound: the one asked for, or the next free one after the default. */
  readonly port: number;
  /** The port asked for (the default, when the bound one is a fallback). */
  readonly requestedPort: number;
  /** Stops receiving and closes the socket; idempotent. */
  close(): Promise<void>;
};

/** Binds the socket and starts serving: the listener, the store, liveness and idle ticks. */
export async function startServer(
  options: ServerSettings &
    Pick<ServerOptions, 'host' | 'port' | 'explicitPort'>,
  dependencies: ServerDependencies,
  /** Ignored: the log's state is the engine's now. Kept so that older callers still compile. */
  _logState?: unknown,
): Promise<RunningServer> {
  const bound = await bindSocket({
    host: options.host,
    port: options.port,
    explicitPort: options.explicitPort,
    receiveBufferBytes,
  });
  const parts = createServerParts(bound.socket, options, dependencies);
  const listening = listeningText(options.host, bound.port);
  // When the default port was busy, say so wherever the address is shown while serving.
  const fallbackNote =
    bound.port === options.port ? '' : ` (port ${options.port} was busy)`;
  const timer = setInterval(() => {
    parts.tick(dependencies.clock());
  }, tickIntervalMs);

  let closing: Promise<void> | undefined;
  const close = async () => {
    closing ??= new Promise<void>((resolve) => {
      clearInterval(timer);
      bound.socket.close(() => {
        resolve();
      });
    });
    return closing;
  };

  return {
    ...parts,
    listening,
    listeningNote: `${listening}${fallbackNote}`,
    port: bound.port,
    requestedPort: options.port,
    close,
  };
}
