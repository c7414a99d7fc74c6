import {spawn, type ChildProcessWithoutNullStreams} from 'node:child_process';
import {once} from 'node:events';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {waitFor} from './wait-for.js';

/** The built CLI, as a user runs it (npm test builds it first). */
export const cliPath = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'dist',
  'cli.js',
);

/** The built CLI without a terminal: headless output, read line by line. */
export class CliProcess {
  readonly child: ChildProcessWithoutNullStreams;
  stdout = '';
  stderr = '';

  constructor(args: readonly string[], env: NodeJS.ProcessEnv = {}) {
    this.child = spawn(process.execPath, [cliPath, ...args], {
      env: {...process.env, ...env},
    });
    this.child.stdout.setEncoding('utf8');
    this.child.stderr.setEncoding('utf8');
    this.child.stdout.on('data', (chunk: string) => {
      this.stdout += chunk;
    });
    this.child.stderr.on('data', (chunk: string) => {
      this.stderr += chunk;
    });
  }

  lines(): string[] {
    return this.stdout.split('\n').filter((line) => line !== '');
  }

  async waitForLine(match: RegExp, timeoutMs = 10_000): Promise<string> {
    return waitFor(() => this.lines().find((line) => match.test(line)), {
      timeoutMs,
      message: `a line matching ${match} in:\n${this.stdout}\n${this.stderr}`,
    });
  }

  /** Waits for the process to end and returns its exit code (or the signal's name). */
  async exit(timeoutMs = 10_000): Promise<number | string> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const timer = setTimeout(() => {
        this.child.kill('SIGKILL');
      }, timeoutMs);
      await once(this.child, 'exit');
      clearTimeout(timer);
    }

    return this.child.exitCode ?? this.child.signalCode ?? 'unknown';
  }
}

/** Runs the CLI to completion and returns what it printed and its exit code. */
export async function runCli(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{code: number | string; stdout: string; stderr: string}> {
  const cli = new CliProcess(args, env);
  cli.child.stdin.end();
  const code = await cli.exit();
  return {code, stdout: cli.stdout, stderr: cli.stderr};
}
