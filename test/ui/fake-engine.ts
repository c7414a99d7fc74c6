import {toClientRow} from '../../source/engine/client-row.js';
import {initialQuery} from '../../source/engine/engine-core.js';
import {createRowSelector} from '../../source/engine/row-selector.js';
import {arraySource} from '../../source/engine/select-rows.js';
import type {
  ClientDetail,
  ClientRow,
  EngineCommand,
  EngineSnapshot,
  ViewQuery,
} from '../../source/engine/types.js';
import type {EngineView} from '../../source/ui/use-engine-snapshot.js';
import type {FakeClock, FakeSource, RecordingController} from './fake-store.js';

/**
 * An engine for the dashboard's tests: snapshots of a fake store the test mutates, published on a
 * timer and after every command as the real engine publishes them, with the window chosen by the
 * real row selector. Commands go to a recording controller (setLoss, resetCounters …).
 */
export class FakeEngine implements EngineView {
  readonly #source: FakeSource;
  readonly #clock: FakeClock;
  readonly #controller: RecordingController;
  readonly #intervalMs: number;
  readonly #selector = createRowSelector();
  readonly #listeners = new Set<() => void>();
  #timer: NodeJS.Timeout | undefined;
  #query: ViewQuery = initialQuery;
  #frozen: {rows: ClientRow[]; at: number} | undefined;
  #muted = false;
  #commands = 0;
  #sequence = 0;
  #latest: EngineSnapshot;
  /** The series of a client's detail, set by the test; its row comes from the store. */
  readonly details = new Map<string, Omit<ClientDetail, 'row'>>();
  /** The commands sent, in order (views included). */
  readonly sent: EngineCommand[] = [];

  constructor(
    source: FakeSource,
    clock: FakeClock,
    controller: RecordingController,
    intervalMs: number,
  ) {
    this.#source = source;
    this.#clock = clock;
    this.#controller = controller;
    this.#intervalMs = intervalMs;
    this.#latest = this.#build();
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    this.#timer ??= setInterval(() => {
      this.#publish();
    }, this.#intervalMs);
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0 && this.#timer !== undefined) {
        clearInterval(this.#timer);
        this.#timer = undefined;
      }
    };
  };

  readonly getSnapshot = (): EngineSnapshot => this.#latest;

  readonly send = (command: EngineCommand): void => {
    this.sent.push(command);
    this.#commands++;
    const controller = this.#controller;
    switch (command.type) {
      case 'set-loss': {
        controller.setLoss(command.percent);
        break;
      }

      case 'reset': {
        controller.resetCounters();
        break;
      }

      case 'forget-stopped': {
        controller.forgetStopped();
        break;
      }

      case 'dismiss-idle': {
        controller.dismissIdle();
        break;
      }

      case 'view': {
        this.#query = command.query;
        break;
      }

      case 'freeze': {
        this.#frozen = command.frozen
          ? {
              rows: [...this.#source.store.records.values()].map((record) =>
                toClientRow(record),
              ),
              at: this.#clock.now,
            }
          : undefined;
        break;
      }

      case 'mute': {
        this.#muted = command.muted;
        break;
      }

      case 'hook-error':
      case 'reopen-log': {
        break;
      }
    }

    // Every command publishes a fresh snapshot, on a later turn as the real engine does.
    setImmediate(() => {
      this.#publish();
    });
  };

  #publish(): void {
    this.#latest = this.#build();
    for (const listener of this.#listeners) {
      listener();
    }
  }

  #build(): EngineSnapshot {
    const {store} = this.#source;
    const source = this.#source;
    const {now} = this.#clock;
    const frozen = this.#frozen;
    const rows =
      frozen?.rows ??
      [...store.records.values()].map((record) => toClientRow(record));
    const query = this.#query;
    const window = this.#selector.select(
      arraySource(rows),
      query,
      query.start,
      query.count,
      now,
    );
    const totals = {...store.totals, lost: 0};
    return {
      sequence: ++this.#sequence,
      commandsApplied: this.#commands,
      time: now,
      info: {
        listening: source.listening,
        listeningNote: source.listening,
        port: 12_000,
        requestedPort: 12_000,
        startedAt: source.startedAt,
        session: 'test',
        seed: 1,
        logFile: source.logFile,
      },
      lossPercent: source.loss(),
      lossChanged: source.lossChanged(),
      logError: source.logError(),
      hookError: undefined,
      muted: this.#muted,
      idleSilenceMs: source.idleSilenceMs(),
      clientCount: rows.length,
      countByState: store.countByState(),
      heartbeatsPerSecond: store.heartbeatsPerSecond(),
      totals,
      runTotals: totals,
      resets: [],
      delayHistogram: {boundsSeconds: [], counts: [0], sumSeconds: 0, count: 0},
      query,
      frozen: frozen !== undefined,
      frozenAt: frozen?.at,
      window,
      recent: [],
      detail: this.#detail(query.detail),
    };
  }

  /** As the real engine: the named client's detail while the store tracks it. */
  #detail(key: string | undefined): ClientDetail | undefined {
    const record = key === undefined ? undefined : this.#source.store.get(key);
    if (record === undefined) {
      return undefined;
    }

    const series = this.details.get(record.key) ?? {
      stateChanges: [],
      delaysMs: [],
      intervalsMs: [],
    };
    return {row: toClientRow(record), ...series};
  }
}
