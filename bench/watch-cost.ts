/*
What watching costs, measured from outside as a user would see it: the server with its dashboard in
a 160x50 pseudo-terminal and the same server headless, one after the other under the same steady
load (clients on loopback sending `Ping` heartbeats from this process, the round trip of every one
timed), each process's CPU read from /proc, the dashboard's frames counted as they are written. And
the dashboard with no client at all, idle. Then the frame itself (bench/dashboard-frames.ts, a
process of its own): CPU per frame at 160x50 with 45 rows that all change, and resident memory over
ten minutes of frames, extrapolated to an hour.
*/
import {spawn} from 'node:child_process';
import dgram from 'node:dgram';
import {once} from 'node:events';
import path from 'node:path';
import {setTimeout as delay} from 'node:timers/promises';
import type {DashboardFramesResult} from './dashboard-frames.js';
import {procDelta, sampleProcess} from './proc-stats.js';
import {
  freePort,
  registerChild,
  startDashboardServer,
  startHeadlessServer,
  waitForReply,
  type ServerProcess,
} from './servers.js';
import {formatTable, percentile, replySequence} from './stats.js';

export type WatchLoad = {
  readonly clients: number;
  readonly ratePerSecond: number;
};

export type WatchFigures = {
  /** Share of one core the process used over the window. */
  readonly cpuCores: number;
  readonly rttP99Ms: number;
  readonly replies: number;
  readonly sent: number;
  /** Dashboard only. */
  readonly framesPerSecond?: number;
};

export type WatchCostResult = {
  readonly idle: {readonly cpuCores: number; readonly framesPerSecond: number};
  readonly loads: ReadonlyArray<
    WatchLoad & {
      readonly headless: WatchFigures;
      readonly dashboard: WatchFigures;
    }
  >;
};

/** The loads of the targets: a small fleet, and a thousand clients. */
export const watchLoads: readonly WatchLoad[] = [
  {clients: 40, ratePerSecond: 200},
  {clients: 1000, ratePerSecond: 1000},
];

type Load = {
  readonly sent: () => number;
  readonly rtts: number[];
  stop(): Promise<void>;
};

/** `clients` sockets on loopback taking turns to send `ratePerSecond` heartbeats in all. */
async function startLoad(
  port: number,
  {clients, ratePerSecond}: WatchLoad,
): Promise<Load> {
  const sockets: dgram.Socket[] = [];
  const sentAt: Array<Map<number, number>> = [];
  const rtts: number[] = [];
  for (let index = 0; index < clients; index++) {
    const socket = dgram.createSocket('udp4');
    const pending = new Map<number, number>();
    socket.on('error', () => undefined);
    socket.on('message', (reply) => {
      const seq = replySequence(reply);
      const at = seq === undefined ? undefined : pending.get(seq);
      if (at !== undefined) {
        rtts.push(performance.now() - at);
        pending.delete(seq!);
      }
    });
    socket.bind(0, '127.0.0.1');
    await once(socket, 'listening');
    sockets.push(socket);
    sentAt.push(pending);
  }

  const seqs = Array.from({length: clients}, () => 0);
  let sent = 0;
  let next = 0;
  const started = performance.now();
  const timer = setInterval(() => {
    const due = Math.floor(
      ((performance.now() - started) * ratePerSecond) / 1000,
    );
    while (sent < due) {
      const index = next;
      next = (next + 1) % clients;
      const seq = ++seqs[index]!;
      sentAt[index]!.set(seq, performance.now());
      if (sentAt[index]!.size > 64) {
        // Unanswered long ago: forget the oldest.
        sentAt[index]!.delete(sentAt[index]!.keys().next().value!);
      }

      sockets[index]!.send(
        `Ping ${seq} ${(Date.now() / 1000).toFixed(6)}`,
        port,
        '127.0.0.1',
      );
      sent++;
    }
  }, 5);
  return {
    sent: () => sent,
    rtts,
    async stop() {
      clearInterval(timer);
      await Promise.all(
        sockets.map(
          async (socket) =>
            new Promise<void>((resolve) => {
              socket.close(() => {
                resolve();
              });
            }),
        ),
      );
    },
  };
}

async function startServer(
  kind: 'headless' | 'dashboard',
  cliPath: string,
  cwd: string,
): Promise<ServerProcess> {
  const port = await freePort();
  const server =
    kind === 'headless'
      ? startHeadlessServer(cliPath, port, cwd)
      : startDashboardServer(cliPath, port, cwd, {columns: 160, rows: 50});
  try {
    await waitForReply(port, 15_000, () => server.isAlive());
  } catch (error) {
    await server.stop();
    throw error;
  }

  return server;
}

/** One server under one load: a warm-up, then the window measured. */
async function measureUnder(
  kind: 'headless' | 'dashboard',
  load: WatchLoad,
  cliPath: string,
  cwd: string,
  windowMs: number,
): Promise<WatchFigures> {
  const server = await startServer(kind, cliPath, cwd);
  const sender = await startLoad(server.port, load);
  try {
    await delay(3000);
    const rttsFrom = sender.rtts.length;
    const sentFrom = sender.sent();
    const before = sampleProcess(server.pid, server.port, {sockets: false});
    await delay(windowMs);
    const after = sampleProcess(server.pid, server.port, {sockets: false});
    const rtts = sender.rtts.slice(rttsFrom).toSorted((a, b) => a - b);
    const frames = server.frameTimes.filter(
      (time) => time >= before.time && time <= after.time,
    ).length;
    return {
      cpuCores: procDelta(before, after).cpuCores,
      rttP99Ms: percentile(rtts, 99),
      replies: rtts.length,
      sent: sender.sent() - sentFrom,
      ...(kind === 'dashboard'
        ? {framesPerSecond: (frames * 1000) / (after.time - before.time)}
        : {}),
    };
  } finally {
    await sender.stop();
    await server.stop();
  }
}

/** The dashboard with no client: what leaving it open costs. */
async function measureIdle(
  cliPath: string,
  cwd: string,
  windowMs: number,
): Promise<WatchCostResult['idle']> {
  const server = await startServer('dashboard', cliPath, cwd);
  try {
    // The probe that found it answering is a client: its age shows tenths for ten seconds, whole
    // seconds after that. Idle is from then on: an age and the uptime, once a second.
    await delay(11_000);
    const before = sampleProcess(server.pid, server.port, {sockets: false});
    await delay(windowMs);
    const after = sampleProcess(server.pid, server.port, {sockets: false});
    const frames = server.frameTimes.filter(
      (time) => time >= before.time && time <= after.time,
    ).length;
    return {
      cpuCores: procDelta(before, after).cpuCores,
      framesPerSecond: (frames * 1000) / (after.time - before.time),
    };
  } finally {
    await server.stop();
  }
}

export async function measureWatchCost(
  cliPath: string,
  cwd: string,
  quick: boolean,
  log: (line: string) => void,
): Promise<WatchCostResult> {
  const windowMs = quick ? 5000 : 10_000;
  log('watching: the idle dashboard');
  const idle = await measureIdle(cliPath, cwd, windowMs);
  const loads: Array<WatchCostResult['loads'][number]> = [];
  for (const load of watchLoads) {
    log(
      `watching: ${load.clients} clients at ${load.ratePerSecond}/s, headless then the dashboard`,
    );
    const headless = await measureUnder(
      'headless',
      load,
      cliPath,
      cwd,
      windowMs,
    );
    const dashboard = await measureUnder(
      'dashboard',
      load,
      cliPath,
      cwd,
      windowMs,
    );
    loads.push({...load, headless, dashboard});
  }

  return {idle, loads};
}

/** The frame and memory run, in a process of its own. */
export async function measureDashboardFrames(
  benchDirectory: string,
  cwd: string,
  quick: boolean,
): Promise<DashboardFramesResult> {
  const environment: NodeJS.ProcessEnv = {...process.env, CI: 'false'};
  delete environment.CONTINUOUS_INTEGRATION;
  const child = spawn(
    process.execPath,
    [
      '--expose-gc',
      '--import',
      'tsx',
      path.join(benchDirectory, 'dashboard-frames.ts'),
      '--frames',
      quick ? '100' : '200',
      // Ten minutes even when quick: the memory settles over the first few.
      '--minutes',
      '10',
    ],
    {cwd, env: environment, stdio: ['ignore', 'pipe', 'pipe']},
  );
  const unregister = registerChild(() => {
    child.kill('SIGKILL');
  });
  let output = '';
  let errors = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk: string) => {
    errors = (errors + chunk).slice(-2000);
  });
  const timer = setTimeout(() => {
    child.kill('SIGKILL');
  }, 240_000);
  const code = await new Promise<number | null>((resolve) => {
    child.on('exit', resolve);
  });
  clearTimeout(timer);
  unregister();
  const line = output.split('\n').find((text) => text.startsWith('{'));
  if (code !== 0 || line === undefined) {
    throw new Error(
      `dashboard frame measurement failed (exit ${code}): ${errors}`,
    );
  }

  // eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- printed by dashboard-frames.ts as this type
  return JSON.parse(line) as DashboardFramesResult;
}

function pass(ok: boolean): string {
  return ok ? 'PASS' : 'MISS';
}

function fixed(value: number | undefined, digits = 1): string {
  return value === undefined || !Number.isFinite(value)
    ? '-'
    : value.toFixed(digits);
}

/** The watching targets, each with PASS or MISS. */
export function formatWatchReport(
  frames: DashboardFramesResult | undefined,
  watching: WatchCostResult | undefined,
): string {
  const rows: string[][] = [['target', 'measured', 'wanted', '']];
  if (frames !== undefined) {
    rows.push(
      [
        `CPU per frame, ${frames.columns}x${frames.rows}, ${frames.clients} rows all changing (median of ${frames.frames})`,
        `${fixed(frames.cpuMedianMs, 2)} ms (Ink's output stage ${fixed(frames.inkOutputMedianMs, 2)} ms; stock Ink ${frames.ink}, Node ${frames.node})`,
        '<= 5 ms',
        pass(frames.cpuMedianMs <= 5),
      ],
      [
        `RSS growth in the hour after the first minute, ${frames.memory.clients} clients, ${frames.memory.frames} frames (${frames.memory.minutes} min at 10/s, fake clock, 5x real speed), extrapolated`,
        `${fixed(frames.memory.growthPerHourBytes / 1e6)} MB (RSS ${fixed(frames.memory.rssAtMinuteBytes / 1e6)} at 1 min, ${fixed(frames.memory.rssHalfwayBytes / 1e6)} halfway, ${fixed(frames.memory.rssAtEndBytes / 1e6)} MB at the end)`,
        '< 20 MB/hour',
        pass(frames.memory.growthPerHourBytes < 20e6),
      ],
    );
  }

  if (watching !== undefined) {
    rows.push([
      'idle dashboard, no client (share of a core)',
      `${fixed(watching.idle.cpuCores * 100)} % (${fixed(watching.idle.framesPerSecond)} frames/s)`,
      '<= 3 %',
      pass(watching.idle.cpuCores <= 0.03),
    ]);
    for (const load of watching.loads) {
      const extra = load.dashboard.cpuCores - load.headless.cpuCores;
      const allowed = load.clients <= 40 ? 0.1 : 0.15;
      const fps = load.dashboard.framesPerSecond ?? Number.NaN;
      rows.push(
        [
          `${load.clients} clients x ${load.ratePerSecond}/s: dashboard CPU over headless`,
          `+${fixed(extra * 100)} points (${fixed(load.dashboard.cpuCores * 100)} % vs ${fixed(load.headless.cpuCores * 100)} %), ${fixed(fps)} frames/s`,
          `<= ${allowed * 100} points, >= 9 frames/s`,
          pass(extra <= allowed && fps >= 9),
        ],
        [
          `${load.clients} clients x ${load.ratePerSecond}/s: round trip p99 with the dashboard`,
          `${fixed(load.dashboard.rttP99Ms, 2)} ms vs ${fixed(load.headless.rttP99Ms, 2)} ms headless`,
          '<= 2 x headless + 2 ms',
          pass(load.dashboard.rttP99Ms <= 2 * load.headless.rttP99Ms + 2),
        ],
      );
    }
  }

  return `Watching: what the dashboard costs (ratios against headless in the same run)\n${formatTable(rows)}\n`;
}
