/*
How long the real dashboard takes to draw one frame with many clients in a real store: a process
of its own, run by the benchmark, that prints one JSON line. The store is filled and kept busy in
process (heartbeats at a steady rate, the liveness tick), the dashboard renders to a fake terminal,
and each frame is timed from the moment its ticker reads the clock to the moment Ink has written
it. Ink's frame limit is lifted here so that the write follows at once: the time is the work.
Run with CI unset or false (Ink writes nothing until exit when CI is set). No JSX here: a compiler
puts the JSX runtime's import first in a file, and React must not load before production-mode.js.
*/
// First, as in the CLI: React picks its build when it loads.
// eslint-disable-next-line import-x/no-unassigned-import, import-x/order
import '../source/production-mode.js';
import {EventEmitter} from 'node:events';
import process from 'node:process';
import {PassThrough} from 'node:stream';
import {parseArgs} from 'node:util';
import {render} from 'ink';
import {createElement} from 'react';
import {systemClock} from '../source/clock.js';
import type {Heartbeat} from '../source/protocol/types.js';
import {HeartbeatStore} from '../source/store/heartbeat-store.js';
import {Dashboard} from '../source/ui/dashboard.js';
import type {DashboardController, DashboardSource} from '../source/ui/types.js';
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
};

/** Ink's stdout: a terminal of a fixed size that remembers nothing it is given. */
// eslint-disable-next-line unicorn/prefer-event-target -- Ink listens with `on('resize')`, as on a stream
class FakeTerminal extends EventEmitter {
  readonly columns: number;
  readonly rows: number;
  readonly #onWrite: (chunk: string) => void;

  constructor(columns: number, rows: number, onWrite: (chunk: string) => void) {
    super();
    this.columns = columns;
    this.rows = rows;
    this.#onWrite = onWrite;
  }

  get isTTY(): boolean {
    return true;
  }

  write(chunk: string | Uint8Array): boolean {
    this.#onWrite(typeof chunk === 'string' ? chunk : '');
    return true;
  }
}

/** Distinct, plausible addresses: 10.x.y.z, several clients per address. */
function addressOf(index: number): string {
  const host = Math.floor(index / 4);
  return `10.${(host >> 16) & 255}.${(host >> 8) & 255}.${host & 255}`;
}

function portOf(index: number): number {
  return 40_000 + (index % 4) * 7 + (index % 1013);
}

function heartbeat(seq: number, timestampMs: number): Heartbeat {
  return {kind: 'heartbeat', label: 'Ping', seq, timestampMs};
}

function collectGarbage(): void {
  (globalThis as {gc?: () => void}).gc?.();
}

const {values} = parseArgs({
  options: {
    clients: {type: 'string', default: '100000'},
    frames: {type: 'string', default: '15'},
    warmup: {type: 'string', default: '5'},
    rate: {type: 'string', default: '20000'},
    columns: {type: 'string', default: '140'},
    rows: {type: 'string', default: '40'},
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
const store = new HeartbeatStore({clock: systemClock, maxClients: clients});
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
const liveness = setInterval(() => {
  store.evaluateLiveness(systemClock());
}, 100);

const frameMs: number[] = [];
const busyMs: number[] = [];
let frameStartedAt: number | undefined;
const startedAt = systemClock();
const source: DashboardSource = {
  store,
  clock() {
    // Only the frame ticker reads the clock here: each read starts a frame.
    const started = performance.now();
    frameStartedAt = started;
    setImmediate(() => {
      busyMs.push(performance.now() - started);
    });
    return systemClock();
  },
  listening: '0.0.0.0:12000',
  startedAt,
  loss: () => 0,
  lossChanged: () => false,
  logFile: undefined,
  logError: () => undefined,
  idleSilenceMs: () => undefined,
};
// No key is ever pressed here: the commands do nothing.
const ignore = () => undefined;
const controller: DashboardController = {
  setLoss: ignore,
  resetCounters: ignore,
  forgetStopped: ignore,
  dismissIdle: ignore,
  quit: ignore,
};

/** Ink ends each frame it writes on a terminal with this (synchronized output off). */
const frameEnd = '\u001B[?2026l';
const terminal = new FakeTerminal(columns, rows, (chunk) => {
  if (chunk.includes(frameEnd) && frameStartedAt !== undefined) {
    frameMs.push(performance.now() - frameStartedAt);
    frameStartedAt = undefined;
  }
});
const stdin = Object.assign(new PassThrough(), {isTTY: false});
/* eslint-disable @typescript-eslint/no-unsafe-type-assertion -- Ink uses only write, isTTY, the
size and the resize event of a terminal, and only isTTY of a stdin that has no raw mode. */
const app = render(createElement(Dashboard, {source, controller}), {
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
app.unmount();
clearInterval(feeder);
clearInterval(liveness);

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
};
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
