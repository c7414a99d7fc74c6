/*
The load generator: a process of its own (so it has its own core), driven by the benchmark over
IPC. Each client is a socket connected to the server, so the server tracks one client per socket
and a connected send skips the address lookup an unconnected one does per datagram. Heartbeats
are `Ping <seq> <epoch seconds>`, the classic pinger format, so that a reply (`PING <seq> …`)
names the heartbeat it answers; a reply that names none (the baseline's fixed text) answers the
oldest outstanding heartbeat of its socket, which is exact as long as nothing is lost.
*/
import dgram from 'node:dgram';
import {once} from 'node:events';
import process from 'node:process';
import type {
  GeneratorCommand,
  GeneratorReply,
  GeneratorRequest,
  OpenCommand,
  PhaseResult,
  RetargetCommand,
  ProbeTarget,
  RateCommand,
  SaturateCommand,
  SprayCommand,
  SprayResult,
} from './generator-protocol.js';
import {procDelta, sampleProcess, type ProcSample} from './proc-stats.js';
import {dueSends, percentile, replySequence} from './stats.js';

/** Outstanding heartbeats remembered in send order, to find the ones that time out. */
const fifoSize = 1 << 19;
const rttCapacity = 4_000_000;
/** A timed-out heartbeat counts as lost; in a closed loop it is replaced by a new one. */
const rateTimeoutMs = 1000;
const saturateTimeoutMs = 3000;
const sweepIntervalMs = 50;
/** Farther behind than this, the rate controller gives up the older part of the offer. */
const maxLagMs = 100;

type Phase = {
  readonly closedLoop: boolean;
  /** performance.now() times. */
  readonly start: number;
  readonly end: number;
  readonly countFrom: number;
  sent: number;
  skipped: number;
  replied: number;
  lost: number;
  stray: number;
  rttCount: number;
  maxLagMs: number;
};

/** Sequence state of the clients towards one server. */
type Sequences = {
  /** Next sequence number to send, per client. */
  readonly next: Int32Array;
  /** Oldest sequence number still unanswered, per client. */
  readonly ack: Int32Array;
};

class Generator {
  sockets: dgram.Socket[] = [];
  readonly #sequencesByPort = new Map<number, Sequences>();
  #ringSize = 16;
  #next: Int32Array = new Int32Array(0);
  #ack: Int32Array = new Int32Array(0);
  #sendTimes = new Float64Array(0);
  readonly #fifoSocket = new Int32Array(fifoSize);
  readonly #fifoSeq = new Int32Array(fifoSize);
  readonly #fifoTime = new Float64Array(fifoSize);
  #fifoHead = 0;
  #fifoTail = 0;
  #cursor = 0;
  #inflight = 0;
  #sendErrors = 0;
  readonly #rtts = new Float64Array(rttCapacity);
  #phase: Phase | undefined;
  #timestampMs = 0;
  #timestampText = '';
  /** Replies handled, of any phase: a polling loop that sees it unchanged polled in vain. */
  #repliesSeen = 0;

  async open({host, port, clients}: OpenCommand): Promise<number> {
    await this.close();
    // Room for the outstanding heartbeats of each client: many for few clients, fewer for many.
    let ring = 16;
    while (ring < 1024 && ring * clients < 1 << 20) {
      ring *= 2;
    }

    this.#ringSize = ring;
    this.#useSequences(port, clients);
    this.#sendTimes = new Float64Array(clients * ring);
    const batch = 256;
    for (let first = 0; first < clients; first += batch) {
      const opening: Array<Promise<unknown>> = [];
      for (
        let index = first;
        index < Math.min(clients, first + batch);
        index++
      ) {
        const socket = dgram.createSocket('udp4');
        socket.on('error', () => {
          this.#sendErrors++;
        });
        socket.on('message', (reply) => {
          this.#onReply(index, reply);
        });
        socket.connect(port, host);
        opening.push(once(socket, 'connect'));
        this.sockets.push(socket);
      }

      await Promise.all(opening);
    }

    return this.sockets.length;
  }

  async retarget({host, port}: RetargetCommand): Promise<void> {
    this.#phase = undefined;
    this.#useSequences(port, this.sockets.length);
    const connecting: Array<Promise<unknown>> = [];
    for (const socket of this.sockets) {
      socket.disconnect();
      socket.connect(port, host);
      connecting.push(once(socket, 'connect'));
    }

    await Promise.all(connecting);
  }

  async close(): Promise<void> {
    const closing = this.sockets.map(
      async (socket) =>
        new Promise<void>((resolve) => {
          socket.close(() => {
            resolve();
          });
        }),
    );
    this.sockets = [];
    this.#phase = undefined;
    this.#sequencesByPort.clear();
    await Promise.all(closing);
  }

  async rate(command: RateCommand): Promise<PhaseResult> {
    const {ratePerSecond, durationMs, graceMs, target} = command;
    const dropsBefore = this.#sample(target, true);
    const phase = this.#begin(false, durationMs, 0);
    const before = this.#sample(target, false);
    const cpuBefore = process.cpuUsage();
    let lastTick = phase.start;
    await new Promise<void>((resolve) => {
      const tick = () => {
        const now = performance.now();
        // The timer asks for 1 ms: anything beyond is time the generator could not offer load.
        phase.maxLagMs = Math.max(phase.maxLagMs, now - lastTick - 1);
        lastTick = now;
        const due = dueSends({
          ratePerSecond,
          elapsedMs: Math.min(now, phase.end) - phase.start,
          sent: phase.sent,
          skipped: phase.skipped,
          maxLagMs,
        });
        phase.skipped += due.skip;
        for (let count = 0; count < due.send; count++) {
          this.#sendNext(now);
        }

        if (now >= phase.end) {
          resolve();
        } else {
          setTimeout(tick, 1);
        }
      };

      tick();
    });
    const cpu = process.cpuUsage(cpuBefore);
    const windowEnd = performance.now();
    const windowSample = this.#sample(target, false);
    await this.#drain(graceMs, rateTimeoutMs);
    const after = this.#sample(target, true);
    return this.#result(phase, {
      offered: Math.floor((ratePerSecond * durationMs) / 1000),
      replied: phase.replied,
      windowStart: phase.start,
      windowEnd,
      busyShare: Number.NaN,
      cpuMicros: cpu.user + cpu.system,
      dropsBefore,
      before,
      windowSample,
      after,
    });
  }

  async saturate(command: SaturateCommand): Promise<PhaseResult> {
    const {inflight, durationMs, rampMs, graceMs, target, spin} = command;
    const dropsBefore = this.#sample(target, true);
    const phase = this.#begin(true, durationMs, rampMs);
    const now = performance.now();
    for (let count = 0; count < inflight; count++) {
      this.#sendNext(now);
    }

    await this.#waitUntil(phase.countFrom, saturateTimeoutMs, spin);
    const before = this.#sample(target, false);
    const cpuBefore = process.cpuUsage();
    const repliedBefore = phase.replied;
    const windowStart = performance.now();
    const idleMs = await this.#waitUntil(phase.end, saturateTimeoutMs, spin);
    const cpu = process.cpuUsage(cpuBefore);
    const repliedInWindow = phase.replied - repliedBefore;
    const windowEnd = performance.now();
    const windowSample = this.#sample(target, false);
    await this.#drain(graceMs, saturateTimeoutMs);
    const after = this.#sample(target, true);
    return this.#result(phase, {
      offered: phase.sent,
      replied: repliedInWindow,
      windowStart,
      windowEnd,
      busyShare: spin ? 1 - idleMs / (windowEnd - windowStart) : Number.NaN,
      cpuMicros: cpu.user + cpu.system,
      dropsBefore,
      before,
      windowSample,
      after,
    });
  }

  async spray(command: SprayCommand): Promise<SprayResult> {
    await this.close();
    const started = performance.now();
    const {host, port, count, sourceAddresses, firstPort, lastPort} = command;
    const sources: Array<[string, number]> = [];
    for (const address of sourceAddresses) {
      for (let source = firstPort; source <= lastPort; source++) {
        sources.push([address, source]);
      }
    }

    let nextSource = 0;
    let begun = 0;
    let answered = 0;
    let unanswered = 0;
    let bindFailures = 0;
    const one = async (address: string, sourcePort: number) => {
      const socket = dgram.createSocket('udp4');
      try {
        const bound = await new Promise<boolean>((resolve) => {
          socket.once('error', () => {
            resolve(false);
          });
          socket.bind({address, port: sourcePort, exclusive: true}, () => {
            resolve(true);
          });
        });
        if (!bound) {
          bindFailures++;
          return false;
        }

        socket.on('error', () => {
          this.#sendErrors++;
        });
        const reply = once(socket, 'message', {
          signal: AbortSignal.timeout(command.timeoutMs),
        });
        socket.send(`Ping 1 ${this.#timestamp(performance.now())}`, port, host);
        try {
          await reply;
          answered++;
        } catch {
          unanswered++;
        }

        return true;
      } finally {
        try {
          socket.close();
        } catch {
          // Closed already, by a failed bind.
        }
      }
    };

    const worker = async () => {
      // A source that cannot be bound gives its turn back: exactly `count` are sent.
      while (begun < count && nextSource < sources.length) {
        const [address, sourcePort] = sources[nextSource++]!;
        begun++;
        if (!(await one(address, sourcePort))) {
          begun--;
        }
      }
    };

    await Promise.all(
      Array.from({length: Math.max(1, command.concurrency)}, worker),
    );
    return {
      answered,
      unanswered,
      bindFailures,
      seconds: (performance.now() - started) / 1000,
    };
  }

  /** Each server sees each client count up from 1 without gaps, however the runs interleave. */
  #useSequences(port: number, clients: number): void {
    let sequences = this.#sequencesByPort.get(port);
    if (sequences?.next.length !== clients) {
      sequences = {
        next: new Int32Array(clients).fill(1),
        ack: new Int32Array(clients).fill(1),
      };
      this.#sequencesByPort.set(port, sequences);
    }

    this.#next = sequences.next;
    this.#ack = sequences.ack;
  }

  #begin(closedLoop: boolean, durationMs: number, rampMs: number): Phase {
    // Whatever a previous phase left outstanding is abandoned: a late reply to it is a stray.
    this.#ack.set(this.#next);
    this.#inflight = 0;
    this.#fifoHead = 0;
    this.#fifoTail = 0;
    const start = performance.now();
    this.#phase = {
      closedLoop,
      start,
      end: start + rampMs + durationMs,
      countFrom: start + rampMs,
      sent: 0,
      skipped: 0,
      replied: 0,
      lost: 0,
      stray: 0,
      rttCount: 0,
      maxLagMs: 0,
    };
    return this.#phase;
  }

  /**
   * Waits until `time` (performance.now()), sweeping timed-out heartbeats meanwhile. Returns how
   * long a polling wait polled without finding a reply (0 for a sleeping one).
   */
  async #waitUntil(
    time: number,
    timeoutMs: number,
    spin = false,
  ): Promise<number> {
    if (spin) {
      // A pending immediate makes the event loop poll without blocking: replies never wait for a wake-up.
      let lastSweep = performance.now();
      let last = lastSweep;
      let seen = this.#repliesSeen;
      let idleMs = 0;
      while (last < time) {
        await new Promise((resolve) => {
          setImmediate(resolve);
        });
        const now = performance.now();
        if (this.#repliesSeen === seen) {
          idleMs += now - last;
        }

        seen = this.#repliesSeen;
        last = now;
        if (now - lastSweep > sweepIntervalMs) {
          lastSweep = now;
          this.#sweep(now - timeoutMs);
        }
      }

      return idleMs;
    }

    while (performance.now() < time) {
      await new Promise((resolve) => {
        setTimeout(
          resolve,
          Math.min(sweepIntervalMs, Math.max(1, time - performance.now())),
        );
      });
      this.#sweep(performance.now() - timeoutMs);
    }

    return 0;
  }

  /** Waits for the outstanding replies, at most `graceMs`; what is still missing then is lost. */
  async #drain(graceMs: number, timeoutMs: number): Promise<void> {
    const deadline = performance.now() + graceMs;
    while (this.#inflight > 0 && performance.now() < deadline) {
      await new Promise((resolve) => {
        setTimeout(resolve, 5);
      });
      this.#sweep(performance.now() - timeoutMs);
    }

    this.#sweep(Number.POSITIVE_INFINITY);
  }

  #timestamp(now: number): string {
    // One text per millisecond: the server learns the delay to a millisecond, which is plenty here.
    if (now - this.#timestampMs >= 1) {
      this.#timestampMs = now;
      this.#timestampText = ((performance.timeOrigin + now) / 1000).toFixed(6);
    }

    return this.#timestampText;
  }

  #sendNext(now: number): void {
    const phase = this.#phase;
    const clients = this.sockets.length;
    if (phase === undefined || clients === 0) {
      return;
    }

    const ring = this.#ringSize;
    let index = this.#cursor;
    // A client with a full ring of outstanding heartbeats waits; another takes its turn.
    for (let tries = 0; tries < clients; tries++) {
      if (this.#next[index]! - this.#ack[index]! < ring) {
        break;
      }

      index = (index + 1) % clients;
    }

    this.#cursor = (index + 1) % clients;
    if (this.#next[index]! - this.#ack[index]! >= ring) {
      phase.skipped++;
      return;
    }

    const seq = this.#next[index]!++;
    this.#sendTimes[index * ring + (seq & (ring - 1))] = now;
    const tail = this.#fifoTail;
    this.#fifoSocket[tail] = index;
    this.#fifoSeq[tail] = seq;
    this.#fifoTime[tail] = now;
    this.#fifoTail = (tail + 1) & (fifoSize - 1);
    if (this.#fifoTail === this.#fifoHead) {
      // Full: the oldest entry is forgotten; its heartbeat still counts when its reply comes.
      this.#fifoHead = (this.#fifoHead + 1) & (fifoSize - 1);
    }

    this.#inflight++;
    phase.sent++;
    this.sockets[index]!.send(`Ping ${seq} ${this.#timestamp(now)}`);
  }

  #onReply(index: number, reply: Uint8Array): void {
    const phase = this.#phase;
    if (phase === undefined) {
      return;
    }

    const now = performance.now();
    this.#repliesSeen++;
    const oldest = this.#ack[index]!;
    const next = this.#next[index]!;
    const seq = replySequence(reply) ?? oldest;

    if (seq < oldest || seq >= next) {
      phase.stray++;
      return;
    }

    // Heartbeats before this one on the same socket were never answered: loopback keeps order.
    const skipped = seq - oldest;
    phase.lost += skipped;
    this.#ack[index] = seq + 1;
    this.#inflight -= skipped + 1;
    const sentAt =
      this.#sendTimes[index * this.#ringSize + (seq & (this.#ringSize - 1))]!;
    if (now >= phase.countFrom && sentAt >= phase.start) {
      phase.replied++;
      if (phase.rttCount < rttCapacity) {
        this.#rtts[phase.rttCount++] = now - sentAt;
      }
    }

    if (phase.closedLoop && now < phase.end) {
      for (let count = 0; count <= skipped; count++) {
        this.#sendNext(now);
      }
    }
  }

  /** Counts every heartbeat sent before `cutoff` and still unanswered as lost. */
  #sweep(cutoff: number): void {
    const phase = this.#phase;
    if (phase === undefined) {
      return;
    }

    let replace = 0;
    while (
      this.#fifoHead !== this.#fifoTail &&
      this.#fifoTime[this.#fifoHead]! < cutoff
    ) {
      const head = this.#fifoHead;
      const index = this.#fifoSocket[head]!;
      const seq = this.#fifoSeq[head]!;
      this.#fifoHead = (head + 1) & (fifoSize - 1);
      const oldest = this.#ack[index]!;
      if (oldest <= seq) {
        const missing = seq - oldest + 1;
        phase.lost += missing;
        this.#inflight -= missing;
        this.#ack[index] = seq + 1;
        replace += missing;
      }
    }

    const now = performance.now();
    if (phase.closedLoop && now < phase.end) {
      for (let count = 0; count < replace; count++) {
        this.#sendNext(now);
      }
    }
  }

  #sample(
    target: ProbeTarget | undefined,
    sockets: boolean,
  ): ProcSample | undefined {
    return target === undefined
      ? undefined
      : sampleProcess(target.pid, target.port, {sockets});
  }

  #result(
    phase: Phase,
    figures: {
      offered: number;
      replied: number;
      /** performance.now() times of the measured window. */
      windowStart: number;
      windowEnd: number;
      busyShare: number;
      cpuMicros: number;
      /** Taken before the phase began, with the socket drops. */
      dropsBefore: ProcSample | undefined;
      before: ProcSample | undefined;
      windowSample: ProcSample | undefined;
      after: ProcSample | undefined;
    },
  ): PhaseResult {
    const rtts = this.#rtts.subarray(0, phase.rttCount).toSorted();
    const windowSeconds = (figures.windowEnd - figures.windowStart) / 1000;
    const {dropsBefore, before, windowSample, after} = figures;
    const server =
      dropsBefore && before && windowSample && after
        ? {
            // CPU over the window itself; drops from before the first heartbeat until the last reply was in (or given up).
            ...procDelta(before, windowSample),
            socketDrops: after.socketDrops - dropsBefore.socketDrops,
            rcvbufErrors: after.rcvbufErrors - dropsBefore.rcvbufErrors,
            rssBytes: after.rssBytes,
          }
        : undefined;
    const result: PhaseResult = {
      windowStart: performance.timeOrigin + figures.windowStart,
      windowEnd: performance.timeOrigin + figures.windowEnd,
      offered: figures.offered,
      sent: phase.sent,
      replied: figures.replied,
      lost: phase.lost,
      stray: phase.stray,
      sendErrors: this.#sendErrors,
      repliesPerSecond: figures.replied / windowSeconds,
      rtt: {
        count: rtts.length,
        p50: percentile(rtts, 50),
        p99: percentile(rtts, 99),
        max: rtts.length === 0 ? Number.NaN : rtts.at(-1)!,
      },
      generatorCpuCores: figures.cpuMicros / 1e6 / windowSeconds,
      generatorBusyShare: figures.busyShare,
      generatorMaxLagMs: phase.maxLagMs,
      server,
    };
    this.#phase = undefined;
    return result;
  }
}

const generator = new Generator();
let watched: readonly number[] = [];

async function run(command: GeneratorCommand): Promise<unknown> {
  switch (command.type) {
    case 'open': {
      return generator.open(command);
    }

    case 'retarget': {
      await generator.retarget(command);
      return undefined;
    }

    case 'rate': {
      return generator.rate(command);
    }

    case 'saturate': {
      return generator.saturate(command);
    }

    case 'spray': {
      return generator.spray(command);
    }

    case 'close': {
      await generator.close();
      return undefined;
    }

    case 'watch': {
      watched = command.pids;
      return undefined;
    }
  }
}

function reply(message: GeneratorReply): void {
  process.send?.(message);
}

// Should the benchmark vanish, take its servers down with it and go: nothing outlives a run.
process.on('disconnect', () => {
  for (const pid of watched) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone already.
    }
  }

  process.exit(0);
});

process.on('message', (message: GeneratorRequest) => {
  run(message.command).then(
    (value) => {
      reply({type: 'done', id: message.id, value});
    },
    (error: unknown) => {
      reply({
        type: 'failed',
        id: message.id,
        message: error instanceof Error ? error.message : String(error),
      });
    },
  );
});

reply({type: 'ready'});
