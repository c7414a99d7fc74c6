import type {StoreView} from '../../source/store/store-view.js';
import type {
  ClientRecord,
  Liveness,
  Outcome,
  ServerTotals,
} from '../../source/vocabulary.js';
import type {Clock} from '../../source/clock.js';

/** What a fake engine reads besides the store: the server's settings and live values. */
export type DashboardSource = {
  readonly store: FakeStore;
  readonly clock: Clock;
  readonly listening: string;
  readonly startedAt: number;
  loss(): number;
  lossChanged(): boolean;
  readonly logFile: string | undefined;
  logError(): string | undefined;
  idleSilenceMs(): number | undefined;
};

/** The commands a fake engine passes on. */
export type DashboardController = {
  setLoss(percent: number): void;
  resetCounters(): void;
  forgetStopped(): void;
  dismissIdle(): void;
  quit(): void;
};

/** A client record the test owns and mutates, shaped as the store's. */
export type FakeRecord = {
  -readonly [K in keyof ClientRecord]: ClientRecord[K];
} & {outcomes: Outcome[]};

/** A record with plausible values; `overrides` sets what the test cares about. */
export function fakeRecord(
  address: string,
  port: number,
  overrides: Partial<Omit<FakeRecord, 'history'>> = {},
): FakeRecord {
  const record: FakeRecord = {
    key: address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`,
    address,
    port,
    label: undefined,
    state: 'alive',
    received: 0,
    replied: 0,
    dropped: 0,
    lost: 0,
    duplicates: 0,
    reordered: 0,
    restarts: 0,
    malformed: 0,
    unanswered: 0,
    clockOffsetMs: undefined,
    droppedSinceReply: 0,
    lastSeq: undefined,
    delayLastMs: undefined,
    delayMinMs: undefined,
    delayAvgMs: undefined,
    delayMaxMs: undefined,
    jitterMs: undefined,
    intervalMeanMs: undefined,
    intervalStdDevMs: undefined,
    firstSeen: 0,
    lastSeen: 0,
    lastHeartbeat: undefined,
    lossPercent: undefined,
    outcomes: [],
    history() {
      return [...record.outcomes];
    },
    ...overrides,
  };
  return record;
}

/** A StoreView over plain records the test mutates; `touch()` bumps the version as a packet would. */
export class FakeStore implements StoreView {
  version = 0;
  totals: ServerTotals = {
    received: 0,
    replied: 0,
    dropped: 0,
    malformed: 0,
    unanswered: 0,
    refused: 0,
    evicted: 0,
  };

  readonly records = new Map<string, FakeRecord>();
  rate = 0;
  lastActivity: number | undefined = undefined;
  countCalls = 0;

  get clientCount(): number {
    return this.records.size;
  }

  add(...records: FakeRecord[]): this {
    for (const record of records) {
      this.records.set(record.key, record);
    }

    this.touch();
    return this;
  }

  remove(key: string): void {
    this.records.delete(key);
    this.touch();
  }

  touch(): void {
    this.version++;
  }

  countByState(): Readonly<Record<Liveness, number>> {
    this.countCalls++;
    const counts: Record<Liveness, number> = {alive: 0, late: 0, stopped: 0};
    for (const record of this.records.values()) {
      counts[record.state]++;
    }

    return counts;
  }

  clients(): IterableIterator<ClientRecord> {
    return this.records.values();
  }

  get(key: string): ClientRecord | undefined {
    return this.records.get(key);
  }

  heartbeatsPerSecond(): number {
    return this.rate;
  }
}

/** A clock the test moves by hand. */
export class FakeClock {
  now: number;

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.now = start;
  }

  readonly clock = (): number => this.now;

  advance(ms: number): void {
    this.now += ms;
  }
}

/** A dashboard source over a fake store and clock, with every live value settable. */
export type FakeSource = DashboardSource & {
  lossValue: number;
  lossWasChanged: boolean;
  logErrorValue: string | undefined;
  idleMs: number | undefined;
  logFile: string | undefined;
};

export function fakeSource(
  store: FakeStore,
  clock: FakeClock,
  overrides: Partial<Pick<FakeSource, 'logFile' | 'listening'>> = {},
): FakeSource {
  const source: FakeSource = {
    store,
    clock: clock.clock,
    listening: overrides.listening ?? '0.0.0.0:12000',
    startedAt: clock.now,
    logFile: overrides.logFile,
    lossValue: 40,
    lossWasChanged: false,
    logErrorValue: undefined,
    idleMs: undefined,
    loss: () => source.lossValue,
    lossChanged: () => source.lossWasChanged,
    logError: () => source.logErrorValue,
    idleSilenceMs: () => source.idleMs,
  };
  return source;
}

/** A controller that records each call, and applies setLoss to the source as the server would. */
export type RecordingController = DashboardController & {
  readonly calls: Array<readonly [string, ...unknown[]]>;
};

export function recordingController(source?: FakeSource): RecordingController {
  const calls: Array<readonly [string, ...unknown[]]> = [];
  return {
    calls,
    setLoss(percent) {
      calls.push(['setLoss', percent]);
      if (source) {
        source.lossValue = percent;
        source.lossWasChanged = true;
      }
    },
    resetCounters() {
      calls.push(['resetCounters']);
    },
    forgetStopped() {
      calls.push(['forgetStopped']);
    },
    dismissIdle() {
      calls.push(['dismissIdle']);
      if (source) {
        source.idleMs = undefined;
      }
    },
    quit() {
      calls.push(['quit']);
    },
  };
}

/** `count` clients with varied values, for the selection tests and the measurement. */
export function manyRecords(count: number, seed = 1): FakeRecord[] {
  let state = seed >>> 0 || 1;
  const next = () => {
    // Xorshift32: deterministic and cheap, enough to spread values.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x1_00_00_00_00;
  };

  const states: Liveness[] = ['alive', 'late', 'stopped'];
  const records: FakeRecord[] = [];
  for (let index = 0; index < count; index++) {
    const received = Math.floor(next() * 10_000);
    const lost = Math.floor(next() * 100);
    const dropped = Math.floor(received * next() * 0.5);
    records.push(
      fakeRecord(
        `10.${(index >> 16) & 255}.${(index >> 8) & 255}.${index & 255}`,
        1024 + (index % 50_000),
        {
          state: states[Math.floor(next() * 3)],
          received,
          replied: received - dropped,
          dropped,
          lost,
          lossPercent:
            received + lost === 0
              ? undefined
              : ((dropped + lost) / (received + lost)) * 100,
          delayLastMs: next() < 0.05 ? undefined : next() * 200,
          intervalMeanMs: 1000 + next() * 100,
          intervalStdDevMs: next() * 50,
          lastSeen: 1_700_000_000_000 + Math.floor(next() * 1_000_000),
        },
      ),
    );
  }

  return records;
}
