import dgram from 'node:dgram';
import type {Clock} from '../clock.js';
import {errorCode, formatEndpoint, type Target} from './endpoint.js';
import {formatRtt, HeartbeatTally} from './heartbeat-statistics.js';
import {buildPayload, type PayloadFormat} from './payload.js';
import {printableReply, sequenceInReply} from './reply-text.js';

export type HeartbeatClientOptions = {
  readonly target: Target;
  readonly format: PayloadFormat;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  /** Heartbeats to send; undefined sends until closed. */
  readonly count: number | undefined;
  /** Put before every line: `[client 2] `, or nothing when there is one client. */
  readonly prefix: string;
  /** Measures round trips and stamps payloads. */
  readonly clock: Clock;
  readonly write: (line: string) => void;
};

type Pending = {
  readonly seq: number;
  readonly sentAt: number;
  readonly timer: NodeJS.Timeout;
  /** Why no reply may come (port unreachable, a send error), shown on the timed-out line. */
  problem: string | undefined;
};

const portUnreachable = 'port unreachable';

function describeSocketError(error: Error): string {
  const code = errorCode(error);
  // ICMP port unreachable: on a connected socket the kernel hands it back as ECONNREFUSED.
  return code === 'ECONNREFUSED' ? portUnreachable : code;
}

/**
 * One client: its own connected socket, a heartbeat every interval, and a line per heartbeat
 * (the reply or "timed out"). Socket errors only annotate lines; nothing here throws once open.
 */
export class HeartbeatClient {
  readonly tally = new HeartbeatTally();
  /** An ICMP port unreachable came back: nothing listens at the target. */
  portUnreachable = false;
  readonly #options: HeartbeatClientOptions;
  readonly #socket: dgram.Socket;
  /** Heartbeats waiting for a reply, in seq order, so the first is the oldest. */
  readonly #pending = new Map<number, Pending>();
  #nextSeq = 1;
  /** Lines of heartbeats told but not yet printed: a line waits for every earlier heartbeat's. */
  readonly #told = new Map<number, string>();
  /** The heartbeat whose line is printed next. */
  #nextToPrint = 1;
  #firstSendAt = 0;
  #sendTimer: NodeJS.Timeout | undefined;
  #closed = false;
  #onFinished: (() => void) | undefined;
  /** Resolves once `count` heartbeats have all been answered or timed out. */
  readonly finished: Promise<void>;

  private constructor(options: HeartbeatClientOptions, socket: dgram.Socket) {
    this.#options = options;
    this.#socket = socket;
    this.finished = new Promise((resolve) => {
      this.#onFinished = resolve;
    });
    socket.on('message', (payload) => {
      this.#receive(payload);
    });
    socket.on('error', (error) => {
      this.#noteError(error);
    });
  }

  /** Opens a socket connected to the target, so only its replies arrive and ICMP errors surface. */
  static async open(options: HeartbeatClientOptions): Promise<HeartbeatClient> {
    const {address, family, port} = options.target;
    const socket = dgram.createSocket(family === 6 ? 'udp6' : 'udp4');
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        socket.connect(port, address, () => {
          socket.off('error', reject);
          resolve();
        });
      });
    } catch (error) {
      try {
        socket.close();
      } catch {
        // Already closed by the failure itself.
      }

      throw error;
    }

    return new HeartbeatClient(options, socket);
  }

  /** Sends the first heartbeat after `delayMs`, then one every interval. */
  start(delayMs = 0): void {
    this.#sendTimer = setTimeout(() => {
      this.#firstSendAt = performance.now();
      this.#send();
    }, delayMs);
  }

  /**
   * Stops sending and closes the socket. Heartbeats still waiting count as awaiting: the run was
   * cut short, so they are neither received nor lost.
   */
  async close(): Promise<void> {
    if (this.#closed) {
      return;
    }

    this.#closed = true;
    clearTimeout(this.#sendTimer);
    for (const pending of this.#pending.values()) {
      clearTimeout(pending.timer);
    }

    this.tally.awaiting = this.#pending.size;
    this.#pending.clear();
    // Heartbeats cut short have no line: those told after them are printed still, in order.
    for (const seq of [...this.#told.keys()].toSorted((a, b) => a - b)) {
      this.#options.write(this.#told.get(seq)!);
    }

    this.#told.clear();
    this.#onFinished?.();
    await new Promise<void>((resolve) => {
      this.#socket.close(resolve);
    });
  }

  #send(): void {
    const {format, timeoutMs, count, clock} = this.#options;
    const seq = this.#nextSeq++;
    const sentAt = clock();
    const pending: Pending = {
      seq,
      sentAt,
      timer: setTimeout(() => {
        this.#timeOut(pending);
      }, timeoutMs),
      problem: undefined,
    };
    this.#pending.set(seq, pending);
    this.tally.sent++;
    this.#socket.send(buildPayload(format, seq, sentAt), (error) => {
      if (error) {
        pending.problem = this.#describe(error);
      }
    });

    if (count === undefined || seq < count) {
      this.#scheduleNext(seq);
    }
  }

  /** Keeps to the schedule of the first heartbeat, so the interval does not drift with load. */
  #scheduleNext(sentSoFar: number): void {
    const {intervalMs} = this.#options;
    const now = performance.now();
    let delay = this.#firstSendAt + sentSoFar * intervalMs - now;
    if (delay < -intervalMs) {
      // Far behind (the machine slept): start a new schedule rather than send a burst.
      this.#firstSendAt = now - sentSoFar * intervalMs;
      delay = 0;
    }

    this.#sendTimer = setTimeout(
      () => {
        this.#send();
      },
      Math.max(0, delay),
    );
  }

  #receive(payload: Uint8Array): void {
    if (this.#closed) {
      return;
    }

    const pending = this.#match(payload);
    if (pending === undefined) {
      return;
    }

    clearTimeout(pending.timer);
    this.#pending.delete(pending.seq);
    const rttMs = Math.max(0, this.#options.clock() - pending.sentAt);
    this.tally.recordReply(rttMs);
    const {prefix, target} = this.#options;
    const from = formatEndpoint(target.address, target.port);
    const text = printableReply(payload);
    this.#tell(
      pending.seq,
      `${prefix}seq=${pending.seq} reply from ${from} time=${formatRtt(rttMs)} ms: ${text}`,
    );
    this.#finishIfDone();
  }

  /** The heartbeat a reply answers; undefined when it answers one that already timed out. */
  #match(payload: Uint8Array): Pending | undefined {
    const seq = sequenceInReply(payload);
    if (seq !== undefined && seq < this.#nextSeq) {
      return this.#pending.get(seq);
    }

    // Seed replies name no heartbeat. A round trip is usually far shorter than the interval, so
    // the one just sent is the likeliest (the oldest would be wrong whenever the server dropped
    // it); once that one is answered, the oldest still waiting.
    return (
      this.#pending.get(this.#nextSeq - 1) ??
      this.#pending.values().next().value
    );
  }

  #timeOut(pending: Pending): void {
    this.#pending.delete(pending.seq);
    const reason = pending.problem === undefined ? '' : ` (${pending.problem})`;
    this.#tell(
      pending.seq,
      `${this.#options.prefix}seq=${pending.seq} timed out${reason}`,
    );
    this.#finishIfDone();
  }

  /**
   * Prints a heartbeat's line once every earlier heartbeat has had its own, so that the lines read
   * in sequence: a reply that overtakes an earlier heartbeat's timeout waits for it (at most the
   * timeout).
   */
  #tell(seq: number, line: string): void {
    this.#told.set(seq, line);
    this.#printInOrder();
  }

  #printInOrder(): void {
    for (;;) {
      const line = this.#told.get(this.#nextToPrint);
      if (line === undefined) {
        return;
      }

      this.#told.delete(this.#nextToPrint);
      this.#nextToPrint++;
      this.#options.write(line);
    }
  }

  #describe(error: Error): string {
    const problem = describeSocketError(error);
    if (problem === portUnreachable) {
      this.portUnreachable = true;
    }

    return problem;
  }

  #noteError(error: Error): void {
    const problem = this.#describe(error);
    // The error belongs to a datagram just sent: every heartbeat still waiting is a candidate.
    for (const pending of this.#pending.values()) {
      pending.problem = problem;
    }
  }

  #finishIfDone(): void {
    const {count} = this.#options;
    if (
      count !== undefined &&
      this.#nextSeq > count &&
      this.#pending.size === 0
    ) {
      this.#onFinished?.();
    }
  }
}
