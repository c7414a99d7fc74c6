import {spawn} from 'node:child_process';
import process from 'node:process';
import type {AlertState} from '../config/fleet-options.js';
import type {HeartbeatEvent} from '../vocabulary.js';
import {
  alertBody,
  alertEnvironment,
  alertFromEvent,
  type Alert,
} from './alert.js';

export type AlertHooksOptions = {
  /** `--on-change`: run through the shell with the alert in its environment. */
  readonly command: string | undefined;
  /** `--webhook`: receives the alert as a JSON POST. */
  readonly webhook: URL | undefined;
  readonly alertOn: ReadonlySet<AlertState>;
  readonly session: string;
  /** A hook failed: the caller records a `hook-error` event. Never throws. */
  readonly onError: (message: string) => void;
  readonly formatTime: (ms: number) => string;
  readonly now: () => number;
  /** Hooks running at once. */
  readonly concurrency?: number;
  /** Time limit of one command run or one webhook try, in milliseconds. */
  readonly timeoutMs?: number;
  /** Hooks waiting their turn at most; what overflows is counted, not run. */
  readonly queueLimit?: number;
  /** Tries of one webhook delivery, the first included. */
  readonly webhookTries?: number;
  /** Wait before the second try; each later wait doubles. */
  readonly retryDelayMs?: number;
  /** Environment the command inherits, beneath the alert's variables. */
  readonly baseEnvironment?: NodeJS.ProcessEnv;
};

type Job = {
  readonly kind: 'command' | 'webhook';
  readonly alert: Alert;
};

/** What the hooks have done, for the header, the summary and the metrics. */
export type AlertHooksStatus = {
  readonly muted: boolean;
  readonly queued: number;
  readonly running: number;
  /** Hooks not run because the queue was full. */
  readonly dropped: number;
  /** Hooks that failed. */
  readonly failed: number;
  /** Hooks that ran to success. */
  readonly delivered: number;
};

/** Last bytes of a command's error output kept for the message. */
const stderrKeep = 200;

/**
 * Runs `--on-change` and `--webhook` off the packet path: state changes are queued (bounded), a few
 * run at a time, each within a time limit, webhooks retried with back-off. Whatever fails is
 * reported through `onError` and counted; nothing here ever throws into the caller.
 */
export class AlertHooks {
  readonly #options: AlertHooksOptions;
  readonly #queue: Job[] = [];
  readonly #running = new Set<Promise<void>>();
  readonly #cancels = new Set<() => void>();
  #muted = false;
  #closed = false;
  #dropped = 0;
  #failed = 0;
  #delivered = 0;
  #lastOverflowReport = Number.NEGATIVE_INFINITY;

  constructor(options: AlertHooksOptions) {
    this.#options = options;
  }

  /** True when there is anything to run at all. */
  get enabled(): boolean {
    return (
      this.#options.command !== undefined || this.#options.webhook !== undefined
    );
  }

  get muted(): boolean {
    return this.#muted;
  }

  setMuted(muted: boolean): void {
    this.#muted = muted;
  }

  status(): AlertHooksStatus {
    return {
      muted: this.#muted,
      queued: this.#queue.length,
      running: this.#running.size,
      dropped: this.#dropped,
      failed: this.#failed,
      delivered: this.#delivered,
    };
  }

  /** Takes any event; only the state changes `--alert-on` names, while unmuted, become hooks. */
  handle(event: HeartbeatEvent): void {
    if (this.#closed || this.#muted || !this.enabled) {
      return;
    }

    const {alertOn, session, formatTime} = this.#options;
    const alert = alertFromEvent(event, session, formatTime);
    if (alert === undefined || !alertOn.has(alert.event)) {
      return;
    }

    if (this.#options.command !== undefined) {
      this.#enqueue({kind: 'command', alert});
    }

    if (this.#options.webhook !== undefined) {
      this.#enqueue({kind: 'webhook', alert});
    }
  }

  /**
   * Stops taking alerts, lets running hooks finish for up to `graceMs`, then ends them (commands
   * killed, requests aborted). Hooks still queued are not run.
   */
  async close(graceMs = 2000): Promise<void> {
    this.#closed = true;
    this.#queue.length = 0;
    if (this.#running.size === 0) {
      return;
    }

    let timer: ReturnType<typeof setTimeout> | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, graceMs);
    });
    await Promise.race([Promise.allSettled(this.#running), grace]);
    clearTimeout(timer);
    for (const cancel of this.#cancels) {
      cancel();
    }

    await Promise.allSettled(this.#running);
  }

  #enqueue(job: Job): void {
    const limit = this.#options.queueLimit ?? 256;
    if (this.#queue.length >= limit) {
      this.#dropped++;
      const now = this.#options.now();
      // One report a second at most: an overflow must not flood the log it is reported in.
      if (now - this.#lastOverflowReport >= 1000) {
        this.#lastOverflowReport = now;
        this.#report(
          `alert queue full (${limit} waiting): ${this.#dropped} hook run(s) dropped so far`,
        );
      }

      return;
    }

    this.#queue.push(job);
    this.#pump();
  }

  #pump(): void {
    const concurrency = this.#options.concurrency ?? 4;
    while (this.#running.size < concurrency && this.#queue.length > 0) {
      const job = this.#queue.shift()!;
      const run = this.#run(job).then(
        () => {
          this.#running.delete(run);
          this.#pump();
        },
        () => {
          this.#running.delete(run);
          this.#pump();
        },
      );
      this.#running.add(run);
    }
  }

  async #run(job: Job): Promise<void> {
    const failure =
      job.kind === 'command'
        ? await this.#runCommand(job.alert)
        : await this.#deliver(job.alert);
    if (failure === undefined) {
      this.#delivered++;
    } else {
      this.#failed++;
      this.#report(failure);
    }
  }

  #report(message: string): void {
    try {
      this.#options.onError(message);
    } catch {
      // Reporting must never break the hooks.
    }
  }

  /** Runs the command once; resolves to a failure message, or undefined on exit status 0. */
  async #runCommand(alert: Alert): Promise<string | undefined> {
    const {command, timeoutMs = 10_000, baseEnvironment} = this.#options;
    const what = `--on-change for ${alert.client} ${alert.event}`;
    return new Promise((resolve) => {
      let child: ReturnType<typeof spawn>;
      try {
        child = spawn(command!, {
          shell: true,
          // Its own process group, so a time limit ends whatever the shell started too.
          detached: true,
          stdio: ['ignore', 'ignore', 'pipe'],
          env: {
            ...(baseEnvironment ?? process.env),
            ...alertEnvironment(alert),
          },
        });
      } catch (error) {
        resolve(
          `${what}: ${error instanceof Error ? error.message : 'failed'}`,
        );
        return;
      }

      let stderr = '';
      let timedOut = false;
      const kill = () => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          child.kill('SIGKILL');
        }
      };

      const timer = setTimeout(() => {
        timedOut = true;
        kill();
      }, timeoutMs);
      this.#cancels.add(kill);
      child.stderr?.setEncoding('utf8');
      child.stderr?.on('data', (chunk: string) => {
        stderr = (stderr + chunk).slice(-stderrKeep);
      });
      child.on('error', (error) => {
        clearTimeout(timer);
        this.#cancels.delete(kill);
        resolve(`${what}: ${error.message}`);
      });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        this.#cancels.delete(kill);
        const said = stderr.trim().split('\n').at(-1);
        if (timedOut) {
          resolve(
            `${what}: still running after ${timeoutMs / 1000} s, stopped`,
          );
        } else if (code === 0) {
          resolve(undefined);
        } else {
          resolve(
            `${what}: ${code === null ? `killed by ${signal}` : `exit status ${code}`}${said ? ` (${said})` : ''}`,
          );
        }
      });
    });
  }

  /** Posts the alert, retrying with back-off; resolves to a failure message, or undefined on a 2xx. */
  async #deliver(alert: Alert): Promise<string | undefined> {
    const {
      webhook,
      timeoutMs = 10_000,
      webhookTries = 3,
      retryDelayMs = 1000,
    } = this.#options;
    const body = alertBody(alert);
    let lastFailure = '';
    for (let attempt = 1; attempt <= webhookTries; attempt++) {
      if (attempt > 1) {
        const waited = await this.#wait(retryDelayMs * 2 ** (attempt - 2));
        if (!waited) {
          break;
        }
      }

      const abort = new AbortController();
      const cancel = () => {
        abort.abort();
      };

      const timer = setTimeout(cancel, timeoutMs);
      this.#cancels.add(cancel);
      try {
        const response = await fetch(webhook!, {
          method: 'POST',
          headers: {'content-type': 'application/json'},
          body,
          signal: abort.signal,
          redirect: 'error',
        });
        // The body is not wanted; drop it so the connection is freed.
        await response.body?.cancel();
        if (response.ok) {
          return undefined;
        }

        lastFailure = `HTTP ${response.status}`;
      } catch (error) {
        lastFailure = abort.signal.aborted
          ? `no answer within ${timeoutMs / 1000} s`
          : describeFetchError(error);
      } finally {
        clearTimeout(timer);
        this.#cancels.delete(cancel);
      }

      if (this.#closed) {
        break;
      }
    }

    return `--webhook ${webhook!.origin} for ${alert.client} ${alert.event}: ${lastFailure} (${webhookTries} tries)`;
  }

  /** Waits, unless the hooks are closed meanwhile; false when cut short. */
  async #wait(ms: number): Promise<boolean> {
    if (this.#closed) {
      return false;
    }

    return new Promise((resolve) => {
      const cancel = () => {
        clearTimeout(timer);
        this.#cancels.delete(cancel);
        resolve(false);
      };

      const timer = setTimeout(() => {
        this.#cancels.delete(cancel);
        resolve(true);
      }, ms);
      this.#cancels.add(cancel);
    });
  }
}

function describeFetchError(error: unknown): string {
  if (error instanceof Error) {
    // Fetch says `fetch failed` and puts the reason (ECONNREFUSED …) in its cause.
    const {cause} = error;
    if (cause instanceof Error) {
      return 'code' in cause && typeof cause.code === 'string'
        ? cause.code
        : cause.message;
    }

    return error.message;
  }

  return String(error);
}
