import {EngineCore} from '../engine/engine-core.js';
import type {ViewQuery} from '../engine/types.js';
import {summaryEvents} from '../output/summary.js';
import type {DatagramTransport} from '../server/start-server.js';
import type {ClientKeyMode} from '../store/client-key.js';
import type {HeartbeatStore} from '../store/heartbeat-store.js';
import type {ClientRecord, EventName, EventSink} from '../vocabulary.js';
import {
  eventTranslations,
  parseClientKey,
  type TranslationContext,
} from './event-translation.js';
import type {LogRow} from './log-reader.js';
import type {ReplayClock} from './replay-clock.js';
import {ReplayInputError} from './replay-input-error.js';
import {
  numberWithUnit,
  parseStartSettings,
  type StartSettings,
} from './start-settings.js';

/** Events of a datagram from a client, whose key the store made (a refused one's is always address and port). */
const datagramEvents: ReadonlySet<string> = new Set([
  'replied',
  'dropped',
  'malformed',
]);

/**
 * A key without a port was made by `--client-key host`; a row that names the address apart from
 * the key, by `--client-key name`.
 */
function keyModeOf(row: LogRow): ClientKeyMode {
  if (row.address !== undefined) {
    return 'name';
  }

  const key = row.client;
  const client = key === undefined ? undefined : parseClientKey(key);
  return client !== undefined && client.port === undefined ? 'host' : 'address';
}

export type ReplayDriverOptions = {
  /** Moves recorded time; the driver waits on it before each row. */
  readonly clock: ReplayClock;
  /** Receives every replayed event: the store's own, and the server's as recorded. */
  readonly sink: EventSink;
  /** Names the log in messages. */
  readonly source: string;
  /** The view the engine's snapshots answer until a reader asks for another (a dashboard's rows). */
  readonly query?: ViewQuery;
  /** Told once, when the engine is made at the session's first row (a dashboard then shows it). */
  readonly onEngine?: (engine: EngineCore) => void;
};

/** A replay hears no datagrams and sends no replies: the log's rows are played into the store. */
const silentTransport: DatagramTransport = {
  on() {
    // The server only chains `on` calls; no listener is ever called, so no socket is needed.
    // eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion
    return silentTransport as ReturnType<DatagramTransport['on']>;
  },
  send() {
    // Nothing is sent: the live run answered its clients.
  },
};

/**
 * Plays one session of a log: reads its rows in order, advances the replay clock to each row's
 * time, and turns the row into the store operation that produced it (event-translation.ts). It
 * writes no output of its own: everything it shows goes through the sink, and readers see the
 * store and the settings, as a live run's readers do.
 */
export class ReplayDriver {
  readonly #clock: ReplayClock;
  readonly #sink: EventSink;
  readonly #source: string;
  readonly #query: ViewQuery | undefined;
  readonly #onEngine: ((engine: EngineCore) => void) | undefined;
  #engine: EngineCore | undefined;
  #session = '';
  #settings: StartSettings = parseStartSettings(undefined);
  #startedAt = Number.NaN;
  #endedAt = Number.NaN;
  #lastTime = Number.NEGATIVE_INFINITY;
  #lossPercent: number | undefined;
  #lossChanged = false;
  /** How the clients' keys were made, as the first client row shows, for a log that does not say. */
  #keyedBy: ClientKeyMode = 'address';
  #finished = false;
  #shutDown = false;
  #stopped = false;
  readonly #context: TranslationContext;

  constructor(options: ReplayDriverOptions) {
    this.#clock = options.clock;
    this.#sink = options.sink;
    this.#source = options.source;
    this.#query = options.query;
    this.#onEngine = options.onEngine;
    // The translations see the replay through this: they call the store and tell what happened.
    // eslint-disable-next-line @typescript-eslint/no-this-alias, unicorn/no-this-assignment
    const driver = this;
    this.#context = {
      get store() {
        return driver.store;
      },
      show(row) {
        driver.#show(row);
      },
      start(row) {
        driver.#start(row);
      },
      setLoss(row) {
        const percent = numberWithUnit(
          row.detail?.split(';')[0]?.slice('loss='.length),
          '%',
        );
        if (percent !== undefined) {
          driver.#lossPercent = percent;
          driver.#lossChanged = true;
          // The header shows the loss as it was, highlighted once changed. No event: the row is it.
          driver.engine.parts.loss.set(percent);
        }

        driver.#show(row);
      },
      finish(row) {
        driver.#shutDown = true;
        driver.#finish(row.time);
      },
      awaitingReply: undefined,
      evaluatedAt: Number.NEGATIVE_INFINITY,
    };
  }

  /**
   * The engine the replay drives, the one a live run serves with, on the replay clock: made with
   * the run's settings at the session's first row (the defaults without a `start` row). It hears
   * no datagrams, and runs no liveness tick of its own: the log's ticks are played instead.
   */
  get engine(): EngineCore {
    if (this.#engine === undefined) {
      const settings = this.#settings;
      const listening = settings.listening ?? 'unknown';
      const port = Number(/:(\d+)$/v.exec(listening)?.[1] ?? 0);
      this.#engine = new EngineCore({
        transport: silentTransport,
        settings: {
          lossPercent: settings.lossPercent,
          maxClients: settings.maxClients,
          deadAfterMs: settings.deadAfterMs,
          clientKey: settings.clientKey ?? this.#keyedBy,
          replyMode: 'auto',
          allow: undefined,
          // The log's idle rows are shown as recorded; the replay announces none of its own.
          idleTimeoutMs: 0,
        },
        clock: this.#engineClock(),
        // Nothing is replied, so nothing is dropped by a draw.
        random: () => 1,
        info: {
          listening,
          listeningNote: listening,
          port,
          requestedPort: port,
          session: this.#session,
          seed: settings.seed ?? 0,
          logFile: undefined,
        },
        lineSink: this.#sink,
        query: this.#query,
        tick: false,
      });
      this.#onEngine?.(this.#engine);
    }

    return this.#engine;
  }

  /**
   * The replay clock, except its first reading, which is when the engine starts: the recorded
   * start of the session (its first row), not the first heartbeat that needed the engine, so
   * that uptime counts as it did in the run.
   */
  #engineClock(): () => number {
    let first = true;
    return () => {
      const now = this.#clock.now();
      if (first) {
        first = false;
        return Number.isNaN(this.#startedAt)
          ? now
          : Math.min(now, this.#startedAt);
      }

      return now;
    };
  }

  /** The replayed store: the engine's. */
  get store(): HeartbeatStore {
    return this.engine.store;
  }

  get settings(): StartSettings {
    return this.#settings;
  }

  /** The recorded time of the session's first row; NaN before it. */
  get startedAt(): number {
    return this.#startedAt;
  }

  /** The recorded time the run shut down (its summary), or of the last row if it never did. */
  get endedAt(): number {
    return Number.isNaN(this.#endedAt) ? this.#lastTime : this.#endedAt;
  }

  /** Whether the log shows the run shutting down (its summary or `stop`). */
  get finished(): boolean {
    return this.#shutDown;
  }

  get lossPercent(): number {
    return this.#lossPercent ?? this.#settings.lossPercent;
  }

  get lossChanged(): boolean {
    return this.#lossChanged;
  }

  /** The clients as the store holds them now. */
  clients(): Iterable<ClientRecord> {
    return this.store.clients();
  }

  /**
   * Plays the rows (in batches, as the reader gives them), each at its recorded time on the
   * clock, then ends: a log that stops without
   * the run's summary (a killed run) gets the replay's summary at its last row.
   */
  async play(
    batches: AsyncIterable<readonly LogRow[]> | Iterable<readonly LogRow[]>,
  ): Promise<void> {
    for await (const rows of batches) {
      for (const row of rows) {
        if (this.#stopped) {
          break;
        }

        const wait = this.#clock.advanceTo(row.time);
        if (wait !== undefined) {
          await wait;
          // Stopped while waiting: the row's time was never reached.
          if (this.#stopped) {
            break;
          }
        }

        this.apply(row);
      }

      if (this.#stopped) {
        break;
      }
    }

    if (!this.#finished && this.#lastTime > Number.NEGATIVE_INFINITY) {
      this.#finish(this.#lastTime);
    }
  }

  /** Whether `stop` ended the replay before the end of the log. */
  get stopped(): boolean {
    return this.#stopped;
  }

  /** Ends `play` before its next row (Ctrl+C). */
  stop(): void {
    this.#stopped = true;
    this.#clock.stop();
  }

  /** Plays one row now, whatever the clock says. */
  apply(recorded: LogRow): void {
    if (Number.isNaN(this.#startedAt)) {
      this.#startedAt = recorded.time;
      this.#session = recorded.session;
    }

    // Recorded time never runs back, whatever an edited log says.
    const row =
      recorded.time < this.#lastTime
        ? {...recorded, time: this.#lastTime}
        : recorded;
    this.#lastTime = row.time;
    if (this.#finished && row.event !== 'stop') {
      return;
    }

    if (this.#engine === undefined && datagramEvents.has(row.event)) {
      this.#keyedBy = keyModeOf(row);
    }

    const context = this.#context;
    if (row.event !== 'replied' && row.event !== 'dropped') {
      context.awaitingReply = undefined;
    }

    const translate = eventTranslations[row.event];
    if (translate === undefined) {
      throw new ReplayInputError(
        `${this.#source} line ${row.line}: ${JSON.stringify(row.event)} is not an event of the log`,
      );
    }

    try {
      translate(row, context);
    } catch (error) {
      if (error instanceof ReplayInputError) {
        throw new ReplayInputError(
          `${this.#source} line ${row.line}: ${error.message}`,
        );
      }

      throw error;
    }
  }

  #start(row: LogRow): void {
    if (this.#engine === undefined) {
      this.#settings = parseStartSettings(row.detail);
    }

    this.#show(row);
  }

  /** The run shut down at `time`: one summary event per client, from the replayed store. */
  #finish(time: number): void {
    if (this.#finished) {
      return;
    }

    this.#finished = true;
    this.#endedAt = time;
    for (const event of summaryEvents(this.store.clients(), time)) {
      this.#sink(event);
    }
  }

  #show(row: LogRow): void {
    this.#sink({
      time: row.time,
      // Names the table knows and this version's types may not (`reset`, `hook-error`) show as recorded.
      // eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion
      event: row.event as EventName,
      client: row.client,
      seq: row.seq,
      delayMs: row.delayMs,
      detail: row.detail,
      state: undefined,
    });
  }
}
