/*
The servers of one client count, measured under the same load. All of them run at once, and all
but the one being measured are paused (SIGSTOP), so the idle dashboard draws nothing meanwhile.
Each gets its own warm-up and fixed-rate run in turn; saturation is then taken in short turns,
round after round, because the speed of a shared machine drifts over tens of seconds and ratios
are only fair between figures taken close together.
*/
import path from 'node:path';
import {
  combineSegments,
  turnOrder,
  withOtherLoad,
  type MeasuredPhase,
  type Saturation,
} from './combine.js';
import type {GeneratorClient} from './generator-client.js';
import type {PhaseResult, ProbeTarget} from './generator-protocol.js';
import {
  freePort,
  startDashboardServer,
  startEchoServer,
  startHeadlessServer,
  startViewersServer,
  waitForReply,
  type ServerKind,
  type ServerProcess,
} from './servers.js';

export type Plan = {
  readonly warmupMs: number;
  /** Dashboard only: a low rate first, to count frames against. */
  readonly lowMs: number;
  readonly lowRatePerSecond: number;
  readonly fixedMs: number;
  readonly fixedRatePerSecond: number;
  /** Saturation: this many rounds of one turn per server. */
  readonly rounds: number;
  readonly turnMs: number;
  /** The start of each turn, not counted: the queue fills, a resumed process catches up. */
  readonly rampMs: number;
  readonly inflight: number;
  readonly spin: boolean;
  readonly graceMs: number;
};

export type ScenarioSpec = {
  readonly name: string;
  readonly kind: ServerKind;
  readonly clients: number;
  /**
   * A latency group: only a warm-up and a fixed phase at this rate (no low phase, no saturation),
   * for the round trips with and without the dashboard.
   */
  readonly latencyRatePerSecond?: number;
};

/** Frames the dashboard wrote per second in each part of the run. */
export type FrameRates = {
  readonly low: number;
  readonly fixed: number;
  readonly saturate: number;
};

export type ScenarioResult = ScenarioSpec & {
  readonly low: MeasuredPhase | undefined;
  readonly fixed: MeasuredPhase;
  readonly saturate: Saturation;
  readonly frames: FrameRates | undefined;
};

export type Paths = {
  readonly repo: string;
  readonly cli: string;
};

export function startServer(
  kind: ServerKind,
  port: number,
  paths: Paths,
): ServerProcess {
  switch (kind) {
    case 'echo': {
      return startEchoServer(port, paths.repo);
    }

    case 'headless': {
      return startHeadlessServer(paths.cli, port, paths.repo);
    }

    case 'dashboard': {
      return startDashboardServer(paths.cli, port, paths.repo);
    }

    case 'viewers': {
      return startViewersServer(paths.cli, port, paths.repo);
    }
  }
}

/** Starts a server on a free port and waits until it answers; a dashboard must have drawn a frame too. */
export async function startAndWait(
  kind: ServerKind,
  paths: Paths,
): Promise<ServerProcess> {
  const port = await freePort();
  const server = startServer(kind, port, paths);
  try {
    await waitForReply(port, 20_000, server.isAlive);
    await server.ready?.();
    if (kind === 'dashboard') {
      const deadline = Date.now() + 20_000;
      while (server.frameTimes.length === 0) {
        if (Date.now() > deadline || !server.isAlive()) {
          throw new Error('the dashboard drew no frame');
        }

        await new Promise((resolve) => {
          setTimeout(resolve, 50);
        });
      }
    }
  } catch (error) {
    await server.stop(1000);
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `${kind} server did not start: ${reason}\n${server.tail().slice(-800)}`,
      {cause: error},
    );
  }

  return server;
}

/** Frames per second inside the given windows (wall-clock milliseconds since the epoch). */
export function framesPerSecond(
  times: readonly number[],
  windows: ReadonlyArray<{
    readonly windowStart: number;
    readonly windowEnd: number;
  }>,
): number {
  let frames = 0;
  let seconds = 0;
  for (const {windowStart, windowEnd} of windows) {
    frames += times.filter(
      (time) => time >= windowStart && time < windowEnd,
    ).length;
    seconds += (windowEnd - windowStart) / 1000;
  }

  return seconds > 0 ? frames / seconds : Number.NaN;
}

type Running = {
  readonly spec: ScenarioSpec;
  readonly server: ServerProcess;
  readonly target: ProbeTarget;
};

export async function runGroup(
  specs: readonly ScenarioSpec[],
  plan: Plan,
  generator: GeneratorClient,
  paths: Paths,
  log: (line: string) => void,
): Promise<ScenarioResult[]> {
  const running: Running[] = [];
  try {
    for (const spec of specs) {
      const server = await startAndWait(spec.kind, paths);
      server.pause();
      running.push({
        spec,
        server,
        target: {pid: server.pid, port: server.port},
      });
    }

    await generator.watch(running.map(({server}) => server.pid));
    const {clients} = specs[0]!;
    const opened = await generator.open({
      host: '127.0.0.1',
      port: running[0]!.server.port,
      clients,
    });
    if (opened !== clients) {
      throw new Error(`opened ${opened} of ${clients} client sockets`);
    }

    /** Resumes one server, pauses the others, and points the clients at it. */
    let active: Running | undefined;
    const activate = async (next: Running) => {
      if (active !== next) {
        active?.server.pause();
        next.server.resume();
        active = next;
      }

      await generator.retarget({host: '127.0.0.1', port: next.server.port});
    };

    const {graceMs} = plan;
    const lows = new Map<Running, MeasuredPhase>();
    const fixeds = new Map<Running, MeasuredPhase>();
    for (const entry of running) {
      const {spec, target} = entry;
      await activate(entry);
      const fixedRate = spec.latencyRatePerSecond ?? plan.fixedRatePerSecond;
      if (
        spec.kind === 'dashboard' &&
        spec.latencyRatePerSecond === undefined
      ) {
        log(`  ${spec.name}: frames at ${plan.lowRatePerSecond}/s`);
        lows.set(
          entry,
          withOtherLoad(
            await generator.rate({
              ratePerSecond: plan.lowRatePerSecond,
              durationMs: plan.lowMs,
              graceMs,
              target,
            }),
          ),
        );
      }

      log(`  ${spec.name}: warm-up, then ${fixedRate}/s`);
      await generator.rate({
        ratePerSecond: fixedRate,
        durationMs: plan.warmupMs,
        graceMs,
        target: undefined,
      });
      fixeds.set(
        entry,
        withOtherLoad(
          await generator.rate({
            ratePerSecond: fixedRate,
            durationMs: plan.fixedMs,
            graceMs,
            target,
          }),
        ),
      );
    }

    log(
      `  saturation: ${plan.rounds} rounds of ${plan.turnMs} ms turns, ${plan.inflight} in flight`,
    );
    const turns = new Map<Running, PhaseResult[]>(
      running.map((entry) => [entry, []]),
    );
    const rounds =
      specs[0]!.latencyRatePerSecond === undefined ? plan.rounds : 0;
    for (let round = 0; round < rounds; round++) {
      for (const entry of turnOrder(running, round)) {
        await activate(entry);
        turns.get(entry)!.push(
          await generator.saturate({
            inflight: plan.inflight,
            durationMs: plan.turnMs,
            rampMs: plan.rampMs,
            graceMs,
            target: entry.target,
            spin: plan.spin,
          }),
        );
      }
    }

    return running.map((entry) => {
      const {spec, server} = entry;
      if (!server.isAlive()) {
        throw new Error(
          `${spec.name}: the server exited during the run\n${server.tail().slice(-800)}`,
        );
      }

      const low = lows.get(entry);
      const fixed = fixeds.get(entry)!;
      const segments = turns.get(entry)!.map((turn) => withOtherLoad(turn));
      return {
        ...spec,
        low,
        fixed,
        saturate: combineSegments(segments),
        frames:
          spec.kind === 'dashboard' && spec.latencyRatePerSecond === undefined
            ? {
                low: framesPerSecond(server.frameTimes, low ? [low] : []),
                fixed: framesPerSecond(server.frameTimes, [fixed]),
                saturate: framesPerSecond(server.frameTimes, segments),
              }
            : undefined,
      };
    });
  } finally {
    await generator.close().catch(() => undefined);
    await Promise.all(running.map(async ({server}) => server.stop()));
    // Their ids may be reused once they are gone: the generator must not kill those.
    await generator.watch([]).catch(() => undefined);
  }
}

/** Where the CLI is, from the benchmark's own folder. */
export function projectPaths(benchDirectory: string): Paths {
  const repo = path.dirname(benchDirectory);
  return {repo, cli: path.join(repo, 'dist', 'cli.js')};
}
