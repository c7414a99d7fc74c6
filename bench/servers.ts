/*
The servers under test, each its own process, and the bookkeeping that makes sure none outlives
the benchmark: every child is registered when spawned and killed on the way out, whatever the way.
*/
import {spawn, type ChildProcess} from 'node:child_process';
import dgram from 'node:dgram';
import {once} from 'node:events';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {setTimeout as delay} from 'node:timers/promises';
import pty from 'node-pty';
import {echoServerArguments} from './echo-server.js';

/** Kills every child still running; for the exit paths, so it is synchronous and never throws. */
const killers = new Set<() => void>();

export function killAllChildren(): void {
  for (const kill of killers) {
    try {
      kill();
    } catch {
      // Gone already.
    }
  }

  killers.clear();
}

export function registerChild(kill: () => void): () => void {
  killers.add(kill);
  return () => {
    killers.delete(kill);
  };
}

/** A UDP port that was free a moment ago. */
export async function freePort(): Promise<number> {
  const socket = dgram.createSocket('udp4');
  socket.bind(0, '0.0.0.0');
  await once(socket, 'listening');
  const {port} = socket.address();
  await new Promise<void>((resolve) => {
    socket.close(() => {
      resolve();
    });
  });
  return port;
}

/**
 * Resolves once something on `port` answers a heartbeat, or rejects after `timeoutMs`. The probe
 * is one more client to the server under test, which the figures can bear.
 */
export async function waitForReply(
  port: number,
  timeoutMs: number,
  isAlive: () => boolean,
): Promise<void> {
  const socket = dgram.createSocket('udp4');
  socket.on('error', () => {
    // A probe that finds nothing listening yet gets ICMP errors on some systems: keep probing.
  });
  const probe = {answered: false};
  socket.on('message', () => {
    probe.answered = true;
  });
  socket.connect(port, '127.0.0.1');
  await once(socket, 'connect');
  const deadline = Date.now() + timeoutMs;
  try {
    while (!probe.answered) {
      if (!isAlive()) {
        throw new Error(`the server on port ${port} exited before answering`);
      }

      if (Date.now() > deadline) {
        throw new Error(`no answer on port ${port} within ${timeoutMs} ms`);
      }

      socket.send(`Ping 1 ${(Date.now() / 1000).toFixed(6)}`);
      await delay(50);
    }
  } finally {
    socket.close();
  }
}

export type ServerKind = 'echo' | 'headless' | 'dashboard' | 'viewers';

export type ServerProcess = {
  readonly kind: ServerKind;
  readonly pid: number;
  readonly port: number;
  /** Dashboard only: wall-clock times (ms since the epoch) at which a frame started to be written. */
  readonly frameTimes: readonly number[];
  /** The last output kept, to explain a failure. */
  tail(): string;
  /** Resolves once what the server needs besides its socket is in place (viewers attached). */
  ready?: () => Promise<void>;
  isAlive(): boolean;
  /** SIGSTOP: a paused server uses no CPU while another one is measured. */
  pause(): void;
  /** SIGCONT. */
  resume(): void;
  /** SIGTERM, then SIGKILL when it has not gone within `graceMs`. */
  stop(graceMs?: number): Promise<void>;
};

const tailBytes = 4000;

function keepTail(tail: string, chunk: string): string {
  const joined = tail + chunk;
  return joined.length > tailBytes ? joined.slice(-tailBytes) : joined;
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Gone already.
  }
}

async function stopChild(
  child: ChildProcess,
  exited: () => boolean,
  graceMs: number,
): Promise<void> {
  if (exited()) {
    return;
  }

  const gone = once(child, 'exit');
  // A paused process would not see SIGTERM until continued.
  child.kill('SIGCONT');
  child.kill('SIGTERM');
  const timer = setTimeout(() => {
    child.kill('SIGKILL');
  }, graceMs);
  await gone;
  clearTimeout(timer);
}

/** Flags for node itself in every server process (`--cpu-prof …` when profiling). */
let nodeFlags: readonly string[] = [];

export function setServerNodeFlags(flags: readonly string[]): void {
  nodeFlags = flags;
}

/** Spawns a plain node process; its stdout goes to /dev/null, its stderr is kept for errors. */
function spawnNode(
  kind: ServerKind,
  args: readonly string[],
  port: number,
  cwd: string,
): ServerProcess {
  const child = spawn(process.execPath, [...nodeFlags, ...args], {
    cwd,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let exited = false;
  let tail = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    tail = keepTail(tail, chunk);
  });
  const unregister = registerChild(() => {
    if (!exited) {
      child.kill('SIGKILL');
    }
  });
  child.on('exit', () => {
    exited = true;
    unregister();
  });
  return {
    kind,
    pid: child.pid!,
    port,
    frameTimes: [],
    tail: () => tail,
    isAlive: () => !exited,
    pause() {
      signal(child.pid!, 'SIGSTOP');
    },
    resume() {
      signal(child.pid!, 'SIGCONT');
    },
    async stop(graceMs = 5000) {
      await stopChild(child, () => exited, graceMs);
    },
  };
}

export function startEchoServer(port: number, cwd: string): ServerProcess {
  return spawnNode('echo', echoServerArguments(port), port, cwd);
}

/** The command-line arguments every server run gets: no simulated loss, no idle prompt. */
export function serverArguments(port: number): string[] {
  return ['--loss', '0', '--idle-timeout', '0', '--port', String(port)];
}

export function startHeadlessServer(
  cliPath: string,
  port: number,
  cwd: string,
): ServerProcess {
  return spawnNode(
    'headless',
    [cliPath, '--output', 'text', '--quiet', ...serverArguments(port)],
    port,
    cwd,
  );
}

/**
 * The server headless with `--control`, and `viewers` viewers attached to it from a process of
 * their own (control-viewers.ts), each with a view of its own.
 */
export function startViewersServer(
  cliPath: string,
  port: number,
  cwd: string,
  viewers = 10,
): ServerProcess {
  const directory = mkdtempSync(path.join(tmpdir(), 'udp-heartbeat-bench-'));
  const socketPath = path.join(directory, 'control.sock');
  const server = spawnNode(
    'viewers',
    [
      cliPath,
      '--output',
      'text',
      '--quiet',
      '--control',
      socketPath,
      ...serverArguments(port),
    ],
    port,
    cwd,
  );
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(cwd, 'bench', 'control-viewers.ts'),
      '--socket',
      socketPath,
      '--viewers',
      String(viewers),
    ],
    {cwd, stdio: ['ignore', 'pipe', 'pipe']},
  );
  let exited = false;
  const unregister = registerChild(() => {
    if (!exited) {
      child.kill('SIGKILL');
    }
  });
  child.on('exit', () => {
    exited = true;
    unregister();
  });
  let output = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    output = keepTail(output, chunk);
  });
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: string) => {
      if (chunk.includes('ready')) {
        resolve();
      }
    });
    child.on('exit', (code) => {
      reject(new Error(`the viewers exited (${code}): ${output}`));
    });
  });
  ready.catch(() => undefined);
  return {
    ...server,
    tail: () => `${server.tail()}${output}`,
    ready: async () => ready,
    async stop(graceMs = 5000) {
      await stopChild(child, () => exited, graceMs);
      await server.stop(graceMs);
      rmSync(directory, {recursive: true, force: true});
    },
  };
}

/** Ink writes each frame between these (synchronized output) on a terminal. */
const frameStart = '\u001B[?2026h';

/**
 * The server with its dashboard, in a pseudo-terminal. CI=false because Ink writes only its last
 * frame when CI is set; the frames written are counted as they arrive.
 */
export function startDashboardServer(
  cliPath: string,
  port: number,
  cwd: string,
  {columns = 140, rows = 40} = {},
): ServerProcess {
  const environment: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && key !== 'CONTINUOUS_INTEGRATION') {
      environment[key] = value;
    }
  }

  environment.CI = 'false';
  const terminal = pty.spawn(
    process.execPath,
    [...nodeFlags, cliPath, '--output', 'tui', ...serverArguments(port)],
    {name: 'xterm-256color', cols: columns, rows, cwd, env: environment},
  );
  const frameTimes: number[] = [];
  let tail = '';
  let exited = false;
  terminal.onData((data) => {
    const now = performance.timeOrigin + performance.now();
    // A marker split across two reads is found in the joined tail.
    const text = tail.slice(-(frameStart.length - 1)) + data;
    let at = text.indexOf(frameStart);
    while (at !== -1) {
      frameTimes.push(now);
      at = text.indexOf(frameStart, at + frameStart.length);
    }

    tail = keepTail(tail, data);
  });
  const unregister = registerChild(() => {
    if (!exited) {
      terminal.kill('SIGKILL');
    }
  });
  let resolveExit: () => void;
  const exit = new Promise<void>((resolve) => {
    resolveExit = resolve;
  });
  terminal.onExit(() => {
    exited = true;
    unregister();
    resolveExit();
  });
  return {
    kind: 'dashboard',
    pid: terminal.pid,
    port,
    frameTimes,
    tail: () => tail,
    isAlive: () => !exited,
    pause() {
      signal(terminal.pid, 'SIGSTOP');
    },
    resume() {
      signal(terminal.pid, 'SIGCONT');
    },
    async stop(graceMs = 5000) {
      if (exited) {
        return;
      }

      signal(terminal.pid, 'SIGCONT');
      terminal.kill('SIGTERM');
      const timer = setTimeout(() => {
        if (!exited) {
          terminal.kill('SIGKILL');
        }
      }, graceMs);
      await exit;
      clearTimeout(timer);
    },
  };
}
