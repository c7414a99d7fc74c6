/*
The engine's budgets with 100000 clients, in a process of its own that prints one JSON line:
- memory: a real store is filled with clients that each sent eleven heartbeats (ten intervals:
  their interval and delay rings at full size, as in any fleet that has run a while); the heap and
  the typed-array buffers it holds after a full GC, and the process's resident memory, per client,
  beside the store's own count of the typed-array bytes it keeps per client;
- pauses: a real engine (fed without a socket, as a replay feeds it) takes heartbeats at a steady
  rate while its view is sorted by every column in turn, filtered and frozen, and
  `monitorEventLoopDelay` records its longest task while a `PerformanceObserver` records every
  garbage collection.
Run with --expose-gc.
*/
import {
  constants,
  monitorEventLoopDelay,
  PerformanceObserver,
  type PerformanceEntry,
} from 'node:perf_hooks';
import process from 'node:process';
import {setTimeout as delay} from 'node:timers/promises';
import {parseArgs} from 'node:util';
import {systemClock} from '../source/clock.js';
import {sortColumns, type ViewQuery} from '../source/engine/types.js';
import type {Heartbeat} from '../source/vocabulary.js';
import {benchEngine, addressOf, portOf, heartbeat} from './bench-engine.js';

export type GcPause = {
  readonly kind: string;
  readonly ms: number;
};

export type EngineBudgetsResult = {
  readonly clients: number;
  /** Heap and typed-array buffers the store holds per client, after a full GC. */
  readonly heapPerClientBytes: number;
  /** Resident memory per client: the process's RSS after the fill, less before it. */
  readonly rssPerClientBytes: number;
  /** The store's own count of the bytes its typed arrays keep per client. */
  readonly typedArrayBytesPerClient: number;
  readonly fillSeconds: number;
  /** Heartbeats a second fed to the engine while its view changed. */
  readonly ratePerSecond: number;
  /** What the view went through, in order. */
  readonly steps: readonly string[];
  /** The longest task on the engine's thread (event-loop delay at 1 ms resolution). */
  readonly longestTaskMs: number;
  readonly p99TaskMs: number;
  /** Per step, its longest task and its longest garbage collection. */
  readonly longestTaskByStepMs: Readonly<Record<string, number>>;
  readonly longestGcByStepMs: Readonly<Record<string, number>>;
  /** The longest garbage collection, and every kind's count. */
  readonly longestGcMs: number;
  readonly longestGcKind: string;
  readonly gcCounts: Readonly<Record<string, number>>;
  readonly heartbeatsFed: number;
};

const gcKinds: Readonly<Record<number, string>> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'scavenge',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'mark-compact',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental marking',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak callbacks',
};

function collectGarbage(): void {
  const {gc} = globalThis as {gc?: () => void};
  if (gc === undefined) {
    throw new Error('run with --expose-gc');
  }

  gc();
  gc();
}

function heapBytes(): number {
  const {heapUsed, arrayBuffers} = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

const {values} = parseArgs({
  options: {
    clients: {type: 'string', default: '100000'},
    rate: {type: 'string', default: '20000'},
    'step-ms': {type: 'string', default: '1000'},
  },
});
const clients = Number(values.clients);
const ratePerSecond = Number(values.rate);
const stepMs = Number(values['step-ms']);

// Addresses made before the baseline: the datagrams' own strings are not the store's.
const addresses = Array.from({length: clients}, (_, index) => addressOf(index));
const lastSeq = new Float64Array(clients);

collectGarbage();
const heapBefore = heapBytes();
const rssBefore = process.memoryUsage.rss();
const fillStarted = performance.now();
const core = benchEngine(clients, systemClock);
const {store} = core;
// Eleven heartbeats a second apart for every client, ending now, every seventh losing one.
const rounds = 11;
const firstAt = systemClock() - rounds * 1000;
for (let round = 0; round < rounds; round++) {
  for (let index = 0; index < clients; index++) {
    const now = firstAt + round * 1000 + (index * 1000) / clients;
    const seq = round + 1 + (round === rounds - 1 && index % 7 === 0 ? 1 : 0);
    lastSeq[index] = seq;
    const client = store.recordHeartbeat(
      addresses[index]!,
      portOf(index),
      heartbeat(seq, now - 1 - (index % 50)),
      now,
    );
    store.recordReply(client, true, now);
  }
}

const fillSeconds = (performance.now() - fillStarted) / 1000;
collectGarbage();
const heapPerClientBytes = (heapBytes() - heapBefore) / clients;
const rssPerClientBytes = (process.memoryUsage.rss() - rssBefore) / clients;
const typedArrayBytesPerClient = store.typedArrayBytes() / clients;

// Heartbeats at `ratePerSecond`, in batches of a millisecond's worth, as a socket delivers them.
let feedSeed = 12_345;
let heartbeatsFed = 0;
let owed = 0;
let lastFeed = performance.now();
const feeder = setInterval(() => {
  const at = performance.now();
  owed += ((at - lastFeed) * ratePerSecond) / 1000;
  lastFeed = at;
  const now = systemClock();
  for (; owed >= 1; owed--) {
    feedSeed = (feedSeed * 1_103_515_245 + 12_345) >>> 0;
    const index = feedSeed % clients;
    const client = store.recordHeartbeat(
      addresses[index]!,
      portOf(index),
      heartbeat(++lastSeq[index]!, now - 2),
      now,
    );
    store.recordReply(client, true, now);
    heartbeatsFed++;
  }
}, 1);

const gcEntries: PerformanceEntry[] = [];
const observer = new PerformanceObserver((list) => {
  gcEntries.push(...list.getEntries());
});
observer.observe({entryTypes: ['gc']});

core.start();
const view = (query: Partial<ViewQuery>): void => {
  core.apply({
    type: 'view',
    query: {
      sort: 'client',
      descending: false,
      filter: '',
      start: 0,
      count: 40,
      ...query,
    },
  });
};

view({});
await delay(500);
const steps: string[] = [];
const longestTaskByStepMs: Record<string, number> = {};
const stepStarts: Array<{name: string; at: number}> = [];
const whole = monitorEventLoopDelay({resolution: 1});
whole.enable();
async function step(name: string, action: () => void): Promise<void> {
  steps.push(name);
  stepStarts.push({name, at: performance.now()});
  const part = monitorEventLoopDelay({resolution: 1});
  part.enable();
  action();
  await delay(stepMs);
  part.disable();
  longestTaskByStepMs[name] = part.max / 1e6;
}

for (const sort of sortColumns) {
  await step(`sort by ${sort}`, () => {
    view({sort, descending: sort !== 'client'});
  });
}

await step('filter 10.0.1', () => {
  view({sort: 'delay', descending: true, filter: '10.0.1'});
});
await step('freeze', () => {
  core.apply({type: 'freeze', frozen: true});
});
await step('sort the frozen copy by loss', () => {
  view({sort: 'loss', descending: true});
});
await step('thaw', () => {
  core.apply({type: 'freeze', frozen: false});
});
whole.disable();
clearInterval(feeder);
observer.disconnect();
await core.stop(async () => undefined);

const longestGcByStepMs: Record<string, number> = {};
for (const entry of gcEntries) {
  const during = stepStarts.findLast(({at}) => at <= entry.startTime);
  if (during !== undefined) {
    longestGcByStepMs[during.name] = Math.max(
      longestGcByStepMs[during.name] ?? 0,
      entry.duration,
    );
  }
}

const gcCounts: Record<string, number> = {};
let longestGc: {ms: number; kind: string} = {ms: 0, kind: 'none'};
for (const entry of gcEntries) {
  const {detail} = entry as PerformanceEntry & {detail?: {kind?: number}};
  const code = detail?.kind ?? -1;
  const kind = gcKinds[code] ?? String(code);
  gcCounts[kind] = (gcCounts[kind] ?? 0) + 1;
  if (entry.duration > longestGc.ms) {
    longestGc = {ms: entry.duration, kind};
  }
}

const result: EngineBudgetsResult = {
  clients,
  heapPerClientBytes,
  rssPerClientBytes,
  typedArrayBytesPerClient,
  fillSeconds,
  ratePerSecond,
  steps,
  longestTaskMs: whole.max / 1e6,
  p99TaskMs: whole.percentile(99) / 1e6,
  longestTaskByStepMs,
  longestGcByStepMs,
  longestGcMs: longestGc.ms,
  longestGcKind: longestGc.kind,
  gcCounts,
  heartbeatsFed,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
