import type {ProcDelta} from './proc-stats.js';

/** The process the generator samples at the edges of each measured window. */
export type ProbeTarget = {
  readonly pid: number;
  readonly port: number;
};

/** Opens `clients` sockets, each connected to the server: one client each, as the server sees it. */
export type OpenCommand = {
  readonly type: 'open';
  readonly host: string;
  readonly port: number;
  readonly clients: number;
};

/** Points every open client socket at another server; each server keeps its own sequence numbers. */
export type RetargetCommand = {
  readonly type: 'retarget';
  readonly host: string;
  readonly port: number;
};

/**
 * Offers a fixed rate round robin over the clients, in bursts: what is due is sent every
 * millisecond or so. (Sent one by one, each datagram would wake the server on its own: bursts
 * are kinder to every server alike, and the same for all of them.)
 */
export type RateCommand = {
  readonly type: 'rate';
  readonly ratePerSecond: number;
  readonly durationMs: number;
  /** How long to wait for the last replies after the window. */
  readonly graceMs: number;
  readonly target: ProbeTarget | undefined;
};

/** Closed loop: keeps `inflight` heartbeats outstanding, sending the next as each reply comes. */
export type SaturateCommand = {
  readonly type: 'saturate';
  readonly inflight: number;
  readonly durationMs: number;
  /** Replies in the first part of the run are not counted: the queue is filling. */
  readonly rampMs: number;
  readonly graceMs: number;
  readonly target: ProbeTarget | undefined;
  /**
   * Poll instead of sleeping while waiting for replies. A sleeping generator must be woken for
   * each burst of replies, and on a virtual machine that wake-up is paid by the server's send.
   */
  readonly spin: boolean;
};

/** One heartbeat from each of `count` distinct sources (address, port), each waiting for its reply. */
export type SprayCommand = {
  readonly type: 'spray';
  readonly host: string;
  readonly port: number;
  readonly count: number;
  /** Loopback addresses to send from, bound explicitly (Linux routes all of 127/8 to lo). */
  readonly sourceAddresses: readonly string[];
  readonly firstPort: number;
  readonly lastPort: number;
  readonly concurrency: number;
  readonly timeoutMs: number;
};

export type CloseCommand = {readonly type: 'close'};

/** Processes to kill should the benchmark itself vanish. */
export type WatchCommand = {
  readonly type: 'watch';
  readonly pids: readonly number[];
};

export type GeneratorCommand =
  | OpenCommand
  | RetargetCommand
  | RateCommand
  | SaturateCommand
  | SprayCommand
  | CloseCommand
  | WatchCommand;

/** Round-trip times in milliseconds, as seen by the generator. */
export type RttSummary = {
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
};

export type PhaseResult = {
  /** The measured window, wall-clock milliseconds since the epoch. */
  readonly windowStart: number;
  readonly windowEnd: number;
  /** What the rate asked for over the window (rate mode); what was sent (closed loop). */
  readonly offered: number;
  readonly sent: number;
  /** Heartbeats answered; for a closed loop, replies received inside the window. */
  readonly replied: number;
  /** Heartbeats never answered within the timeout. */
  readonly lost: number;
  /** Replies that matched nothing outstanding (after a timeout, or a stray). */
  readonly stray: number;
  readonly sendErrors: number;
  readonly repliesPerSecond: number;
  readonly rtt: RttSummary;
  /** The generator's own CPU over the window, in cores. */
  readonly generatorCpuCores: number;
  /**
   * Share of the window a polling generator spent handling replies rather than polling in vain:
   * what its CPU would show if it slept. NaN when it slept.
   */
  readonly generatorBusyShare: number;
  /** How late the generator's timer ran at worst (rate mode), in milliseconds. */
  readonly generatorMaxLagMs: number;
  readonly server: ProcDelta | undefined;
};

export type SprayResult = {
  readonly answered: number;
  readonly unanswered: number;
  /** Sources that could not be bound (already in use) and were skipped. */
  readonly bindFailures: number;
  readonly seconds: number;
};

export type GeneratorReply =
  | {readonly type: 'ready'}
  | {readonly type: 'done'; readonly id: number; readonly value: unknown}
  | {readonly type: 'failed'; readonly id: number; readonly message: string};

export type GeneratorRequest = {
  readonly id: number;
  readonly command: GeneratorCommand;
};
