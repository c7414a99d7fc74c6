/*
What one frame of the dashboard's table costs, and whether its memory stays flat: a process of its
own, run by the benchmark, that prints one JSON line. A real engine core (fed through its store, no
socket) holds the clients; the clock is a fake one that moves 100 ms a frame, and every client beats
once a frame, so every row changes in every frame (the worst case: a busy fleet). Each frame is the
time from publishing a snapshot to Ink's write of it, in CPU milliseconds of this process.
- frames: 45 clients at 160x50 (the table fills the terminal), the median over the measured frames,
  with the share Ink reports for its own output stage (`onRender`'s renderTime) beside it.
- memory: 40 clients, 10 minutes of fake time at 10 frames a second (--quick too), drawn five
  times faster than real: resident memory after a full GC at the first minute, halfway and at the
  end. It grows while the allocators settle, then flattens: the estimate for an hour is the growth
  to halfway plus the second half's rate for the rest of the hour (an extrapolation, said so).
Run with CI unset or false. No JSX here: React must not load before production-mode.js.
*/
// First, as in the CLI: React picks its build when it loads.
// eslint-disable-next-line import-x/no-unassigned-import, import-x/order
import '../source/production-mode.js';
import process from 'node:process';
import {PassThrough} from 'node:stream';
import {parseArgs} from 'node:util';
import {render} from 'ink';
import {createElement} from 'react';
import type {EngineSnapshot} from '../source/engine/types.js';
import type {Heartbeat} from '../source/vocabulary.js';
import {Dashboard} from '../source/ui/dashboard.js';
import type {EngineView} from '../source/ui/use-engine-snapshot.js';
import {benchEngine, FakeTerminal, heartbeat} from './bench-engine.js';
import {median} from './stats.js';

export type DashboardFramesResult = {
  readonly node: string;
  readonly ink: string;
  readonly columns: number;
  readonly rows: number;
  readonly clients: number;
  readonly frames: number;
  /** CPU milliseconds of the process per frame, median. */
  readonly cpuMedianMs: number;
  /** Of which Ink's output stage (layout excluded), as Ink's onRender reports it: median. */
  readonly inkOutputMedianMs: number;
  /** The memory run. */
  readonly memory: {
    readonly clients: number;
    readonly frames: number;
    /** Fake minutes the frames stand for at 10 frames a second. */
    readonly minutes: number;
    readonly rssAtMinuteBytes: number;
    readonly rssHalfwayBytes: number;
    readonly rssAtEndBytes: number;
    /**
     * Growth in the hour after the first minute, estimated: what it grew from the first minute to
     * halfway (the allocators settling), and the second half's rate for the rest of the hour.
     */
    readonly growthPerHourBytes: number;
  };
};

function collectGarbage(): void {
  (globalThis as {gc?: () => void}).gc?.();
}

/**
 * Resident memory once the garbage is collected and the heap has had a quiet second to give back
 * what it no longer uses, as it does between the frames of a real dashboard (ten a second, idle in
 * between); frames drawn back to back here leave V8 no idle time of its own.
 */
async function settledRss(): Promise<number> {
  collectGarbage();
  await new Promise((resolve) => {
    setTimeout(resolve, 1000);
  });
  collectGarbage();
  return process.memoryUsage.rss();
}

/** Ink ends each frame it writes on a terminal with this (synchronized output off). */
const frameEnd = '\u001B[?2026l';

type Run = {
  /** Draws one frame in which every client beat once; resolves with its CPU ms. */
  frame(): Promise<{cpuMs: number; inkMs: number}>;
  stop(): Promise<void>;
};

async function startRun(
  clients: number,
  columns: number,
  rows: number,
): Promise<Run> {
  let now = Date.UTC(2026, 0, 1);
  const core = benchEngine(clients, () => now);
  const {store} = core;
  let seq = 0;
  const beat = () => {
    seq++;
    for (let index = 0; index < clients; index++) {
      const client = store.recordHeartbeat(
        `10.0.${index >> 8}.${index & 255}`,
        40_000 + index,
        // Delays that differ from beat to beat, as on a real network.
        heartbeat(seq, now - 1 - ((seq * 7 + index * 13) % 40)),
        now,
      );
      store.recordReply(client, true, now);
    }
  };

  beat();
  let latest: EngineSnapshot = core.snapshotNow();
  const listeners = new Set<() => void>();
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
      latest = core.snapshotNow();
      for (const listener of listeners) {
        listener();
      }
    },
  };

  let written: (() => void) | undefined;
  const terminal = new FakeTerminal(columns, rows, (chunk) => {
    if (chunk.includes(frameEnd)) {
      written?.();
    }
  });
  let inkMs = 0;
  const stdin = Object.assign(new PassThrough(), {isTTY: false});
  /* eslint-disable @typescript-eslint/no-unsafe-type-assertion -- Ink uses only write, isTTY, the
  size and the resize event of a terminal, and only isTTY of a stdin that has no raw mode. */
  const app = render(
    createElement(Dashboard, {engine, onQuit: () => undefined}),
    {
      stdout: terminal as unknown as NodeJS.WriteStream,
      stderr: terminal as unknown as NodeJS.WriteStream,
      stdin: stdin as unknown as NodeJS.ReadStream,
      exitOnCtrlC: false,
      patchConsole: false,
      // No limit: the time measured is the work, not a wait for the next allowed frame.
      maxFps: 100_000,
      onRender({renderTime}) {
        inkMs = renderTime;
      },
    },
  );
  /* eslint-enable @typescript-eslint/no-unsafe-type-assertion */
  // The view the dashboard asks for arrives as a command: let it settle.
  await new Promise((resolve) => {
    setTimeout(resolve, 200);
  });

  return {
    async frame() {
      now += 100;
      beat();
      latest = core.snapshotNow();
      const done = new Promise<void>((resolve) => {
        written = resolve;
      });
      const before = process.cpuUsage();
      for (const listener of listeners) {
        listener();
      }

      await done;
      const cpu = process.cpuUsage(before);
      return {cpuMs: (cpu.user + cpu.system) / 1000, inkMs};
    },
    async stop() {
      app.unmount();
      await core.stop(async () => undefined);
    },
  };
}

const {values} = parseArgs({
  options: {
    frames: {type: 'string', default: '200'},
    warmup: {type: 'string', default: '50'},
    minutes: {type: 'string', default: '10'},
  },
});
const framesWanted = Number(values.frames);
const warmup = Number(values.warmup);
const minutes = Number(values.minutes);

const columns = 160;
const rows = 50;
const frameClients = 45;
const run = await startRun(frameClients, columns, rows);
const cpuMs: number[] = [];
const inkMs: number[] = [];
for (let index = 0; index < warmup + framesWanted; index++) {
  const frame = await run.frame();
  if (index >= warmup) {
    cpuMs.push(frame.cpuMs);
    inkMs.push(frame.inkMs);
  }
}

await run.stop();
collectGarbage();

const memoryClients = 40;
const memoryFrames = minutes * 60 * 10;
/** Milliseconds a frame of the memory run takes at least: 5 times as fast as 10 a second. */
const paceMs = 20;
const memoryRun = await startRun(memoryClients, columns, rows);
const halfway = memoryFrames / 2;
let rssAtMinute = Number.NaN;
let rssHalfway = Number.NaN;
for (let index = 1; index <= memoryFrames; index++) {
  const due = performance.now() + paceMs;
  await memoryRun.frame();
  // Idle until the frame's turn: five times faster than real, and V8 gets idle time, as between
  // the frames of a real dashboard.
  await new Promise((resolve) => {
    setTimeout(resolve, Math.max(0, due - performance.now()));
  });
  if (index === 600) {
    rssAtMinute = await settledRss();
  }

  if (index === halfway) {
    rssHalfway = await settledRss();
  }
}

const rssAtEnd = await settledRss();
await memoryRun.stop();

const result: DashboardFramesResult = {
  node: process.versions.node,
  ink: '8',
  columns,
  rows,
  clients: frameClients,
  frames: cpuMs.length,
  cpuMedianMs: median(cpuMs),
  inkOutputMedianMs: median(inkMs),
  memory: {
    clients: memoryClients,
    frames: memoryFrames,
    minutes,
    rssAtMinuteBytes: rssAtMinute,
    rssHalfwayBytes: rssHalfway,
    rssAtEndBytes: rssAtEnd,
    // What the heap settles into is grown by the middle of the run; the second half's rate goes on.
    growthPerHourBytes:
      rssHalfway -
      rssAtMinute +
      ((rssAtEnd - rssHalfway) * (60 - minutes / 2)) / (minutes / 2),
  },
};
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
