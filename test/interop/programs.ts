import {spawn, spawnSync, type ChildProcess} from 'node:child_process';
import {mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

/** Where the client programs live, each in its own language. */
export const clientsDir = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  'fixtures',
  'clients',
);

export function clientSource(...parts: string[]): string {
  return path.join(clientsDir, ...parts);
}

/** The reason to skip when a toolchain is not installed, or false when it is. */
export function missingTool(
  command: string,
  versionFlag = '--version',
): string | false {
  const probe = spawnSync(command, [versionFlag], {stdio: 'ignore'});
  return probe.error === undefined && probe.status === 0
    ? false
    : `${command} not installed`;
}

export type ProgramRun = {
  readonly code: number | string;
  readonly stdout: string;
  readonly stderr: string;
};

const running = new Set<ChildProcess>();

/**
 * Runs a program to its end, or kills it at the deadline: a client that hangs fails its test
 * instead of the suite.
 */
export async function runProgram(
  command: string,
  args: readonly string[],
  {
    timeoutMs = 30_000,
    env = {},
    cwd,
  }: {timeoutMs?: number; env?: NodeJS.ProcessEnv; cwd?: string} = {},
): Promise<ProgramRun> {
  const child = spawn(command, args, {
    cwd,
    env: {...process.env, ...env},
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk: string) => {
    stderr += chunk;
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, timeoutMs);
  const code = await new Promise<number | string>((resolve) => {
    child.on('error', (error) => {
      stderr += String(error);
    });
    child.on('close', (exitCode, signal) => {
      resolve(exitCode ?? signal ?? 'unknown');
    });
  });
  clearTimeout(timer);
  running.delete(child);
  if (timedOut) {
    throw new Error(
      `${command} ${args.join(' ')} ran past ${timeoutMs} ms:\n${stdout}\n${stderr}`,
    );
  }

  return {code, stdout, stderr};
}

/** Kills every program still running (teardown). */
export function killPrograms(): void {
  for (const child of running) {
    child.kill('SIGKILL');
  }
}

/** Runs a compiler and fails with its messages when it fails. */
export async function compile(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<void> {
  const run = await runProgram(command, args, {timeoutMs: 90_000, env});
  if (run.code !== 0) {
    throw new Error(
      `${command} failed (${run.code}):\n${run.stdout}\n${run.stderr}`,
    );
  }
}

/** A temporary directory for compiled programs, and its removal. */
export async function buildDir(): Promise<{
  dir: string;
  remove: () => Promise<void>;
}> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'udp-heartbeat-clients-'));
  return {
    dir,
    remove: async () => rm(dir, {recursive: true, force: true}),
  };
}

/** The lines a program printed. */
export function outputLines(run: ProgramRun): string[] {
  return run.stdout.split('\n').filter((line) => line !== '');
}
