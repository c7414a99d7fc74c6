import test from 'node:test';
import assert from 'node:assert/strict';
import {combineSegments} from '../../bench/combine.js';
import type {EngineBudgetsResult} from '../../bench/engine-budgets.js';
import type {FrameTimeResult} from '../../bench/frame-time.js';
import type {MemoryResult} from '../../bench/memory.js';
import {
  checkTargets,
  formatReport,
  frameRateHolds,
  generatorKeptUp,
  limitNotes,
  saturationLimit,
  type BenchResults,
} from '../../bench/report.js';
import type {Plan, ScenarioResult} from '../../bench/scenario.js';
import {phase} from './phases.js';

const plan: Plan = {
  warmupMs: 1000,
  lowMs: 1000,
  lowRatePerSecond: 200,
  fixedMs: 1000,
  fixedRatePerSecond: 20_000,
  rounds: 2,
  turnMs: 1000,
  rampMs: 100,
  inflight: 1024,
  spin: true,
  graceMs: 100,
};

function scenario(
  kind: ScenarioResult['kind'],
  clients: number,
  repliesPerSecond: readonly number[],
  extra: Partial<ScenarioResult> = {},
): ScenarioResult {
  return {
    name: `${kind}, ${clients}`,
    kind,
    clients,
    low: undefined,
    fixed: phase(),
    saturate: combineSegments(
      repliesPerSecond.map((rate) =>
        phase({repliesPerSecond: rate, replied: rate, generatorBusyShare: 0.5}),
      ),
    ),
    frames:
      kind === 'dashboard' ? {low: 10, fixed: 10, saturate: 9.5} : undefined,
    ...extra,
  };
}

const memory: MemoryResult = {
  clients: 100_000,
  idleRssBytes: 100e6,
  rssAfterBytes: 180e6,
  rssSettledBytes: 181e6,
  perClientBytes: 810,
  spray: {answered: 100_000, unanswered: 0, bindFailures: 0, seconds: 5},
  sourceAddresses: ['127.0.0.2'],
};

const frame: FrameTimeResult = {
  clients: 100_000,
  columns: 140,
  rows: 40,
  frameMs: [6, 8, 9],
  busyMs: [7, 9, 10],
  medianMs: 8,
  p90Ms: 9,
  maxMs: 9,
  busyMedianMs: 26,
  heapPerClientBytes: 650,
  engineLongestTaskMs: 3,
  framesPerSecond: 10,
  cpuMedianMs: 6,
  fillSeconds: 0.5,
};

const engine: EngineBudgetsResult = {
  clients: 100_000,
  heapPerClientBytes: 700,
  rssPerClientBytes: 900,
  typedArrayBytesPerClient: 600,
  fillSeconds: 3,
  ratePerSecond: 20_000,
  steps: ['sort by delay', 'freeze'],
  longestTaskMs: 4,
  p99TaskMs: 2,
  longestTaskByStepMs: {'sort by delay': 3, freeze: 4},
  longestGcByStepMs: {freeze: 2},
  longestGcMs: 2,
  longestGcKind: 'scavenge',
  gcCounts: {scavenge: 5},
  heartbeatsFed: 200_000,
};

function results(scenarios: ScenarioResult[]): BenchResults {
  return {
    machine: {
      cores: 2,
      cpuModel: 'test CPU',
      node: '20.0.0',
      kernel: '6.0',
      rmemMaxBytes: 4_194_304,
      otherCoresAtStart: 0,
      nodeEnv: undefined,
    },
    quick: true,
    plan,
    startedAt: '2026-01-01T00:00:00.000Z',
    seconds: 60,
    scenarios,
    failures: [],
    memory,
    frame,
  };
}

function verdicts(bench: BenchResults): Record<string, boolean | undefined> {
  return Object.fromEntries(
    checkTargets(bench).map((check) => [check.name, check.pass]),
  );
}

/** Every scenario the targets read, with figures within them unless `extra` says otherwise. */
function fullRun(
  extra: Partial<Record<string, Partial<ScenarioResult>>> = {},
): ScenarioResult[] {
  const make = (
    kind: ScenarioResult['kind'],
    clients: number,
    rates: number[],
  ) => scenario(kind, clients, rates, extra[`${kind}, ${clients}`]);
  return [
    make('headless', 50, [90]),
    make('dashboard', 50, [90]),
    make('headless', 1000, [90]),
    make('dashboard', 1000, [90]),
    make('viewers', 1000, [90]),
    make('echo', 1000, [100]),
    make('echo', 100, [100, 100]),
    make('headless', 100, [85, 80]),
    make('echo', 10_000, [100, 100]),
    make('headless', 10_000, [80, 80]),
    make('dashboard', 10_000, [75, 76]),
  ];
}

const startup = {
  headlessBindMs: 150,
  clientFirstHeartbeatMs: 160,
  nodeBaselineMs: 40,
  launches: 5,
};

test('every target passes when every figure is within it', () => {
  const bench = {...results(fullRun()), startup, engine};
  const checks = checkTargets(bench);
  assert.equal(checks.length, 20);
  assert.deepEqual(
    checks.filter((check) => check.pass !== true).map((check) => check.name),
    [],
  );
  const report = formatReport(bench);
  assert.equal(report.match(/ PASS$/gmv)?.length, 20);
  assert.match(report, /engine: 100000 clients of eleven heartbeats/v);
  assert.doesNotMatch(report, /MISS/v);
});

test('targets miss by the figures that fall short, and say n/a for what was not measured', () => {
  const slowFrame = {
    ...frame,
    medianMs: 11,
    heapPerClientBytes: 1100,
    engineLongestTaskMs: 6,
  };
  const heavy = {...memory, perClientBytes: 1025};
  const bench: BenchResults = {
    ...results(
      fullRun({
        'dashboard, 50': {
          fixed: phase({rtt: {count: 100, p50: 1, p99: 7, max: 9}}),
        },
        'headless, 1000': {fixed: phase({sent: 20_000, replied: 19_000})},
        'viewers, 1000': {
          fixed: phase({rtt: {count: 100, p50: 1, p99: 50, max: 60}}),
        },
        'headless, 100': {
          saturate: combineSegments([
            phase({repliesPerSecond: 79, replied: 79, generatorBusyShare: 0.5}),
          ]),
        },
        'dashboard, 10000': {
          fixed: phase({sent: 20_000, replied: 19_979, socketDrops: 1}),
          frames: {low: 5, fixed: 6, saturate: 5},
          saturate: combineSegments([
            phase({repliesPerSecond: 71, replied: 71, generatorBusyShare: 0.5}),
          ]),
        },
      }),
    ),
    memory: heavy,
    frame: slowFrame,
    startup: {...startup, headlessBindMs: 400},
    engine: {
      ...engine,
      heapPerClientBytes: 769,
      longestTaskMs: 5.5,
      longestGcMs: 7,
    },
  };
  const verdict = verdicts(bench);
  const missed = Object.entries(verdict)
    .filter(([, pass]) => pass === false)
    .map(([name]) => name);
  for (const expected of [
    /^50 clients at 100\/s: round trip p99/v,
    /^1000 clients at 2000\/s: reply ratio/v,
    /^1000 clients at 2000\/s: round trip p99, ten viewers vs headless/v,
    /^headless, 100 clients: replies\/s vs baseline/v,
    /^dashboard, 10000 clients: replies\/s vs headless/v,
    /^dashboard, 10000 clients: reply ratio/v,
    /^dashboard, 10000 clients: receive-buffer drops/v,
    /^engine's longest task/v,
    /^headless: bound after launch/v,
    /^memory per tracked client/v,
    /^memory per client with a full interval window/v,
    /^one dashboard frame/v,
    /^frame rate/v,
    /^engine: memory per client with a full window/v,
    /^engine: longest task/v,
    /^engine: longest garbage collection/v,
  ]) {
    assert.ok(
      missed.some((name) => expected.test(name)),
      `${String(expected)} missed, in ${missed.join('; ')}`,
    );
  }

  assert.equal(verdict['client: first heartbeat after launch (median)'], true);
  const missing = verdicts(results([]));
  assert.ok(
    Object.entries(missing)
      // Memory and the frame come from their own fixtures here.
      .filter(
        ([name]) =>
          !name.startsWith('memory') &&
          !name.startsWith('one') &&
          !name.startsWith('engine'),
      )
      .every(([, pass]) => pass === undefined),
  );
  assert.match(formatReport(results([])), / n\/a$/mv);
});

test('a ratio target takes the median of the rounds, so one bad round does not decide it', () => {
  const bench = results([
    scenario('echo', 100, [100, 100, 100]),
    scenario('headless', 100, [80, 80, 10]),
  ]);
  const headless = checkTargets(bench).find((check) =>
    check.name.startsWith('headless, 100 clients'),
  );
  assert.equal(headless!.pass, true);
  assert.match(headless!.measured, /^0\.80, median of 3 rounds/v);
  assert.match(headless!.measured, /= 0\.57\)$/v);
});

test('the frame rate may not rise with the packet rate, nor pass 10 a second', () => {
  assert.equal(frameRateHolds({low: 10, fixed: 10, saturate: 10}), true);
  assert.equal(frameRateHolds({low: 10, fixed: 9, saturate: 4}), true);
  assert.equal(frameRateHolds({low: 10, fixed: 10.4, saturate: 10}), true);
  assert.equal(frameRateHolds({low: 5, fixed: 7, saturate: 5}), false);
  assert.equal(frameRateHolds({low: 12, fixed: 12, saturate: 12}), false);
  assert.equal(frameRateHolds({low: Number.NaN, fixed: 5, saturate: 5}), false);
});

test('saturation is put down to whatever used its core', () => {
  const segment = (serverCpu: number, busy: number, machineCores = 1.5) =>
    combineSegments([
      phase({serverCpu, generatorBusyShare: busy, machineCores}),
    ]);
  assert.equal(saturationLimit(segment(0.95, 0.95), 2), 'server');
  assert.equal(saturationLimit(segment(0.7, 0.97), 2), 'generator');
  assert.equal(saturationLimit(segment(0.7, 0.5), 2), 'latency');
  assert.equal(
    saturationLimit(segment(0.7, 0.5, 1.95), 2),
    'machine (other load)',
  );
  // A sleeping generator is judged by its CPU.
  assert.equal(
    saturationLimit(
      combineSegments([
        phase({serverCpu: 0.7, generatorCpuCores: 0.95, machineCores: 1.7}),
      ]),
      2,
    ),
    'generator',
  );
});

test('the notes say when the generator limited the baseline, or fell behind a rate', () => {
  const baseline = scenario('echo', 10_000, [100], {
    saturate: combineSegments([
      phase({serverCpu: 0.8, generatorBusyShare: 0.99, machineCores: 1.8}),
    ]),
    fixed: phase({offered: 20_000, sent: 19_000, generatorMaxLagMs: 150}),
  });
  assert.equal(generatorKeptUp(baseline.fixed), false);
  const notes = limitNotes(results([baseline]));
  assert.equal(notes.length, 2);
  assert.match(notes[0]!, /load generator was the bottleneck/v);
  assert.match(notes[0]!, /flatter the others/v);
  assert.match(notes[1]!, /sent 19000 of 20000/v);
});

test('the notes say when other work disturbed a fixed-rate run', () => {
  const disturbed = scenario('headless', 100, [50], {
    fixed: phase({serverCpu: 0.5, generatorCpuCores: 0.4, machineCores: 1.5}),
  });
  const notes = limitNotes(results([disturbed]));
  assert.equal(notes.length, 1);
  assert.match(
    notes[0]!,
    /other work used 0\.60 cores during the 20000\/s run/v,
  );
});

test('the notes say when the dashboard draws fewer frames than it may', () => {
  const slow = scenario('dashboard', 100, [50], {
    frames: {low: 5, fixed: 5, saturate: 5},
  });
  const notes = limitNotes(results([slow]));
  assert.equal(notes.length, 1);
  assert.match(notes[0]!, /drew 5\.0 frames\/s at 200 heartbeats\/s/v);
  assert.deepEqual(limitNotes(results([scenario('dashboard', 100, [50])])), []);
});
