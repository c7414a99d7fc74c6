/*
`npm run bench`: the echo baseline, the headless server and the server with its dashboard in a
pseudo-terminal, each under the same load from the bundled generator (a process of its own), then
resident memory with 100000 clients and the time of one dashboard frame with 100000 clients.
Prints the tables and the targets, and writes bench/results/latest.json. Linux only (/proc).
Every child is killed on the way out, and a watchdog ends a run that hangs.
*/
import {spawn} from 'node:child_process';
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import {setTimeout as delay} from 'node:timers/promises';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';
import type {EngineBudgetsResult} from './engine-budgets.js';
import type {FrameTimeResult} from './frame-time.js';
import type {DashboardFramesResult} from './dashboard-frames.js';
import {GeneratorClient} from './generator-client.js';
import {measureMemory, type MemoryResult} from './memory.js';
import {clockTicksPerSecond, parseMachineTicks} from './proc-stats.js';
import {formatReport, type BenchResults, type MachineInfo} from './report.js';
import {
  projectPaths,
  runGroup,
  type Plan,
  type ScenarioResult,
  type ScenarioSpec,
} from './scenario.js';
import {killAllChildren, registerChild, setServerNodeFlags} from './servers.js';
import {latencyGroups} from './latency.js';
import {measureStartup, type StartupResult} from './startup.js';
import {
  formatWatchReport,
  measureDashboardFrames,
  measureWatchCost,
  type WatchCostResult,
} from './watch-cost.js';

const help = `
  Usage
    $ npm run bench [-- --quick]

  Measures, under the same load from the bundled generator: a bare node:dgram echo server (the
  baseline), the server headless, and the server with its dashboard in a pseudo-terminal, with 100
  and with 10000 clients, and the echo and headless with 1000; then resident memory with 100000
  clients, the engine's memory per client and its longest task and garbage collection with 100000
  clients, and one dashboard frame with 100000 clients; then what watching costs: CPU per frame at
  160x50 with 45 changing rows and the dashboard's memory over ten minutes of frames (\`frames\`),
  and the dashboard against headless at 40 clients x 200/s and 1000 x 1000/s, and idle
  (\`watching\`). Linux only. Traffic stays on 127.0.0.0/8.

  Options
    --quick        shorter phases (about a minute and a half instead of about four)
    --only TEXT    run only what names hold TEXT (scenarios, \`memory\`, \`engine\`, \`frame\`,
                   \`frames\`, \`watching\`, \`startup\`); \`a|b\` for either
    --inflight N   heartbeats kept outstanding at saturation (default 1024)
    --no-spin      let the generator sleep rather than poll while it waits at saturation
    --cpu-prof DIR profile every server process (and the frame measurement) with
                   node --cpu-prof, into DIR
    --server-node-flags "FLAGS"
                   more flags for node in every server process and in the frame
                   measurement (space-separated)
    --generator-node-flags "FLAGS"
                   the same for the load generator
    --out FILE     where to write the JSON results (default bench/results/latest.json)
    --help
`;

const benchDirectory = path.dirname(fileURLToPath(import.meta.url));
const paths = projectPaths(benchDirectory);

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

const fullPlan: Plan = {
  warmupMs: 2000,
  lowMs: 3000,
  lowRatePerSecond: 200,
  fixedMs: 5000,
  fixedRatePerSecond: 20_000,
  rounds: 12,
  turnMs: 1000,
  // Long enough for a resumed server to catch up: its clients went late while it was paused.
  rampMs: 500,
  inflight: 1024,
  spin: true,
  graceMs: 500,
};

const quickPlan: Plan = {
  ...fullPlan,
  warmupMs: 1000,
  lowMs: 2000,
  fixedMs: 2000,
  rounds: 3,
  turnMs: 600,
  rampMs: 300,
};

/** Servers measured together: the baseline first, each group with its own client count. */
const groups: ScenarioSpec[][] = [
  ...[100, 10_000].map((clients): ScenarioSpec[] => [
    {name: `echo baseline, ${clients}`, kind: 'echo', clients},
    {name: `headless, ${clients}`, kind: 'headless', clients},
    {name: `dashboard, ${clients}`, kind: 'dashboard', clients},
  ]),
  // Throughput with as many client sockets as a mid-sized fleet: headless against the echo.
  [
    {name: 'echo baseline, 1000', kind: 'echo', clients: 1000},
    {name: 'headless, 1000', kind: 'headless', clients: 1000},
  ],
  // Round trips with and without the dashboard, at the rates the targets name.
  ...latencyGroups.map(({clients, ratePerSecond, viewers}): ScenarioSpec[] => [
    {
      name: `latency headless, ${clients}`,
      kind: 'headless',
      clients,
      latencyRatePerSecond: ratePerSecond,
    },
    {
      name: `latency dashboard, ${clients}`,
      kind: 'dashboard',
      clients,
      latencyRatePerSecond: ratePerSecond,
    },
    // Headless with ten viewers attached to its control socket, beside the same headless.
    ...(viewers
      ? [
          {
            name: `latency ten viewers, ${clients}`,
            kind: 'viewers',
            clients,
            latencyRatePerSecond: ratePerSecond,
          } as const,
        ]
      : []),
  ]),
];

function readNumber(file: string): number | undefined {
  try {
    const value = Number(readFileSync(file, 'utf8').trim());
    return Number.isFinite(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function machineBusySeconds(): number {
  return (
    parseMachineTicks(readFileSync('/proc/stat', 'utf8')).busy /
    clockTicksPerSecond()
  );
}

/** Cores the machine spends on anything but this process over one second. */
async function otherLoad(): Promise<number> {
  const before = machineBusySeconds();
  const ownBefore = process.cpuUsage();
  const started = performance.now();
  await delay(1000);
  const own = process.cpuUsage(ownBefore);
  const seconds = (performance.now() - started) / 1000;
  return Math.max(
    0,
    (machineBusySeconds() - before - (own.user + own.system) / 1e6) / seconds,
  );
}

async function machineInfo(): Promise<MachineInfo> {
  const cpuModel =
    /^model name\s*:\s*(.+)$/mv
      .exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]
      ?.trim() ??
    os.cpus()[0]?.model ??
    'unknown';
  return {
    cores: os.availableParallelism(),
    cpuModel,
    node: process.versions.node,
    kernel: os.release(),
    rmemMaxBytes: readNumber('/proc/sys/net/core/rmem_max'),
    otherCoresAtStart: await otherLoad(),
    nodeEnv: process.env.NODE_ENV,
  };
}

/** Runs a measurement script in a process of its own and reads the JSON line it prints. */
async function runMeasurement<T>(
  script: string,
  args: readonly string[],
  nodeFlags: readonly string[],
  timeoutMs: number,
): Promise<T> {
  const environment: NodeJS.ProcessEnv = {...process.env, CI: 'false'};
  delete environment.CONTINUOUS_INTEGRATION;
  const child = spawn(
    process.execPath,
    [
      ...nodeFlags,
      '--expose-gc',
      '--import',
      'tsx',
      path.join(benchDirectory, script),
      ...args,
    ],
    {cwd: paths.repo, env: environment, stdio: ['ignore', 'pipe', 'pipe']},
  );
  let exited = false;
  const unregister = registerChild(() => {
    if (!exited) {
      child.kill('SIGKILL');
    }
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
  }, timeoutMs);
  const code = await new Promise<number | null>((resolve) => {
    child.on('exit', (exitCode) => {
      exited = true;
      unregister();
      resolve(exitCode);
    });
  });
  clearTimeout(timer);
  const line = output.split('\n').find((text) => text.startsWith('{'));
  if (code !== 0 || line === undefined) {
    throw new Error(`${script} failed (exit ${code}): ${errors}`);
  }

  // eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- printed by the script as this type
  return JSON.parse(line) as T;
}

/** The frame measurement, in a process of its own so that nothing else shares its event loop. */
async function measureFrame(
  quick: boolean,
  nodeFlags: readonly string[],
): Promise<FrameTimeResult> {
  return runMeasurement<FrameTimeResult>(
    'frame-time.ts',
    ['--clients', '100000', '--frames', quick ? '9' : '15'],
    nodeFlags,
    120_000,
  );
}

/** The engine's memory and pauses with 100000 clients, in a process of its own. */
async function measureEngineBudgets(
  quick: boolean,
  nodeFlags: readonly string[],
): Promise<EngineBudgetsResult> {
  return runMeasurement<EngineBudgetsResult>(
    'engine-budgets.ts',
    ['--clients', '100000', '--step-ms', quick ? '500' : '1000'],
    nodeFlags,
    120_000,
  );
}

async function main(): Promise<number> {
  const {values} = parseArgs({
    options: {
      quick: {type: 'boolean', default: false},
      out: {type: 'string'},
      only: {type: 'string'},
      inflight: {type: 'string'},
      'no-spin': {type: 'boolean', default: false},
      'cpu-prof': {type: 'string'},
      'server-node-flags': {type: 'string'},
      'generator-node-flags': {type: 'string'},
      help: {type: 'boolean', default: false},
    },
  });
  if (values.help) {
    process.stdout.write(help);
    return 0;
  }

  if (process.platform !== 'linux' || !existsSync('/proc/net/snmp')) {
    log('bench: needs Linux (it reads /proc for CPU, memory and UDP drops)');
    return 1;
  }

  if (!existsSync(paths.cli)) {
    log('bench: dist/cli.js is missing: run `npm run build` first');
    return 1;
  }

  const {quick} = values;
  const profileDirectory = values['cpu-prof'];
  const nodeFlags = (values['server-node-flags'] ?? '')
    .split(' ')
    .filter(Boolean);
  if (profileDirectory !== undefined) {
    mkdirSync(profileDirectory, {recursive: true});
    nodeFlags.push(
      '--cpu-prof',
      '--cpu-prof-dir',
      path.resolve(profileDirectory),
    );
  }

  setServerNodeFlags(nodeFlags);

  const only = values.only?.split('|');
  const wanted = (name: string) =>
    only === undefined || only.some((part) => name.includes(part));
  const inflight = Number(values.inflight ?? 0);
  const plan: Plan = {
    ...(quick ? quickPlan : fullPlan),
    ...(inflight > 0 ? {inflight} : {}),
    ...(values['no-spin'] ? {spin: false} : {}),
  };
  const startedAt = new Date();
  const started = performance.now();
  log('measuring other load on the machine …');
  const machine = await machineInfo();
  const generator = await GeneratorClient.start(
    benchDirectory,
    (values['generator-node-flags'] ?? '').split(' ').filter(Boolean),
  );
  const results: ScenarioResult[] = [];
  const failures: Array<{name: string; message: string}> = [];
  let memory: MemoryResult | undefined;
  let frame: FrameTimeResult | undefined;
  try {
    for (const group of groups) {
      const specs = group.filter((spec) => wanted(spec.name));
      if (specs.length === 0) {
        continue;
      }

      log(
        `${specs[0]!.clients} clients: ${specs.map((spec) => spec.kind).join(', ')}`,
      );
      try {
        results.push(...(await runGroup(specs, plan, generator, paths, log)));
      } catch (error) {
        failures.push({
          name: `${specs[0]!.clients} clients`,
          message: error instanceof Error ? error.message : String(error),
        });
      }
    }

    if (wanted('memory')) {
      log('memory with 100000 clients');
      try {
        memory = await measureMemory(
          generator,
          paths,
          {clients: 100_000, settleMs: quick ? 2000 : 4000},
          log,
        );
      } catch (error) {
        failures.push({
          name: 'memory',
          message: error instanceof Error ? error.message : String(error),
        });
      }
    }
  } finally {
    await generator.stop();
  }

  let startup: StartupResult | undefined;
  if (wanted('startup')) {
    log("start-up: headless bind and the client's first heartbeat");
    try {
      startup = await measureStartup(paths.cli);
    } catch (error) {
      failures.push({
        name: 'startup',
        message: error instanceof Error ? error.message : String(error),
      });
    }
  }

  let engine: EngineBudgetsResult | undefined;
  if (wanted('engine')) {
    log("the engine's memory and pauses with 100000 clients");
    try {
      engine = await measureEngineBudgets(quick, nodeFlags);
    } catch (error) {
      failures.push({
        name: 'engine',
        message: error instanceof Error ? error.message : String(error),
      });
    }
  }

  let dashboardFrames: DashboardFramesResult | undefined;
  if (wanted('frames')) {
    log(
      'dashboard frames: CPU per frame at 160x50 with 45 changing rows, then memory',
    );
    try {
      dashboardFrames = await measureDashboardFrames(
        benchDirectory,
        paths.repo,
        quick,
      );
    } catch (error) {
      failures.push({
        name: 'dashboard frames',
        message: error instanceof Error ? error.message : String(error),
      });
    }
  }

  let watching: WatchCostResult | undefined;
  if (wanted('watching')) {
    try {
      watching = await measureWatchCost(paths.cli, paths.repo, quick, log);
    } catch (error) {
      failures.push({
        name: 'watching',
        message: error instanceof Error ? error.message : String(error),
      });
    }
  }

  if (wanted('frame')) {
    log('one dashboard frame with 100000 clients');
    try {
      frame = await measureFrame(quick, nodeFlags);
    } catch (error) {
      failures.push({
        name: 'frame',
        message: error instanceof Error ? error.message : String(error),
      });
    }
  }

  const report: BenchResults = {
    machine,
    quick,
    plan,
    startedAt: startedAt.toISOString(),
    seconds: (performance.now() - started) / 1000,
    scenarios: results,
    failures,
    memory,
    frame,
    startup,
    engine,
  };
  process.stdout.write(`\n${formatReport(report)}`);
  if (dashboardFrames !== undefined || watching !== undefined) {
    process.stdout.write(`\n${formatWatchReport(dashboardFrames, watching)}`);
  }

  const out = values.out ?? path.join(benchDirectory, 'results', 'latest.json');
  mkdirSync(path.dirname(out), {recursive: true});
  writeFileSync(
    out,
    `${JSON.stringify({...report, dashboardFrames, watching}, undefined, 2)}\n`,
  );
  log(`results written to ${path.relative(process.cwd(), out)}`);
  return failures.length === 0 ? 0 : 1;
}

// Nothing outlives the run: children die with it, whatever ends it.
process.on('exit', killAllChildren);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    killAllChildren();
    process.exit(130);
  });
}

const watchdog = setTimeout(
  () => {
    log('bench: took too long; stopping');
    killAllChildren();
    process.exit(1);
  },
  (process.argv.includes('--quick') ? 5 : 10) * 60_000,
);
watchdog.unref();

try {
  process.exitCode = await main();
} catch (error) {
  log(`bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  killAllChildren();
}

// Handles of a finished run (the pseudo-terminal's reader) may linger: leave now.
process.exit(process.exitCode);
