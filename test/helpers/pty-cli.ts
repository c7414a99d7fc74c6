import {stripVTControlCharacters} from 'node:util';
import pty from 'node-pty';
import {cliPath} from './cli-process.js';
import {waitFor} from './wait-for.js';

/**
 * The built CLI in a pseudo-terminal, as a user runs it. CI=false because Ink writes only its
 * last frame when CI is set.
 */
export class PtyCli {
  readonly terminal: pty.IPty;
  output = '';
  exitCode: number | undefined;
  /** Where the text read by `screenSince` starts: moved on before each key. */
  mark = 0;

  constructor(
    args: readonly string[],
    {
      columns = 140,
      rows = 40,
      env = {},
    }: {columns?: number; rows?: number; env?: NodeJS.ProcessEnv} = {},
  ) {
    this.terminal = pty.spawn(process.execPath, [cliPath, ...args], {
      name: 'xterm-256color',
      cols: columns,
      rows,
      env: {...process.env, CI: 'false', FORCE_COLOR: '1', ...env},
    });
    this.terminal.onData((data) => {
      this.output += data;
    });
    this.terminal.onExit(({exitCode}) => {
      this.exitCode = exitCode;
    });
  }

  /** Text printed since the last mark, escape sequences removed. */
  text(): string {
    return stripVTControlCharacters(this.output.slice(this.mark));
  }

  async waitForText(match: RegExp | string, timeoutMs = 15_000): Promise<void> {
    await waitFor(
      () =>
        typeof match === 'string'
          ? this.text().includes(match)
          : match.test(this.text()),
      {
        timeoutMs,
        message: `${String(match)} on the screen; it showed:\n${this.text().slice(-3000)}`,
      },
    );
  }

  /** Types a key, first moving the mark so that later waits look only at what came after it. */
  press(key: string): void {
    this.mark = this.output.length;
    this.terminal.write(key);
  }

  async waitForExit(timeoutMs = 15_000): Promise<number> {
    return waitFor(() => this.exitCode, {
      timeoutMs,
      message: 'the CLI to exit',
    });
  }

  kill(): void {
    if (this.exitCode === undefined) {
      this.terminal.kill('SIGKILL');
    }
  }
}
