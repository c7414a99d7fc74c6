import {fork, type ChildProcess} from 'node:child_process';
import {once} from 'node:events';
import path from 'node:path';
import type {
  GeneratorCommand,
  GeneratorReply,
  GeneratorRequest,
  OpenCommand,
  PhaseResult,
  RateCommand,
  RetargetCommand,
  SaturateCommand,
  SprayCommand,
  SprayResult,
} from './generator-protocol.js';
import {registerChild} from './servers.js';

type Pending = {
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
};

/** The load generator process, driven command by command; each command has a deadline. */
export class GeneratorClient {
  readonly pid: number;
  readonly #child: ChildProcess;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #exited = false;

  private constructor(child: ChildProcess) {
    this.#child = child;
    this.pid = child.pid!;
    const unregister = registerChild(() => {
      if (!this.#exited) {
        child.kill('SIGKILL');
      }
    });
    child.on('message', (message: GeneratorReply) => {
      if (message.type === 'ready') {
        return;
      }

      const pending = this.#pending.get(message.id);
      if (pending === undefined) {
        return;
      }

      this.#pending.delete(message.id);
      clearTimeout(pending.timer);
      if (message.type === 'done') {
        pending.resolve(message.value);
      } else {
        pending.reject(new Error(`load generator: ${message.message}`));
      }
    });
    child.on('exit', (code, signal) => {
      this.#exited = true;
      unregister();
      for (const pending of this.#pending.values()) {
        clearTimeout(pending.timer);
        pending.reject(
          new Error(`load generator exited (${signal ?? code ?? 'unknown'})`),
        );
      }

      this.#pending.clear();
    });
  }

  static async start(
    benchDirectory: string,
    nodeFlags: readonly string[] = [],
  ): Promise<GeneratorClient> {
    const child = fork(path.join(benchDirectory, 'load-generator.ts'), [], {
      cwd: path.dirname(benchDirectory),
      execArgv: [...nodeFlags, '--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const client = new GeneratorClient(child);
    const received: unknown[] = await once(child, 'message');
    const message = received[0];
    if (
      typeof message !== 'object' ||
      message === null ||
      !('type' in message) ||
      message.type !== 'ready'
    ) {
      throw new Error('the load generator did not start');
    }

    return client;
  }

  async open(command: Omit<OpenCommand, 'type'>): Promise<number> {
    return this.#request<number>({type: 'open', ...command}, 60_000);
  }

  async retarget(command: Omit<RetargetCommand, 'type'>): Promise<void> {
    await this.#request<undefined>({type: 'retarget', ...command}, 30_000);
  }

  async rate(command: Omit<RateCommand, 'type'>): Promise<PhaseResult> {
    return this.#request<PhaseResult>(
      {type: 'rate', ...command},
      command.durationMs + command.graceMs + 30_000,
    );
  }

  async saturate(command: Omit<SaturateCommand, 'type'>): Promise<PhaseResult> {
    return this.#request<PhaseResult>(
      {type: 'saturate', ...command},
      command.rampMs + command.durationMs + command.graceMs + 30_000,
    );
  }

  async spray(command: Omit<SprayCommand, 'type'>): Promise<SprayResult> {
    return this.#request<SprayResult>({type: 'spray', ...command}, 180_000);
  }

  async close(): Promise<void> {
    await this.#request<undefined>({type: 'close'}, 30_000);
  }

  async watch(pids: readonly number[]): Promise<void> {
    await this.#request<undefined>({type: 'watch', pids}, 10_000);
  }

  /** Lets the generator exit by itself (so a profile it takes is written), or kills it after a while. */
  async stop(): Promise<void> {
    if (this.#exited) {
      return;
    }

    await this.watch([]).catch(() => undefined);
    const exited = once(this.#child, 'exit');
    const timer = setTimeout(() => {
      this.#child.kill('SIGKILL');
    }, 5000);
    this.#child.disconnect();
    await exited;
    clearTimeout(timer);
  }

  /** Sends a command; the generator answers each with the value its method here names. */
  async #request<T>(command: GeneratorCommand, timeoutMs: number): Promise<T> {
    if (this.#exited) {
      throw new Error('the load generator is not running');
    }

    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`load generator: ${command.type} took too long`));
      }, timeoutMs);
      this.#pending.set(id, {
        resolve(value) {
          // eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- see above
          resolve(value as T);
        },
        reject,
        timer,
      });
      const request: GeneratorRequest = {id, command};
      this.#child.send(request);
    });
  }
}
