import type {Clock} from '../clock.js';
import type {RandomSource} from '../random.js';
import {
  createServerParts,
  type DatagramTransport,
  type ServerParts,
  type ServerSettings,
} from '../server/start-server.js';
import type {HeartbeatStore} from '../store/heartbeat-store.js';
import {
  chattyEvents,
  type ClientRecord,
  type EventSink,
  type HeartbeatEvent,
} from '../vocabulary.js';
import type {CsvLog} from './csv-log.js';
import {toClientRow} from './client-row.js';
import {createRowSelector} from './row-selector.js';
import type {RowSource} from './select-rows.js';
import {itemsPerYield, runSliced, runToEnd, type SlicedWork} from './sliced.js';
import type {
  ClientDetail,
  ClientRow,
  EngineCommand,
  EngineFinal,
  EngineInfo,
  EngineSnapshot,
  EngineTotals,
  NotableEvent,
  ViewQuery,
} from './types.js';

/** Snapshots a second, whatever the packet rate. */
export const defaultFrameIntervalMs = 100;
/** Most time one slice of snapshot work may take on the engine's thread. */
export const defaultSliceBudgetMs = 2;
/** Most clients in the exit table (the log's summary rows list every one). */
export const summaryClients = 100;
/** Resets remembered for the summary. */
const maxResets = 100;
/** Notable events held for the host between two deliveries; more are counted and left out. */
const maxQueuedEvents = 10_000;

export const initialQuery: ViewQuery = {
  sort: 'client',
  descending: false,
  filter: '',
  start: 0,
  count: 0,
};

export type EngineCoreOptions = {
  readonly transport: DatagramTransport;
  readonly settings: ServerSettings;
  readonly clock: Clock;
  readonly random: RandomSource;
  /** What the snapshot says of where it listens and of the run; `startedAt` comes from the clock. */
  readonly info: Omit<EngineInfo, 'startedAt'>;
  readonly log?: CsvLog | undefined;
  /** Every event, on this thread, as it happens (headless output). */
  readonly lineSink?: EventSink | undefined;
  readonly frameIntervalMs?: number;
  readonly sliceBudgetMs?: number;
  /** The view until a reader asks for another: a dashboard's first frames have rows at once. */
  readonly query?: ViewQuery;
  /** Rows of the most recently seen clients every snapshot carries, whatever the view asks (`--metrics-clients`). */
  readonly recent?: number;
  /**
   * Whether the beat also runs the liveness tick and the idle watch (the default). A replay turns
   * it off: its log holds the live run's own ticks, which it plays at their recorded times.
   */
  readonly tick?: boolean;
};

function storeSource(store: HeartbeatStore): RowSource<ClientRecord> {
  return {
    get clientCount() {
      return store.clientCount;
    },
    clientAt: (index) => store.clientAt(index),
  };
}

function totalsOf(store: HeartbeatStore): EngineTotals {
  return {...store.totals, lost: store.lostTotal};
}

/**
 * The engine: the server parts (socket, parser, loss, replies, store, liveness, idle watch) and the
 * log, behind snapshots and commands. It publishes a snapshot every frame and after every
 * command; building one walks the clients in slices of a few milliseconds (sliced.ts), so the
 * socket is never kept waiting for long. The same code runs on the main thread (headless) and in
 * a worker (with the dashboard).
 */
export class EngineCore {
  readonly parts: ServerParts;
  readonly info: EngineInfo;
  readonly #clock: Clock;
  readonly #log: CsvLog | undefined;
  readonly #lineSink: EventSink | undefined;
  readonly #frameIntervalMs: number;
  readonly #sliceBudgetMs: number;
  readonly #standingRecent: number;
  readonly #tick: boolean;
  readonly #selector = createRowSelector();
  readonly #live: RowSource<ClientRecord>;
  readonly #snapshotListeners = new Set<(snapshot: EngineSnapshot) => void>();
  readonly #eventListeners = new Set<
    (events: readonly NotableEvent[]) => void
  >();

  #query: ViewQuery = initialQuery;
  #commandsApplied = 0;
  #sequence = 0;
  #latest: EngineSnapshot;
  #building = false;
  #rebuild = false;
  #cancelBuild: (() => void) | undefined;
  #frozen: {source: RowSource<ClientRecord>; at: number} | undefined;
  #freezing: (() => void) | undefined;
  readonly #resets: number[] = [];
  #logError: string | undefined;
  #hookError: string | undefined;
  #muted = false;
  #queued: NotableEvent[] = [];
  #eventsLeftOut = 0;
  #deliveryScheduled = false;
  #timer: NodeJS.Timeout | undefined;
  #stopped: Promise<EngineFinal> | undefined;

  constructor(options: EngineCoreOptions) {
    this.#clock = options.clock;
    this.#log = options.log;
    this.#lineSink = options.lineSink;
    this.#frameIntervalMs = options.frameIntervalMs ?? defaultFrameIntervalMs;
    this.#sliceBudgetMs = options.sliceBudgetMs ?? defaultSliceBudgetMs;
    this.#tick = options.tick ?? true;
    this.#query = options.query ?? initialQuery;
    this.#standingRecent = options.recent ?? 0;
    this.parts = createServerParts(options.transport, options.settings, {
      clock: options.clock,
      random: options.random,
      sink: this.#route,
    });
    this.info = {...options.info, startedAt: this.parts.startedAt};
    this.#live = storeSource(this.parts.store);
    this.#latest = runToEnd(this.#build());
  }

  /** Notable events left out because the host did not take them fast enough. */
  get eventsLeftOut(): number {
    return this.#eventsLeftOut;
  }

  get store(): HeartbeatStore {
    return this.parts.store;
  }

  /** Starts the beat: liveness, the idle watch and a snapshot every frame. */
  start(): void {
    this.#timer ??= setInterval(() => {
      if (this.#tick) {
        this.parts.tick(this.#clock());
      }

      // The snapshot's first slice on a turn of its own: a tick that moved many clients to late
      // or stopped (a fleet cut off at once) is already a few milliseconds of work.
      setImmediate(() => {
        if (this.#timer !== undefined) {
          this.#publish();
        }
      });
    }, this.#frameIntervalMs);
  }

  /** Stops the beat (a replay that pauses, a measurement): commands still publish. */
  pause(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#cancelBuild?.();
    this.#cancelBuild = undefined;
    this.#building = false;
  }

  /** A snapshot taken at once, in one task, without publishing it: for callers off the packet path. */
  snapshotNow(): EngineSnapshot {
    return runToEnd(this.#build());
  }

  /** The latest snapshot published. */
  latest(): EngineSnapshot {
    return this.#latest;
  }

  onSnapshot(listener: (snapshot: EngineSnapshot) => void): () => void {
    this.#snapshotListeners.add(listener);
    return () => {
      this.#snapshotListeners.delete(listener);
    };
  }

  onEvents(listener: (events: readonly NotableEvent[]) => void): () => void {
    this.#eventListeners.add(listener);
    return () => {
      this.#eventListeners.delete(listener);
    };
  }

  /** A log write failed: an event, and the header says so. */
  reportLogError(message: string): void {
    this.#logError = message;
    this.parts.emit('log-error', message);
    this.#publish();
  }

  /** Applies a command and publishes a fresh snapshot that shows its effect. */
  apply(command: EngineCommand): void {
    this.#commandsApplied++;
    const {parts} = this;
    switch (command.type) {
      case 'set-loss': {
        parts.commands.setLoss(command.percent);
        break;
      }

      case 'reset': {
        parts.commands.resetCounters();
        this.#resets.push(this.#clock());
        if (this.#resets.length > maxResets) {
          this.#resets.shift();
        }

        this.#selector.invalidate();
        parts.emit('reset', `resets=${this.#resets.length}`);
        break;
      }

      case 'forget-stopped': {
        const forgotten = parts.commands.forgetStopped();
        this.#selector.invalidate();
        parts.emit('forget', `forgotten=${forgotten}`);
        break;
      }

      case 'view': {
        this.#query = command.query;
        break;
      }

      case 'freeze': {
        this.#freeze(command.frozen);
        break;
      }

      case 'dismiss-idle': {
        parts.commands.dismissIdle();
        break;
      }

      case 'mute': {
        this.#muted = command.muted;
        break;
      }

      case 'reopen-log': {
        void this.#log?.reopen();
        break;
      }

      case 'hook-error': {
        this.#hookError = command.detail;
        parts.emit('hook-error', command.detail, command.client);
        break;
      }
    }

    this.#publish();
  }

  /**
   * Stops the beat, closes the transport (`close`), records the summary events and `stop`, flushes
   * and closes the log. Resolves with the last snapshot and the clients for the exit table.
   */
  async stop(close: () => Promise<void>): Promise<EngineFinal> {
    this.#stopped ??= this.#stop(close);
    return this.#stopped;
  }

  async #stop(close: () => Promise<void>): Promise<EngineFinal> {
    clearInterval(this.#timer);

    this.#cancelBuild?.();
    this.#freezing?.();
    await close();
    const endedAt = this.#clock();
    // Loaded only now: the module also draws the exit table, with Ink, which serving never needs.
    const {summaryEvents} = await import('../output/summary.js');
    for (const event of summaryEvents(this.store.clients(), endedAt)) {
      this.#route(event);
    }

    this.parts.emit(
      'stop',
      `duration_ms=${Math.round(endedAt - this.info.startedAt)}`,
    );
    this.#deliverEvents();
    await this.#log?.close();
    const snapshot = runToEnd(this.#build());
    this.#latest = snapshot;
    const clients = this.#selector
      .select(
        this.#live,
        {sort: 'client', descending: false, filter: ''},
        0,
        summaryClients,
        endedAt,
      )
      .rows.map((record) => toClientRow(record));
    return {snapshot, endedAt, clients};
  }

  /** Every event: to the log, to the line output, and (notable ones) to the host's listeners. */
  readonly #route = (event: HeartbeatEvent): void => {
    this.#log?.write(event);
    this.#lineSink?.(event);
    if (chattyEvents.has(event.event)) {
      return;
    }

    if (this.#queued.length >= maxQueuedEvents) {
      this.#eventsLeftOut++;
      return;
    }

    this.#queued.push(event);
    if (!this.#deliveryScheduled && this.#eventListeners.size > 0) {
      this.#deliveryScheduled = true;
      setImmediate(() => {
        this.#deliverEvents();
      });
    }
  };

  #deliverEvents(): void {
    this.#deliveryScheduled = false;
    if (this.#queued.length === 0) {
      return;
    }

    const batch = this.#queued;
    this.#queued = [];
    for (const listener of this.#eventListeners) {
      listener(batch);
    }
  }

  #freeze(frozen: boolean): void {
    this.#freezing?.();
    this.#freezing = undefined;
    if (!frozen) {
      this.#frozen = undefined;
      return;
    }

    const at = this.#clock();
    this.#freezing = runSliced(
      this.#copyClients(),
      this.#sliceBudgetMs,
      (source) => {
        this.#freezing = undefined;
        this.#frozen = {source, at};
        this.#publish();
      },
    );
  }

  /**
   * A still copy of every client, in slices: what a frozen view reads. The store copies its
   * table of numbers slot for slot and no object per client (see still-copy.ts).
   */
  *#copyClients(): SlicedWork<RowSource<ClientRecord>> {
    const copy = this.store.stillCopy();
    while (copy.step(itemsPerYield)) {
      yield;
    }

    return copy;
  }

  /** Builds and publishes a snapshot; one at a time, the next one right after if asked meanwhile. */
  #publish(): void {
    if (this.#building) {
      this.#rebuild = true;
      return;
    }

    this.#building = true;
    this.#cancelBuild = runSliced(
      this.#build(),
      this.#sliceBudgetMs,
      (snapshot) => {
        this.#building = false;
        this.#cancelBuild = undefined;
        this.#latest = snapshot;
        this.#deliverEvents();
        for (const listener of this.#snapshotListeners) {
          listener(snapshot);
        }

        if (this.#rebuild) {
          this.#rebuild = false;
          this.#publish();
        }
      },
    );
  }

  *#build(): SlicedWork<EngineSnapshot> {
    const commandsApplied = this.#commandsApplied;
    const query = this.#query;
    const {store, loss, idle} = this.parts;
    const frozen = this.#frozen;
    const now = this.#clock();
    // Counted before the pass: a client that arrives during it is in the next snapshot, in the
    // header and the rows alike.
    const clientCount =
      frozen === undefined ? store.clientCount : frozen.source.clientCount;
    const countByState = store.countByState();
    let rows: ClientRow[];
    let start: number;
    let total: number;
    if (frozen === undefined) {
      const window = yield* this.#selector.selectSliced(
        this.#live,
        query,
        query.start,
        query.count,
        now,
      );
      // A client forgotten or evicted while the pass ran is left out.
      rows = window.rows
        .filter((record) => store.tracks(record))
        .map((record) => toClientRow(record));
      ({start, total} = window);
    } else {
      const window = yield* this.#selector.selectSliced(
        frozen.source,
        query,
        query.start,
        query.count,
        frozen.at,
      );
      rows = window.rows.map((record) => toClientRow(record));
      ({start, total} = window);
    }

    return {
      sequence: ++this.#sequence,
      commandsApplied,
      time: now,
      info: this.info,
      lossPercent: loss.percent,
      lossChanged: loss.changed,
      logError: this.#logError,
      hookError: this.#hookError,
      muted: this.#muted,
      idleSilenceMs: idle.silenceMs(now, store.lastActivity),
      clientCount,
      countByState,
      heartbeatsPerSecond: store.heartbeatsPerSecond(now),
      totals: totalsOf(store),
      runTotals: store.runTotals(),
      resets: [...this.#resets],
      delayHistogram: store.delayHistogram(),
      query,
      frozen: frozen !== undefined,
      frozenAt: frozen?.at,
      window: {rows, start, total},
      recent: this.#recent(Math.max(query.recent ?? 0, this.#standingRecent)),
      detail: this.#detail(query.detail),
    };
  }

  #recent(count: number): ClientRow[] {
    if (count <= 0) {
      return [];
    }

    return this.store.recent(count).map((record) => toClientRow(record));
  }

  #detail(key: string | undefined): ClientDetail | undefined {
    if (key === undefined) {
      return undefined;
    }

    const record = this.store.get(key);
    const detail = record && this.store.detailOf(record);
    if (record === undefined || detail === undefined) {
      return undefined;
    }

    return {row: toClientRow(record), ...detail};
  }
}
