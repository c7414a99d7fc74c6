import type {Heartbeat} from '../protocol/types.js';
import {clientKey} from './client-key.js';
import {LivenessDetector} from './liveness.js';
import {SequenceWindow} from './sequence-window.js';
import {
  historyLength,
  type ClientRecord,
  type Liveness,
  type Outcome,
} from './types.js';

/** Outcomes as 2-bit codes, the order of `outcomes`. */
const replied = 0;
const dropped = 1;
const lost = 2;
const malformed = 3;
const outcomes: readonly Outcome[] = [
  'replied',
  'dropped',
  'lost',
  'malformed',
];

/** The history strip is two 24-bit halves of 12 outcomes each, the newest in the low bits of `#historyLow`. */
const outcomesPerHalf = historyLength / 2;
const halfMask = (1 << (2 * outcomesPerHalf)) - 1;
const topShift = 2 * (outcomesPerHalf - 1);

/** Error replies a client may draw: one per this many milliseconds. */
export const errorReplyIntervalMs = 1000;

/** Time zones are whole quarter hours apart from UTC, and none is more than 14 hours from it. */
export const clockOffsetStepMs = 15 * 60_000;
export const maxClockOffsetMs = 14 * 3_600_000;
/** A delay within this of a quarter hour is read as that time zone's offset, not as a delay. */
export const clockOffsetToleranceMs = 10_000;

function orUndefined(value: number): number | undefined {
  return Number.isNaN(value) ? undefined : value;
}

// Where each floating-point value sits in a client's `#numbers`.
const firstSeenAt = 0;
const lastSeenAt = 1;
const lastHeartbeatAt = 2;
const lastErrorReplyAt = 3;
const delayLastAt = 4;
const delayMinAt = 5;
const delayMaxAt = 6;
const delaySumAt = 7;
const jitterAt = 8;

/**
 * The mutable state of one client. Only the store writes to it; readers see a `ClientRecord`.
 *
 * Memory counts (a server may track 100000 clients) and so does the packet path:
 * - V8 boxes every floating-point field of an object (16 bytes more each), so the times and
 *   delays sit unboxed in one array of doubles; it only ever holds numbers, so it stays a packed
 *   double array and is updated in place.
 * - Values that may be absent are NaN (or -1 for integers) there and shown as undefined.
 * - Integers stay small integers (Smis): counters, the history strip, the sequence number.
 */
export class ClientState implements ClientRecord {
  readonly key: string;
  /** Where the client sent from last: a client keyed by name (`--client-key name`) may move. */
  address: string;
  port: number;
  /** The label of the latest heartbeat: set by the store, which shares one string per label. */
  label: string | undefined = undefined;
  /** The name its heartbeats give it, and the other fields of the latest structured one. */
  name: string | undefined = undefined;
  fields: ReadonlyArray<readonly [string, string]> | undefined = undefined;
  state: Liveness = 'alive';

  received = 0;
  replied = 0;
  dropped = 0;
  malformed = 0;
  /** Error replies held back by the rate limit: replied + dropped + unanswered = received. */
  unanswered = 0;
  droppedSinceReply = 0;

  readonly sequence = new SequenceWindow();
  readonly liveness = new LivenessDetector();

  // Bookkeeping of the store: least-recently-seen order and the slot of the liveness deadline.
  older: ClientState | undefined = undefined;
  newer: ClientState | undefined = undefined;
  slot = -1;

  readonly #numbers: number[];
  /** Sequence number of the latest heartbeat itself, for its reply event; -1 for none. */
  #heartbeatSeq = -1;
  /** Whether the latest heartbeat carried a timestamp (its delay is then the last delay). */
  #heartbeatHadTimestamp = false;
  /** Whether the latest datagram was malformed: its reply shows in the history as malformed. */
  #latestMalformed = false;
  /** How far the client's clock runs ahead of the server's (its time zone), a small integer. */
  #clockOffsetMs = 0;
  #delayCount = 0;
  #historyLow = 0;
  #historyHigh = 0;
  #historyCount = 0;

  constructor(
    address: string,
    port: number,
    now: number,
    key = clientKey(address, port),
  ) {
    this.key = key;
    this.address = address;
    this.port = port;
    // lastSeen stays NaN until the store records the first datagram, at once after creating the record.
    this.#numbers = [
      now,
      Number.NaN,
      Number.NaN,
      Number.NEGATIVE_INFINITY,
      Number.NaN,
      Number.NaN,
      Number.NaN,
      0,
      0,
    ];
  }

  get firstSeen(): number {
    return this.#numbers[firstSeenAt]!;
  }

  get lastSeen(): number {
    return this.#numbers[lastSeenAt]!;
  }

  set lastSeen(time: number) {
    this.#numbers[lastSeenAt] = time;
  }

  get lost(): number {
    return this.sequence.lost;
  }

  get duplicates(): number {
    return this.sequence.duplicates;
  }

  get reordered(): number {
    return this.sequence.reordered;
  }

  get restarts(): number {
    return this.sequence.restarts;
  }

  /** The highest sequence number (since the last restart): a late or duplicate one does not move it back. */
  get lastSeq(): number | undefined {
    return this.sequence.last;
  }

  get lastHeartbeat(): number | undefined {
    return orUndefined(this.#numbers[lastHeartbeatAt]!);
  }

  /** The sequence number of the latest heartbeat, undefined when it carried none. */
  get heartbeatSeq(): number | undefined {
    return this.#heartbeatSeq < 0 ? undefined : this.#heartbeatSeq;
  }

  /** The delay of the latest heartbeat, undefined when it carried no timestamp. */
  get heartbeatDelayMs(): number | undefined {
    return this.#heartbeatHadTimestamp ? this.#numbers[delayLastAt] : undefined;
  }

  /**
   * How far the client's clock runs ahead of the server's, in milliseconds, when it runs in
   * another time zone (-19800000: 5:30 behind); undefined when it keeps the server's time. Every
   * delay is net of it.
   */
  get clockOffsetMs(): number | undefined {
    return this.#clockOffsetMs === 0 ? undefined : this.#clockOffsetMs;
  }

  get delayLastMs(): number | undefined {
    return orUndefined(this.#numbers[delayLastAt]!);
  }

  get delayMinMs(): number | undefined {
    return orUndefined(this.#numbers[delayMinAt]!);
  }

  get delayMaxMs(): number | undefined {
    return orUndefined(this.#numbers[delayMaxAt]!);
  }

  get delayAvgMs(): number | undefined {
    return this.#delayCount === 0
      ? undefined
      : this.#numbers[delaySumAt]! / this.#delayCount;
  }

  /** Defined from the second delay on: jitter is a change between two delays. */
  get jitterMs(): number | undefined {
    return this.#delayCount < 2 ? undefined : this.#numbers[jitterAt];
  }

  get intervalMeanMs(): number | undefined {
    return this.liveness.meanMs;
  }

  get intervalStdDevMs(): number | undefined {
    return this.liveness.stdDevMs;
  }

  get lossPercent(): number | undefined {
    const lostCount = this.sequence.lost;
    const expected = this.received + lostCount;
    return expected === 0
      ? undefined
      : ((this.dropped + lostCount) * 100) / expected;
  }

  history(): Outcome[] {
    const count = Math.min(this.#historyCount, historyLength);
    const result: Outcome[] = [];
    for (let age = count - 1; age >= 0; age--) {
      const code =
        age < outcomesPerHalf
          ? (this.#historyLow >>> (2 * age)) & 3
          : (this.#historyHigh >>> (2 * (age - outcomesPerHalf))) & 3;
      result.push(outcomes[code]!);
    }

    return result;
  }

  /** Counts a well-formed heartbeat: sequence analysis and delay statistics (the store sets the label). */
  recordHeartbeat(request: Heartbeat, now: number): void {
    this.received++;
    this.#latestMalformed = false;
    this.#numbers[lastHeartbeatAt] = now;

    const {seq, timestampMs} = request;
    if (seq === undefined) {
      this.#heartbeatSeq = -1;
    } else {
      this.#heartbeatSeq = seq;
      const gap = this.sequence.record(seq);
      if (gap > 0) {
        // A huge gap shows as a full strip of losses, never as a loop per missing number.
        this.#pushOutcomes(lost, Math.min(gap, historyLength));
      }
    }

    this.#heartbeatHadTimestamp = timestampMs !== undefined;
    if (timestampMs !== undefined) {
      this.#recordDelay(this.#netDelay(now - timestampMs));
    }
  }

  /** At most one error reply per second (docs/protocol.md): true takes this second's. */
  mayReplyError(now: number): boolean {
    if (now - this.#numbers[lastErrorReplyAt]! < errorReplyIntervalMs) {
      return false;
    }

    this.#numbers[lastErrorReplyAt] = now;
    return true;
  }

  /** Counts a malformed datagram: received, and malformed; its reply (or none) is counted next. */
  recordMalformed(): void {
    this.received++;
    this.malformed++;
    this.#latestMalformed = true;
    // Its reply event carries no sequence number or delay of an earlier heartbeat.
    this.#heartbeatSeq = -1;
    this.#heartbeatHadTimestamp = false;
  }

  /** The error reply to the latest (malformed) datagram was held back by the rate limit. */
  recordUnanswered(): void {
    this.unanswered++;
    this.#pushOutcomes(malformed, 1);
  }

  /** Counts the fate of the reply to the latest datagram, whatever the reply was. */
  recordReply(sent: boolean): void {
    if (sent) {
      this.replied++;
      this.droppedSinceReply = 0;
    } else {
      this.dropped++;
      this.droppedSinceReply++;
    }

    // One outcome per datagram: a malformed one shows as malformed whatever its reply's fate.
    this.#pushOutcomes(
      this.#latestMalformed ? malformed : sent ? replied : dropped,
      1,
    );
  }

  /** Zeroes counters, statistics and history; keeps identity, sequence position and liveness. */
  resetCounters(): void {
    this.received = 0;
    this.replied = 0;
    this.dropped = 0;
    this.malformed = 0;
    this.unanswered = 0;
    this.droppedSinceReply = 0;
    this.sequence.resetCounters();
    this.#heartbeatHadTimestamp = false;
    const numbers = this.#numbers;
    numbers[delayLastAt] = Number.NaN;
    numbers[delayMinAt] = Number.NaN;
    numbers[delayMaxAt] = Number.NaN;
    numbers[delaySumAt] = 0;
    numbers[jitterAt] = 0;
    this.#delayCount = 0;
    this.#historyLow = 0;
    this.#historyHigh = 0;
    this.#historyCount = 0;
  }

  /**
   * The delay net of the client's time zone. A raw delay within 10 s of a whole quarter hour (up
   * to 14 h) names the zone: a client in UTC heard by a server in UTC+5:30 sends times 5:30 behind.
   * The zone stays until a delay names another one (0 included), so that a late heartbeat whose
   * delay is minutes is reported as minutes late.
   */
  #netDelay(rawDelay: number): number {
    const nearest =
      Math.round(rawDelay / clockOffsetStepMs) * clockOffsetStepMs;
    if (
      Math.abs(nearest) <= maxClockOffsetMs &&
      Math.abs(rawDelay - nearest) <= clockOffsetToleranceMs
    ) {
      // 0 - x, never -x: -0 would not stay a small integer.
      this.#clockOffsetMs = 0 - nearest;
    }

    return rawDelay + this.#clockOffsetMs;
  }

  #recordDelay(delay: number): void {
    const numbers = this.#numbers;
    if (this.#delayCount === 0) {
      numbers[delayMinAt] = delay;
      numbers[delayMaxAt] = delay;
    } else {
      // RFC 3550 6.4.1: J += (|D| - J) / 16, D the change in transit time between arrivals.
      const change = Math.abs(delay - numbers[delayLastAt]!);
      const jitter = numbers[jitterAt]!;
      numbers[jitterAt] = jitter + (change - jitter) / 16;
      if (delay < numbers[delayMinAt]!) {
        numbers[delayMinAt] = delay;
      }

      if (delay > numbers[delayMaxAt]!) {
        numbers[delayMaxAt] = delay;
      }
    }

    numbers[delayLastAt] = delay;
    numbers[delaySumAt] = numbers[delaySumAt]! + delay;
    this.#delayCount++;
  }

  /** Appends `count` (1 to historyLength) copies of an outcome to the strip. */
  #pushOutcomes(code: number, count: number): void {
    let low = this.#historyLow;
    let high = this.#historyHigh;
    for (let i = 0; i < count; i++) {
      high = ((high << 2) | (low >>> topShift)) & halfMask;
      low = ((low << 2) | code) & halfMask;
    }

    this.#historyLow = low;
    this.#historyHigh = high;
    this.#historyCount += count;
    if (this.#historyCount > historyLength) {
      this.#historyCount = historyLength;
    }
  }
}
