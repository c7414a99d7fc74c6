/*
The engine's longest task and the dashboard's frame with many clients: a process of its own, run by
the benchmark, that prints one JSON line. A real engine (fed without a socket, through the store, as
a replay would feed it) is filled and kept busy (heartbeats at a steady rate, the liveness tick),
first alone, sorted by delay, while an event-loop delay monitor records the longest task; then with
the dashboard rendering its snapshots to a fake terminal, each frame timed from the snapshot's
publication to the moment Ink has written it. Ink's frame limit is lifted here so that the write
follows at once: the time is the work. In the CLI the engine has a thread of its own.
Run with CI unset or false (Ink writes nothing until exit when CI is set). No JSX here: a compiler
puts the JSX runtime's import first in a file, and React must not load before production-mode.js.
*/
// First, as in the CLI: React picks its build when it loads.
// eslint-disable-next-line import-x/no-unassigned-import, import-x/order
import '../source/production-mode.js';
import {monitorEventLoopDelay} from 'node:perf_hooks';
import process from 'node:process';
import {PassThrough} from 'node:stream';
import {parseArgs} from 'node:util';
import {render} from 'ink';
import {createElement} from 'react';
import {systemClock} from '../source/clock.js';
import type {Heartbeat} from '../source/vocabulary.js';
import type {EngineSnapshot} from '../source/engine/types.js';
import {Dashboard} from '../source/ui/dashboard.js';
import type {EngineView} from '../source/ui/use-engine-snapshot.js';
import {
  benchEngine,
  FakeTerminal,
  addressOf,
  portOf,
  heartbeat,
} from './bench-engine.js';
import {median, percentile} from './stats.js';

export type FrameTimeResult = {
  readonly clients: number;
  readonly columns: number;
  readonly rows: number;
  /** Milliseconds from the ticker's clock read to Ink's write, per frame measured. */
  readonly frameMs: readonly number[];
  /** Milliseconds from the ticker's clock read until the event loop was free again. */
  readonly busyMs: readonly number[];
  readonly medianMs: number;
  readonly p90Ms: number;
  readonly maxMs: number;
  readonly busyMedianMs: number;
  /**
   * Memory the store holds per client (heap and typed-array buffers, after a full GC), with eleven
   * heartbeats each, enough for a client's full window of intervals; NaN without --expose-gc.
   */
  readonly heapPerClientBytes: number;
  readonly fillSeconds: number;
  /** The longest task on the engine's thread while it publishes snapshots sorted by delay. */
  readonly engineLongestTaskMs: number;
  /** Frames written per second while the dashboard ran. */
  readonly framesPerSecond: number;
  /** CPU time of the process per frame (median): the work itself, whatever else runs on the machine. */
  readonly cpuMedianMs: number;
};

function collectGarbage(): void {
  (globalThis as {gc?: () => void}).gc?.();
}

const {values} = parseArgs({
  options: {
    clients: {type: 'string', default: '100000'},
    frames: {type: 'string', default: '15'},
    warmup: {type: 'string', default: '5'},
    rate: {type: 'string', default: '20000'},
    columns: {type: 'string', default: '160'},
    rows: {type: 'string', default: '50'},
  },
});
const clients = Number(values.clients);
const framesWanted = Number(values.frames);
const warmupFrames = Number(values.warmup);
const ratePerSecond = Number(values.rate);
const columns = Number(values.columns);
const rows = Number(values.rows);

const lastSeq = new Int32Array(clients);
function storeBytes(): number {
  const {heapUsed, arrayBuffers} = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

collectGarbage();
const bytesBefore = storeBytes();
const fillStarted = performance.now();
// No socket: datagrams come from here, replies go nowhere.
const core = benchEngine(clients, systemClock);
const {store} = core;
/*
Eleven heartbeats a second apart for every client, ending now, every seventh losing one on the way:
ten intervals move a client's interval window to its full size, as in any fleet that has run a while.
*/
const rounds = 11;
const firstAt = systemClock() - rounds * 1000;
for (let round = 0; round < rounds; round++) {
  for (let index = 0; index < clients; index++) {
    const now = firstAt + round * 1000 + (index * 1000) / clients;
    const seq = round + 1 + (round === rounds - 1 && index % 7 === 0 ? 1 : 0);
    lastSeq[index] = seq;
    const client = store.recordHeartbeat(
      addressOf(index),
      portOf(index),
      heartbeat(seq, now - 1 - (index % 50)),
      now,
    );
    store.recordReply(client, true, now);
  }
}

const fillSeconds = (performance.now() - fillStarted) / 1000;
collectGarbage();
const heapPerClientBytes =
  (globalThis as {gc?: unknown}).gc === undefined
    ? Number.NaN
    : (storeBytes() - bytesBefore) / clients;

// Keep the store as busy as a server at `ratePerSecond` would: heartbeats and the liveness tick.
let feedSeed = 12_345;
const feeder = setInterval(() => {
  const now = systemClock();
  for (let count = 0; count < ratePerSecond / 100; count++) {
    feedSeed = (feedSeed * 1_103_515_245 + 12_345) >>> 0;
    const index = feedSeed % clients;
    const client = store.recordHeartbeat(
      addressOf(index),
      portOf(index),
      heartbeat(++lastSeq[index]!, now - 2),
      now,
    );
    store.recordReply(client, true, now);
  }
}, 10);
// The engine's own beat: liveness, the idle watch and a snapshot every 100 ms.
core.start();
core.apply({
  type: 'view',
  query: {
    sort: 'delay',
    descending: true,
    filter: '',
    start: 0,
    count: rows - 10,
  },
});

// The engine alone: its longest task while it sorts 100000 clients by delay ten times a second.
const delays = monitorEventLoopDelay({resolution: 1});
await new Promise((resolve) => {
  setTimeout(resolve, 1000);
});
delays.enable();
await new Promise((resolve) => {
  setTimeout(resolve, 3000);
});
delays.disable();
const engineLongestTaskMs = delays.max / 1e6;

const frameMs: number[] = [];
const busyMs: number[] = [];
let frameStartedAt: number | undefined;
let frameCpuAt: NodeJS.CpuUsage | undefined;
const frameCpuMs: number[] = [];
const listeners = new Set<() => void>();
// The dashboard's thread, alone: snapshots are taken outside the frame, as the engine's thread
// takes them in the CLI, and each frame is timed from its snapshot's arrival.
core.pause();
let latest: EngineSnapshot = core.snapshotNow();
const publish = (snapshot: EngineSnapshot) => {
  latest = snapshot;
  const started = performance.now();
  frameStartedAt = started;
  frameCpuAt = process.cpuUsage();
  for (const listener of listeners) {
    listener();
  }

  setImmediate(() => {
    busyMs.push(performance.now() - started);
  });
};

const beat = setInterval(() => {
  publish(core.snapshotNow());
}, 100);
const engine: EngineView = {
  subscribe(listener) {
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  },
  getSnapshot: () => latest,
  send(command) {
    core.apply(command);
    publish(core.snapshotNow());
  },
};

/** Ink ends each frame it writes on a terminal with this (synchronized output off). */
const frameEnd = '\u001B[?2026l';
const terminal = new FakeTerminal(columns, rows, (chunk) => {
  if (chunk.includes(frameEnd) && frameStartedAt !== undefined) {
    frameMs.push(performance.now() - frameStartedAt);
    const cpu = process.cpuUsage(frameCpuAt);
    frameCpuMs.push((cpu.user + cpu.system) / 1000);
    frameStartedAt = undefined;
  }
});
const stdin = Object.assign(new PassThrough(), {isTTY: false});
/* eslint-disable @typescript-eslint/no-unsafe-type-assertion -- Ink uses only write, isTTY, the
size and the resize event of a terminal, and only isTTY of a stdin that has no raw mode. */
// No key is ever pressed here.
const ignoreQuit = () => undefined;
const framesFrom = performance.now();
const app = render(createElement(Dashboard, {engine, onQuit: ignoreQuit}), {
  stdout: terminal as unknown as NodeJS.WriteStream,
  stderr: terminal as unknown as NodeJS.WriteStream,
  stdin: stdin as unknown as NodeJS.ReadStream,
  exitOnCtrlC: false,
  patchConsole: false,
  maxFps: 1000,
});
/* eslint-enable @typescript-eslint/no-unsafe-type-assertion */

const deadline = Date.now() + 60_000;
await new Promise<void>((resolve) => {
  const check = setInterval(() => {
    if (
      frameMs.length >= warmupFrames + framesWanted ||
      Date.now() > deadline
    ) {
      clearInterval(check);
      resolve();
    }
  }, 20);
});
const framesPerSecond =
  (frameMs.length * 1000) / (performance.now() - framesFrom);
app.unmount();
clearInterval(beat);
clearInterval(feeder);
await core.stop(async () => undefined);

const measured = frameMs.slice(warmupFrames);
const busy = busyMs.slice(warmupFrames, warmupFrames + measured.length);
const sorted = measured.toSorted((a, b) => a - b);
const result: FrameTimeResult = {
  clients,
  columns,
  rows,
  frameMs: measured,
  busyMs: busy,
  medianMs: median(measured),
  p90Ms: percentile(sorted, 90),
  maxMs: sorted.at(-1) ?? Number.NaN,
  busyMedianMs: median(busy),
  heapPerClientBytes,
  fillSeconds,
  engineLongestTaskMs,
  framesPerSecond,
  cpuMedianMs: median(frameCpuMs.slice(warmupFrames)),
};
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
