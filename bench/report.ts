/*
The report: tables of every figure with its ratio to the baseline of the same client count, the
targets with PASS or MISS, and plain notes on what limited each measurement. Pure
functions of the results, so they are tested without running anything.
*/
import {roundRatios, type MeasuredPhase, type Saturation} from './combine.js';
import type {EngineBudgetsResult} from './engine-budgets.js';
import type {FrameTimeResult} from './frame-time.js';
import {latencyGroups} from './latency.js';
import type {StartupResult} from './startup.js';
import type {MemoryResult} from './memory.js';
import type {Plan, ScenarioResult} from './scenario.js';
import {formatRatio, formatTable, median} from './stats.js';

export type MachineInfo = {
  readonly cores: number;
  readonly cpuModel: string;
  readonly node: string;
  readonly kernel: string;
  /** net.core.rmem_max: the most receive buffer a socket may ask for. */
  readonly rmemMaxBytes: number | undefined;
  /** Cores busy with other work just before the run. */
  readonly otherCoresAtStart: number;
  /** NODE_ENV as the servers and the frame measurement inherit it. */
  readonly nodeEnv: string | undefined;
};

export type BenchResults = {
  readonly machine: MachineInfo;
  readonly quick: boolean;
  readonly plan: Plan;
  readonly startedAt: string;
  readonly seconds: number;
  readonly scenarios: readonly ScenarioResult[];
  readonly failures: ReadonlyArray<{
    readonly name: string;
    readonly message: string;
  }>;
  readonly memory: MemoryResult | undefined;
  readonly frame: FrameTimeResult | undefined;
  readonly startup?: StartupResult | undefined;
  /** The engine's memory per client and its pauses with 100000 clients. */
  readonly engine?: EngineBudgetsResult | undefined;
};

/** Bytes a client with a full window may cost the engine. */
export const clientBudgetBytes = 768;
/** Longest task (garbage collection included) the engine's thread may run. */
export const engineTaskBudgetMs = 5;

/** The engine's budgets: memory per client, its longest task and its longest collection. */
export function engineChecks(
  engine: EngineBudgetsResult | undefined,
): TargetCheck[] {
  if (engine === undefined) {
    return [
      {
        name: 'engine: memory per client with a full window (100000)',
        measured: 'not measured',
        target: `≤ ${clientBudgetBytes} B`,
        pass: undefined,
      },
      {
        name: 'engine: longest task, 100000 clients sorted, filtered, frozen',
        measured: 'not measured',
        target: `≤ ${engineTaskBudgetMs} ms`,
        pass: undefined,
      },
      {
        name: 'engine: longest garbage collection, same run',
        measured: 'not measured',
        target: `≤ ${engineTaskBudgetMs} ms`,
        pass: undefined,
      },
    ];
  }

  return [
    {
      name: `engine: memory per client with a full window (${engine.clients}, heap and buffers)`,
      measured: `${number(engine.heapPerClientBytes)} B (RSS ${number(engine.rssPerClientBytes)} B; typed arrays ${number(engine.typedArrayBytesPerClient)} B)`,
      target: `≤ ${clientBudgetBytes} B`,
      pass: engine.heapPerClientBytes <= clientBudgetBytes,
    },
    {
      name: `engine: longest task, ${engine.clients} clients sorted, filtered, frozen at ${number(engine.ratePerSecond)}/s`,
      measured: `${number(engine.longestTaskMs, 1)} ms (p99 ${number(engine.p99TaskMs, 1)} ms)`,
      target: `≤ ${engineTaskBudgetMs} ms`,
      pass: engine.longestTaskMs <= engineTaskBudgetMs,
    },
    {
      name: 'engine: longest garbage collection, same run',
      measured: `${number(engine.longestGcMs, 1)} ms (${engine.longestGcKind}; ${Object.entries(
        engine.gcCounts,
      )
        .map(([kind, count]) => `${count} ${kind}`)
        .join(', ')})`,
      target: `≤ ${engineTaskBudgetMs} ms`,
      pass: engine.longestGcMs <= engineTaskBudgetMs,
    },
  ];
}

export type TargetCheck = {
  readonly name: string;
  readonly measured: string;
  readonly target: string;
  /** Undefined when the figure could not be measured. */
  readonly pass: boolean | undefined;
};

/** At or above this share of a core, a single-threaded process is the bottleneck. */
const busyCore = 0.9;
/** The machine counts as full when this many of its cores are busy. */
const fullMachineShare = 0.93;
/** Frames per second the dashboard may draw at most (ten a second, as the README says), with room for counting edges. */
const maxFramesPerSecond = 10.5;
const frameRateTolerance = 0.5;

function find(
  scenarios: readonly ScenarioResult[],
  kind: ScenarioResult['kind'],
  clients: number,
): ScenarioResult | undefined {
  return scenarios.find(
    (scenario) => scenario.kind === kind && scenario.clients === clients,
  );
}

function baselineFor(
  scenarios: readonly ScenarioResult[],
  scenario: ScenarioResult,
): ScenarioResult | undefined {
  return find(scenarios, 'echo', scenario.clients);
}

/** How busy the generator was: its CPU when it slept, its share of useful polls when it polled. */
export function generatorLoad(phase: Saturation): number {
  return Number.isFinite(phase.generatorBusyShare)
    ? phase.generatorBusyShare
    : phase.generatorCpuCores;
}

/**
 * What limited a closed-loop run: the server, the generator, the machine, or nothing at full use
 * (round trips between the processes).
 */
export function saturationLimit(phase: Saturation, cores: number): string {
  if (!Number.isFinite(phase.serverCpuCores)) {
    return 'unknown';
  }

  if (phase.serverCpuCores >= busyCore) {
    return 'server';
  }

  if (generatorLoad(phase) >= busyCore) {
    return 'generator';
  }

  if (phase.machineCores >= cores * fullMachineShare) {
    return phase.otherCores >= 0.25 ? 'machine (other load)' : 'machine';
  }

  return 'latency';
}

/** Whether the generator kept up with a fixed offered rate. */
export function generatorKeptUp(phase: MeasuredPhase): boolean {
  return phase.sent >= phase.offered * 0.99;
}

function number(value: number, digits = 0): string {
  return Number.isFinite(value) ? value.toFixed(digits) : '-';
}

function withRatio(
  value: number,
  baseline: number | undefined,
  digits = 0,
): string {
  const text = number(value, digits);
  return baseline === undefined
    ? text
    : `${text} (${formatRatio(value, baseline)})`;
}

const mebibyte = 1024 * 1024;

function replyRatio(phase: MeasuredPhase): number {
  return phase.sent === 0 ? Number.NaN : phase.replied / phase.sent;
}

/** The per-round ratios to the baseline as `min–max`, or `-` for the baseline itself. */
function ratioSpread(
  value: Saturation,
  baseline: Saturation | undefined,
): string {
  if (baseline === undefined || value === baseline) {
    return '-';
  }

  const ratios = roundRatios(value, baseline);
  return ratios.length === 0
    ? '-'
    : `${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}`;
}

export function saturationTable(results: BenchResults): string {
  const rows: string[][] = [
    [
      'saturation (closed loop)',
      'replies/s',
      'per round',
      'server CPU',
      results.plan.spin ? 'gen busy' : 'gen CPU',
      'other CPU',
      'RTT p50 ms',
      'limited by',
    ],
  ];
  for (const scenario of results.scenarios) {
    const baseline = baselineFor(results.scenarios, scenario)?.saturate;
    const phase = scenario.saturate;
    rows.push([
      scenario.name,
      withRatio(phase.repliesPerSecond, baseline?.repliesPerSecond),
      ratioSpread(phase, baseline),
      withRatio(phase.serverCpuCores, baseline?.serverCpuCores, 2),
      number(generatorLoad(phase), 2),
      number(phase.otherCores, 2),
      number(phase.rttP50, 2),
      saturationLimit(phase, results.machine.cores),
    ]);
  }

  return formatTable(rows);
}

export function fixedRateTable(results: BenchResults): string {
  const rate = results.plan.fixedRatePerSecond;
  const rows: string[][] = [
    [
      `at ${rate}/s offered`,
      'sent',
      'reply ratio',
      'RTT p50 ms',
      'RTT p99 ms',
      'server CPU',
      'RSS MiB',
      'sock drops',
      'RcvbufErr',
      'gen CPU',
      'other CPU',
    ],
  ];
  for (const scenario of results.scenarios) {
    const baseline = baselineFor(results.scenarios, scenario)?.fixed;
    const phase = scenario.fixed;
    const {server} = phase;
    rows.push([
      scenario.name,
      `${phase.sent}/${phase.offered}`,
      withRatio(
        replyRatio(phase),
        baseline === undefined ? undefined : replyRatio(baseline),
        4,
      ),
      withRatio(phase.rtt.p50, baseline?.rtt.p50, 2),
      withRatio(phase.rtt.p99, baseline?.rtt.p99, 2),
      withRatio(server?.cpuCores ?? Number.NaN, baseline?.server?.cpuCores, 2),
      withRatio(
        (server?.rssBytes ?? Number.NaN) / mebibyte,
        baseline?.server === undefined
          ? undefined
          : baseline.server.rssBytes / mebibyte,
        1,
      ),
      number(server?.socketDrops ?? Number.NaN),
      number(server?.rcvbufErrors ?? Number.NaN),
      number(phase.generatorCpuCores, 2),
      number(phase.otherCores, 2),
    ]);
  }

  return formatTable(rows);
}

export function frameRateTable(results: BenchResults): string | undefined {
  const dashboards = results.scenarios.filter(
    (scenario) => scenario.frames !== undefined,
  );
  if (dashboards.length === 0) {
    return undefined;
  }

  const rows: string[][] = [
    [
      'dashboard frames/s',
      `at ${results.plan.lowRatePerSecond}/s`,
      `at ${results.plan.fixedRatePerSecond}/s`,
      'at saturation',
    ],
  ];
  for (const scenario of dashboards) {
    const frames = scenario.frames!;
    rows.push([
      scenario.name,
      number(frames.low, 1),
      number(frames.fixed, 1),
      number(frames.saturate, 1),
    ]);
  }

  return formatTable(rows);
}

/** True when the frame rate did not rise with the packet rate, and stayed within ten a second. */
export function frameRateHolds(frames: {
  readonly low: number;
  readonly fixed: number;
  readonly saturate: number;
}): boolean {
  const all = [frames.low, frames.fixed, frames.saturate];
  return (
    all.every((rate) => Number.isFinite(rate) && rate <= maxFramesPerSecond) &&
    frames.fixed <= frames.low + frameRateTolerance &&
    frames.saturate <= frames.low + frameRateTolerance
  );
}

/**
 * The ratio of replies per second to the baseline's: the median of the rounds' ratios, each taken
 * with the baseline of the same round. A hiccup of the machine in one turn (a figure halved for a
 * second, on any server) then moves the result by at most one rank, where it would move a ratio
 * of totals by its whole size.
 */
function ratioCheck(
  name: string,
  value: ScenarioResult | undefined,
  baseline: ScenarioResult | undefined,
  minimum: number,
): TargetCheck {
  if (value === undefined || baseline === undefined) {
    return {
      name,
      measured: 'not measured',
      target: `≥ ${minimum}`,
      pass: undefined,
    };
  }

  const total =
    value.saturate.repliesPerSecond / baseline.saturate.repliesPerSecond;
  const rounds = roundRatios(value.saturate, baseline.saturate);
  const ratio = median(rounds);
  return {
    name,
    measured: `${number(ratio, 2)}, median of ${rounds.length} rounds (all rounds: ${number(value.saturate.repliesPerSecond)} / ${number(baseline.saturate.repliesPerSecond)} = ${number(total, 2)})`,
    target: `≥ ${minimum.toFixed(2)}`,
    pass: ratio >= minimum,
  };
}

/** Round trips with the dashboard against headless, and both reply ratios, at one latency load. */
function latencyChecks(
  scenarios: readonly ScenarioResult[],
  clients: number,
  ratePerSecond: number,
): TargetCheck[] {
  const name = `${clients} clients at ${ratePerSecond}/s`;
  const headless = find(scenarios, 'headless', clients);
  const dashboard = find(scenarios, 'dashboard', clients);
  if (headless === undefined || dashboard === undefined) {
    return [
      {
        name: `${name}: round trip p99, dashboard vs headless`,
        measured: 'not measured',
        target: '≤ 2 × headless + 2 ms',
        pass: undefined,
      },
      {
        name: `${name}: reply ratio, both`,
        measured: 'not measured',
        target: '≥ 0.999',
        pass: undefined,
      },
    ];
  }

  const withDashboard = dashboard.fixed.rtt.p99;
  const without = headless.fixed.rtt.p99;
  const ratios = [replyRatio(headless.fixed), replyRatio(dashboard.fixed)];
  return [
    {
      name: `${name}: round trip p99, dashboard vs headless`,
      measured: `${number(withDashboard, 2)} ms vs ${number(without, 2)} ms`,
      target: '≤ 2 × headless + 2 ms',
      pass: withDashboard <= 2 * without + 2,
    },
    {
      name: `${name}: reply ratio, headless and dashboard`,
      measured: ratios.map((ratio) => number(ratio, 4)).join(' and '),
      target: '≥ 0.999',
      pass: ratios.every((ratio) => ratio >= 0.999),
    },
  ];
}

/** Round trips with ten viewers attached over the control socket against headless alone. */
function viewersCheck(
  scenarios: readonly ScenarioResult[],
  clients: number,
  ratePerSecond: number,
): TargetCheck {
  const name = `${clients} clients at ${ratePerSecond}/s: round trip p99, ten viewers vs headless`;
  const headless = find(scenarios, 'headless', clients);
  const viewers = find(scenarios, 'viewers', clients);
  if (headless === undefined || viewers === undefined) {
    return {
      name,
      measured: 'not measured',
      target: '≤ 2 × headless + 2 ms',
      pass: undefined,
    };
  }

  const withViewers = viewers.fixed.rtt.p99;
  const without = headless.fixed.rtt.p99;
  return {
    name,
    measured: `${number(withViewers, 2)} ms vs ${number(without, 2)} ms (replies ${number(replyRatio(viewers.fixed), 4)})`,
    target: '≤ 2 × headless + 2 ms',
    pass: withViewers <= 2 * without + 2,
  };
}

function measuredCheck(
  name: string,
  value: number | undefined,
  unit: string,
  limit: number,
): TargetCheck {
  return value === undefined || !Number.isFinite(value)
    ? {
        name,
        measured: 'not measured',
        target: `≤ ${limit} ${unit}`,
        pass: undefined,
      }
    : {
        name,
        measured: `${number(value, 1)} ${unit}`,
        target: `≤ ${limit} ${unit}`,
        pass: value <= limit,
      };
}

/** Most that start-up may take beyond `node -e 0` launched in the same run. */
const startupAllowanceMs = 150;

function startupCheck(
  name: string,
  value: number | undefined,
  baseline: number | undefined,
): TargetCheck {
  const target = `≤ node -e 0 + ${startupAllowanceMs} ms`;
  if (
    value === undefined ||
    baseline === undefined ||
    !Number.isFinite(value) ||
    !Number.isFinite(baseline)
  ) {
    return {name, measured: 'not measured', target, pass: undefined};
  }

  const beyond = value - baseline;
  return {
    name,
    measured: `${number(value, 1)} ms, node -e 0 ${number(baseline, 1)} ms: +${number(beyond, 1)} ms`,
    target,
    pass: beyond <= startupAllowanceMs,
  };
}

export function checkTargets(results: BenchResults): TargetCheck[] {
  const {scenarios, memory, frame, startup} = results;
  const checks: TargetCheck[] = [
    ...latencyGroups.flatMap(({clients, ratePerSecond, viewers}) => [
      ...latencyChecks(scenarios, clients, ratePerSecond),
      ...(viewers ? [viewersCheck(scenarios, clients, ratePerSecond)] : []),
    ]),
    ratioCheck(
      'headless, 100 clients: replies/s vs baseline',
      find(scenarios, 'headless', 100),
      find(scenarios, 'echo', 100),
      0.8,
    ),
    ratioCheck(
      'headless, 1000 clients: replies/s vs baseline',
      find(scenarios, 'headless', 1000),
      find(scenarios, 'echo', 1000),
      0.8,
    ),
    ratioCheck(
      'dashboard, 10000 clients: replies/s vs headless',
      find(scenarios, 'dashboard', 10_000),
      find(scenarios, 'headless', 10_000),
      0.9,
    ),
    measuredCheck(
      `engine's longest task, ${frame?.clients ?? 100_000} clients sorted by delay`,
      frame?.engineLongestTaskMs,
      'ms',
      5,
    ),
    startupCheck(
      'headless: bound after launch (median)',
      startup?.headlessBindMs,
      startup?.nodeBaselineMs,
    ),
    startupCheck(
      'client: first heartbeat after launch (median)',
      startup?.clientFirstHeartbeatMs,
      startup?.nodeBaselineMs,
    ),
  ];

  const dashboard = find(scenarios, 'dashboard', 10_000);
  const baseline = find(scenarios, 'echo', 10_000);
  const rate = results.plan.fixedRatePerSecond;
  if (dashboard === undefined) {
    checks.push(
      {
        name: `dashboard, 10000 clients: reply ratio at ${rate}/s`,
        measured: 'not measured',
        target: '≥ 0.999',
        pass: undefined,
      },
      {
        name: `dashboard, 10000 clients: receive-buffer drops at ${rate}/s`,
        measured: 'not measured',
        target: '≤ baseline',
        pass: undefined,
      },
    );
  } else {
    const ratio = replyRatio(dashboard.fixed);
    checks.push({
      name: `dashboard, 10000 clients: reply ratio at ${rate}/s`,
      measured: number(ratio, 4),
      target: '≥ 0.999',
      pass: ratio >= 0.999,
    });
    const drops = dashboard.fixed.server?.socketDrops ?? Number.NaN;
    const baselineDrops = baseline?.fixed.server?.socketDrops ?? Number.NaN;
    checks.push({
      name: `dashboard, 10000 clients: receive-buffer drops at ${rate}/s`,
      measured: `${number(drops)} (baseline ${number(baselineDrops)})`,
      target: '≤ baseline',
      pass:
        Number.isFinite(drops) && Number.isFinite(baselineDrops)
          ? drops <= baselineDrops
          : undefined,
    });
  }

  checks.push(
    memory === undefined
      ? {
          name: 'memory per tracked client (100000)',
          measured: 'not measured',
          target: '≤ 1024 B',
          pass: undefined,
        }
      : {
          name: `memory per tracked client (${memory.clients}, RSS, one heartbeat each)`,
          measured: `${number(memory.perClientBytes)} B`,
          target: '≤ 1024 B',
          pass: memory.perClientBytes <= 1024,
        },
    // A client that has sent a few heartbeats holds its full window of intervals: the same target.
    frame === undefined || !Number.isFinite(frame.heapPerClientBytes)
      ? {
          name: 'memory per client with a full interval window (store)',
          measured: 'not measured',
          target: '≤ 1024 B',
          pass: undefined,
        }
      : {
          name: `memory per client with a full interval window (store, ${frame.clients})`,
          measured: `${number(frame.heapPerClientBytes)} B`,
          target: '≤ 1024 B',
          pass: frame.heapPerClientBytes <= 1024,
        },
    frame === undefined
      ? {
          name: 'one dashboard frame at 160x50, 100000 clients (median)',
          measured: 'not measured',
          target: '≤ 10 ms',
          pass: undefined,
        }
      : {
          name: `one dashboard frame at ${frame.columns}x${frame.rows}, ${frame.clients} clients (median)`,
          measured: `${number(frame.medianMs, 1)} ms (p90 ${number(frame.p90Ms, 1)} ms, CPU ${number(frame.cpuMedianMs, 1)} ms), ${number(frame.framesPerSecond, 1)} frames/s`,
          target: '≤ 10 ms',
          pass: frame.medianMs <= 10,
        },
  );

  const dashboards = scenarios.filter((scenario) => scenario.frames);
  checks.push(
    dashboards.length === 0
      ? {
          name: 'frame rate: 10 a second, never rising with the packet rate',
          measured: 'not measured',
          target: '≥ 9/s at low load, ≤ 10/s',
          pass: undefined,
        }
      : {
          name: 'frame rate: 10 a second, never rising with the packet rate',
          measured: dashboards
            .map((scenario) => {
              const frames = scenario.frames!;
              return `${scenario.clients}: ${number(frames.low, 1)} → ${number(frames.fixed, 1)} → ${number(frames.saturate, 1)}/s`;
            })
            .join('; '),
          target: '≥ 9/s at low load, ≤ 10/s',
          pass: dashboards.every(
            (scenario) =>
              frameRateHolds(scenario.frames!) && scenario.frames!.low >= 9,
          ),
        },
    ...engineChecks(results.engine),
  );
  return checks;
}

export function targetsTable(checks: readonly TargetCheck[]): string {
  return formatTable([
    ['target', 'measured', 'wanted', ''],
    ...checks.map((check) => [
      check.name,
      check.measured,
      check.target,
      check.pass === undefined ? 'n/a' : check.pass ? 'PASS' : 'MISS',
    ]),
  ]);
}

/** Plain sentences on what limited the measurements, so no figure is read for more than it is. */
export function limitNotes(results: BenchResults): string[] {
  const notes: string[] = [];
  const {cores} = results.machine;
  if (results.machine.otherCoresAtStart >= 0.25) {
    notes.push(
      `Other work kept ${results.machine.otherCoresAtStart.toFixed(2)} of ${cores} cores busy before the run: figures are lower and noisier than on a quiet machine.`,
    );
  }

  for (const scenario of results.scenarios) {
    const {saturate} = scenario;
    const limit = saturationLimit(saturate, cores);
    if (limit === 'generator') {
      notes.push(
        `${scenario.name}: the load generator was the bottleneck at saturation (busy ${number(generatorLoad(saturate), 2)} of its core, the server ${number(saturate.serverCpuCores, 2)}): the server's ceiling is higher than shown${scenario.kind === 'echo' ? ', so ratios against this baseline flatter the others' : ''}.`,
      );
    } else if (limit.startsWith('machine')) {
      notes.push(
        `${scenario.name}: the machine was full at saturation (server ${number(saturate.serverCpuCores, 2)}, generator ${number(saturate.generatorCpuCores, 2)}, other ${number(saturate.otherCores, 2)} cores): neither process had a core to itself.`,
      );
    } else if (limit === 'latency') {
      notes.push(
        `${scenario.name}: neither the server nor the generator used a full core at saturation: round trips (wake-ups between processes) limited the closed loop.`,
      );
    }

    const {frames} = scenario;
    if (frames !== undefined && frames.low < 9) {
      notes.push(
        `${scenario.name}: the dashboard drew ${number(frames.low, 1)} frames/s at ${results.plan.lowRatePerSecond} heartbeats/s, where it may draw 10: it shows fewer frames than it may, which also lowers what the figures above charge it for drawing.`,
      );
    }

    if (scenario.fixed.otherCores >= 0.25) {
      notes.push(
        `${scenario.name}: other work used ${number(scenario.fixed.otherCores, 2)} cores during the ${results.plan.fixedRatePerSecond}/s run: its latencies and drops are not the server's alone.`,
      );
    }

    if (!generatorKeptUp(scenario.fixed)) {
      notes.push(
        `${scenario.name}: the generator sent ${scenario.fixed.sent} of ${scenario.fixed.offered} offered heartbeats (its timer ran up to ${number(scenario.fixed.generatorMaxLagMs)} ms late).`,
      );
    }
  }

  return notes;
}

export function formatReport(results: BenchResults): string {
  const {machine} = results;
  const {plan} = results;
  const sections = [
    `udp-heartbeat benchmark${results.quick ? ' (quick)' : ''}: ${machine.cores} cores, ${machine.cpuModel}, Node ${machine.node}, Linux ${machine.kernel}, rmem_max ${machine.rmemMaxBytes ?? '?'} B, NODE_ENV inherited ${machine.nodeEnv ?? 'unset'}`,
    `Saturation: ${plan.inflight} heartbeats in flight, ${plan.rounds} rounds of ${plan.turnMs} ms per server taken in turns (the others paused)${plan.spin ? '; the generator polls, so its CPU is always a core and "gen busy" is the share it spent on replies' : ''}; ratios are to the echo baseline with as many clients.`,
    saturationTable(results),
    fixedRateTable(results),
  ];
  const frames = frameRateTable(results);
  if (frames !== undefined) {
    sections.push(frames);
  }

  const {memory, frame} = results;
  if (memory !== undefined) {
    sections.push(
      `memory: ${memory.clients} tracked clients (one heartbeat each, from ${memory.sourceAddresses.length} loopback addresses; ${memory.spray.unanswered} unanswered, ${memory.spray.bindFailures} sources busy): idle ${number(memory.idleRssBytes / mebibyte, 1)} MiB, after ${number(memory.rssAfterBytes / mebibyte, 1)} MiB, settled ${number(memory.rssSettledBytes / mebibyte, 1)} MiB → ${number(memory.perClientBytes)} B per client`,
    );
  }

  if (frame !== undefined) {
    sections.push(
      `frame: ${frame.clients} clients in a real store, ${frame.columns}×${frame.rows} terminal, ${frame.frameMs.length} frames: median ${number(frame.medianMs, 1)} ms, p90 ${number(frame.p90Ms, 1)} ms, max ${number(frame.maxMs, 1)} ms (event loop busy, median ${number(frame.busyMedianMs, 1)} ms); the store holds ${number(frame.heapPerClientBytes)} B per client there (heap and buffers, 11 heartbeats each: a full interval window)`,
    );
  }

  const {engine} = results;
  if (engine !== undefined) {
    sections.push(
      `engine: ${engine.clients} clients of eleven heartbeats each (a full window), filled in ${number(engine.fillSeconds, 1)} s: ${number(engine.heapPerClientBytes)} B of heap and buffers per client after a full GC, ${number(engine.rssPerClientBytes)} B of RSS, ${number(engine.typedArrayBytesPerClient)} B of it in typed arrays. Then ${number(engine.heartbeatsFed)} heartbeats at ${number(engine.ratePerSecond)}/s while the view went through ${engine.steps.length} steps; longest task per step: ${engine.steps
        .map(
          (step) =>
            `${step} ${number(engine.longestTaskByStepMs[step] ?? Number.NaN, 1)} ms (GC ${number(engine.longestGcByStepMs[step] ?? 0, 1)} ms)`,
        )
        .join('; ')}`,
    );
  }

  sections.push(targetsTable(checkTargets(results)));
  const notes = limitNotes(results);
  for (const failure of results.failures) {
    notes.push(`${failure.name} failed: ${failure.message}`);
  }

  if (notes.length > 0) {
    sections.push(notes.map((note) => `- ${note}`).join('\n'));
  }

  return `${sections.join('\n\n')}\n`;
}
