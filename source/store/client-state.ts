import {
  type Heartbeat,
  historyLength,
  livenessStates,
  type ClientRecord,
  type Liveness,
  type Outcome,
} from '../vocabulary.js';
import {clientKey} from './client-key.js';
import {
  clockOffsetField,
  ClientTable,
  delayCountField,
  delayLastField,
  delayMaxField,
  delayMinField,
  delaySumField,
  detectorRingField,
  droppedField,
  droppedSinceReplyField,
  f64PerSlot,
  firstSeenField,
  flagsField,
  hadTimestampFlag,
  heartbeatSeqField,
  historyCountField,
  historyHighField,
  historyLowField,
  i32PerSlot,
  jitterField,
  lastErrorReplyField,
  lastHeartbeatField,
  lastSeenField,
  latestMalformedFlag,
  malformedField,
  receivedField,
  repliedField,
  u8PerSlot,
  unansweredField,
} from './client-table.js';
import {LivenessDetector} from './liveness.js';
import {SequenceWindow} from './sequence-window.js';

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

/**
 * Where a store keeps its clients' numbers, with the cursors that read a client's sequence window
 * and liveness detector there. One per store, shared by its clients; a client outside any store
 * (forgotten, or made on its own) has one of its own with a single slot.
 */
export class ClientColumns {
  readonly table: ClientTable;
  readonly sequence: SequenceWindow;
  readonly liveness: LivenessDetector;
  /** True for a client's own single slot: it is in no store. */
  readonly own: boolean;

  constructor(table: ClientTable, own = false) {
    this.table = table;
    this.sequence = new SequenceWindow(table);
    this.liveness = new LivenessDetector(table);
    this.own = own;
  }
}

/**
 * What a still copy keeps of its clients beside their numbers, one array per field (no object per
 * client): what may change while the copy is read.
 */
export type StillCopyColumns = {
  readonly records: readonly ClientState[];
  readonly addresses: readonly string[];
  readonly ports: Uint16Array;
  readonly labels: ReadonlyArray<string | undefined>;
  readonly names: ReadonlyArray<string | undefined>;
  readonly fields: ReadonlyArray<ClientState['fields']>;
  readonly states: Uint8Array;
};

/**
 * The mutable state of one client. Only the store writes to it; readers see a `ClientRecord`.
 *
 * Memory counts (a server may track 100000 clients) and so does the packet path: the object holds
 * only what is not a number (its key, address, label and state, its neighbours in the store's
 * least-recently-seen list) and its slot; every number sits in the store's `ClientTable`, where
 * nothing is boxed and the garbage collector has nothing to scan. Values that may be absent are
 * NaN (or -1) there and shown as undefined.
 */
export class ClientState implements ClientRecord {
  // Not readonly: a still copy's cursor is pointed at one client after another (`pointAt`).
  key: string;
  /** Where the client sent from last: a client keyed by name (`--client-key name`) may move. */
  address: string;
  port: number;
  /** The label of the latest heartbeat: set by the store, which shares one string per label. */
  label: string | undefined = undefined;
  /** The name its heartbeats give it, and the other fields of the latest structured one. */
  name: string | undefined = undefined;
  fields: ReadonlyArray<readonly [string, string]> | undefined = undefined;
  state: Liveness = 'alive';

  // Bookkeeping of the store: least-recently-seen order.
  older: ClientState | undefined = undefined;
  newer: ClientState | undefined = undefined;

  #columns: ClientColumns;
  /** The slot of the client's numbers in `#columns.table`. */
  #at: number;

  constructor(
    address: string,
    port: number,
    now: number,
    key = clientKey(address, port),
    columns = new ClientColumns(new ClientTable(1), true),
    slot = 0,
  ) {
    this.key = key;
    this.address = address;
    this.port = port;
    this.#columns = columns;
    this.#at = slot;
    if (!Number.isNaN(now)) {
      columns.table.clear(slot, now);
    }
  }

  /** The client's slot in its store, -1 once it left it (or when it was made on its own). */
  get slot(): number {
    return this.#columns.own ? -1 : this.#at;
  }

  /** The client's sequence window: a cursor, valid until another client's is asked for. */
  get sequence(): SequenceWindow {
    const {sequence} = this.#columns;
    sequence.slot = this.#at;
    return sequence;
  }

  /** The client's liveness detector: a cursor, valid until another client's is asked for. */
  get liveness(): LivenessDetector {
    const {liveness} = this.#columns;
    liveness.slot = this.#at;
    return liveness;
  }

  /**
   * Points this record at another client of a still copy: its identity and the slot of its
   * numbers in the copy's table. Only a still copy's cursor is ever pointed elsewhere.
   */
  pointAt(copy: StillCopyColumns, index: number, slot: number): void {
    this.key = copy.records[index]!.key;
    this.address = copy.addresses[index]!;
    this.port = copy.ports[index]!;
    this.label = copy.labels[index];
    this.name = copy.names[index];
    this.fields = copy.fields[index];
    this.state = livenessStates[copy.states[index]!]!;
    this.#at = slot;
  }

  /** The store moved the client's numbers to another slot (it filled a hole with its last one). */
  moveTo(slot: number): void {
    this.#at = slot;
  }

  /**
   * The client leaves its store: its numbers move to a single slot of its own, so that a reader
   * still holding it reads what it last showed (its interval statistics too, from the sums).
   * Its interval ring was given back: it holds no intervals.
   */
  detach(): void {
    const table = new ClientTable(1);
    this.#columns.table.copy(this.#at, 0, table);
    table.i32[detectorRingField] = -1;
    this.#columns = new ClientColumns(table, true);
    this.#at = 0;
  }

  get received(): number {
    return this.#f64(receivedField);
  }

  get replied(): number {
    return this.#f64(repliedField);
  }

  get dropped(): number {
    return this.#f64(droppedField);
  }

  get malformed(): number {
    return this.#f64(malformedField);
  }

  /** Error replies held back by the rate limit: replied + dropped + unanswered = received. */
  get unanswered(): number {
    return this.#f64(unansweredField);
  }

  get droppedSinceReply(): number {
    return this.#f64(droppedSinceReplyField);
  }

  get firstSeen(): number {
    return this.#f64(firstSeenField);
  }

  get lastSeen(): number {
    return this.#f64(lastSeenField);
  }

  set lastSeen(time: number) {
    this.#columns.table.f64[this.#at * f64PerSlot + lastSeenField] = time;
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
    return orUndefined(this.#f64(lastHeartbeatField));
  }

  /** The sequence number of the latest heartbeat, undefined when it carried none. */
  get heartbeatSeq(): number | undefined {
    const seq = this.#f64(heartbeatSeqField);
    return seq < 0 ? undefined : seq;
  }

  /** The delay of the latest heartbeat, undefined when it carried no timestamp. */
  get heartbeatDelayMs(): number | undefined {
    return (this.#flags() & hadTimestampFlag) === 0
      ? undefined
      : this.#f64(delayLastField);
  }

  /**
   * How far the client's clock runs ahead of the server's, in milliseconds, when it runs in
   * another time zone (-19800000: 5:30 behind); undefined when it keeps the server's time. Every
   * delay is net of it.
   */
  get clockOffsetMs(): number | undefined {
    const offset =
      this.#columns.table.i32[this.#at * i32PerSlot + clockOffsetField]!;
    return offset === 0 ? undefined : offset;
  }

  get delayLastMs(): number | undefined {
    return orUndefined(this.#f64(delayLastField));
  }

  get delayMinMs(): number | undefined {
    return orUndefined(this.#f64(delayMinField));
  }

  get delayMaxMs(): number | undefined {
    return orUndefined(this.#f64(delayMaxField));
  }

  get delayAvgMs(): number | undefined {
    const count = this.#f64(delayCountField);
    return count === 0 ? undefined : this.#f64(delaySumField) / count;
  }

  /** Defined from the second delay on: jitter is a change between two delays. */
  get jitterMs(): number | undefined {
    return this.#f64(delayCountField) < 2 ? undefined : this.#f64(jitterField);
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
    const {i32, u8} = this.#columns.table;
    const count = Math.min(
      u8[this.#at * u8PerSlot + historyCountField]!,
      historyLength,
    );
    const low = i32[this.#at * i32PerSlot + historyLowField]!;
    const high = i32[this.#at * i32PerSlot + historyHighField]!;
    const result: Outcome[] = [];
    for (let age = count - 1; age >= 0; age--) {
      const code =
        age < outcomesPerHalf
          ? (low >>> (2 * age)) & 3
          : (high >>> (2 * (age - outcomesPerHalf))) & 3;
      result.push(outcomes[code]!);
    }

    return result;
  }

  /** Counts a well-formed heartbeat: sequence analysis and delay statistics (the store sets the label). */
  recordHeartbeat(request: Heartbeat, now: number): void {
    const {f64} = this.#columns.table;
    const base = this.#at * f64PerSlot;
    f64[base + receivedField] = f64[base + receivedField]! + 1;
    f64[base + lastHeartbeatField] = now;
    let flags = this.#flags() & ~(latestMalformedFlag | hadTimestampFlag);

    const {seq, timestampMs} = request;
    if (seq === undefined) {
      f64[base + heartbeatSeqField] = -1;
    } else {
      f64[base + heartbeatSeqField] = seq;
      const gap = this.sequence.record(seq);
      if (gap > 0) {
        // A huge gap shows as a full strip of losses, never as a loop per missing number.
        this.#pushOutcomes(lost, Math.min(gap, historyLength));
      }
    }

    if (timestampMs !== undefined) {
      flags |= hadTimestampFlag;
      this.#recordDelay(this.#netDelay(now - timestampMs));
    }

    this.#columns.table.u8[this.#at * u8PerSlot + flagsField] = flags;
  }

  /** At most one error reply per second (docs/protocol.md): true takes this second's. */
  mayReplyError(now: number): boolean {
    const {f64} = this.#columns.table;
    const at = this.#at * f64PerSlot + lastErrorReplyField;
    if (now - f64[at]! < errorReplyIntervalMs) {
      return false;
    }

    f64[at] = now;
    return true;
  }

  /** Counts a malformed datagram: received, and malformed; its reply (or none) is counted next. */
  recordMalformed(): void {
    const {f64, u8} = this.#columns.table;
    const base = this.#at * f64PerSlot;
    f64[base + receivedField] = f64[base + receivedField]! + 1;
    f64[base + malformedField] = f64[base + malformedField]! + 1;
    // Its reply event carries no sequence number or delay of an earlier heartbeat.
    f64[base + heartbeatSeqField] = -1;
    u8[this.#at * u8PerSlot + flagsField] = latestMalformedFlag;
  }

  /** The error reply to the latest (malformed) datagram was held back by the rate limit. */
  recordUnanswered(): void {
    this.#columns.table.f64[this.#at * f64PerSlot + unansweredField] =
      this.#columns.table.f64[this.#at * f64PerSlot + unansweredField]! + 1;
    this.#pushOutcomes(malformed, 1);
  }

  /** Counts the fate of the reply to the latest datagram, whatever the reply was. */
  recordReply(sent: boolean): void {
    const {f64} = this.#columns.table;
    const base = this.#at * f64PerSlot;
    if (sent) {
      f64[base + repliedField] = f64[base + repliedField]! + 1;
      f64[base + droppedSinceReplyField] = 0;
    } else {
      f64[base + droppedField] = f64[base + droppedField]! + 1;
      f64[base + droppedSinceReplyField] =
        f64[base + droppedSinceReplyField]! + 1;
    }

    // One outcome per datagram: a malformed one shows as malformed whatever its reply's fate.
    this.#pushOutcomes(
      (this.#flags() & latestMalformedFlag) === 0
        ? sent
          ? replied
          : dropped
        : malformed,
      1,
    );
  }

  /** Zeroes counters, statistics and history; keeps identity, sequence position and liveness. */
  resetCounters(): void {
    const {f64, i32, u8} = this.#columns.table;
    const base = this.#at * f64PerSlot;
    f64[base + receivedField] = 0;
    f64[base + repliedField] = 0;
    f64[base + droppedField] = 0;
    f64[base + malformedField] = 0;
    f64[base + unansweredField] = 0;
    f64[base + droppedSinceReplyField] = 0;
    this.sequence.resetCounters();
    u8[this.#at * u8PerSlot + flagsField] =
      u8[this.#at * u8PerSlot + flagsField]! & ~hadTimestampFlag;
    f64[base + delayLastField] = Number.NaN;
    f64[base + delayMinField] = Number.NaN;
    f64[base + delayMaxField] = Number.NaN;
    f64[base + delaySumField] = 0;
    f64[base + jitterField] = 0;
    f64[base + delayCountField] = 0;
    i32[this.#at * i32PerSlot + historyLowField] = 0;
    i32[this.#at * i32PerSlot + historyHighField] = 0;
    u8[this.#at * u8PerSlot + historyCountField] = 0;
  }

  #f64(field: number): number {
    return this.#columns.table.f64[this.#at * f64PerSlot + field]!;
  }

  #flags(): number {
    return this.#columns.table.u8[this.#at * u8PerSlot + flagsField]!;
  }

  /**
   * The delay net of the client's time zone. A raw delay within 10 s of a whole quarter hour (up
   * to 14 h) names the zone: a client in UTC heard by a server in UTC+5:30 sends times 5:30 behind.
   * The zone stays until a delay names another one (0 included), so that a late heartbeat whose
   * delay is minutes is reported as minutes late.
   */
  #netDelay(rawDelay: number): number {
    const {i32} = this.#columns.table;
    const at = this.#at * i32PerSlot + clockOffsetField;
    const nearest =
      Math.round(rawDelay / clockOffsetStepMs) * clockOffsetStepMs;
    if (
      Math.abs(nearest) <= maxClockOffsetMs &&
      Math.abs(rawDelay - nearest) <= clockOffsetToleranceMs
    ) {
      // 0 - x, never -x: an offset of -0 would read as a zone.
      i32[at] = 0 - nearest;
    }

    return rawDelay + i32[at]!;
  }

  #recordDelay(delay: number): void {
    const {f64} = this.#columns.table;
    const base = this.#at * f64PerSlot;
    if (f64[base + delayCountField] === 0) {
      f64[base + delayMinField] = delay;
      f64[base + delayMaxField] = delay;
    } else {
      // RFC 3550 6.4.1: J += (|D| - J) / 16, D the change in transit time between arrivals.
      const change = Math.abs(delay - f64[base + delayLastField]!);
      const jitter = f64[base + jitterField]!;
      f64[base + jitterField] = jitter + (change - jitter) / 16;
      if (delay < f64[base + delayMinField]!) {
        f64[base + delayMinField] = delay;
      }

      if (delay > f64[base + delayMaxField]!) {
        f64[base + delayMaxField] = delay;
      }
    }

    f64[base + delayLastField] = delay;
    f64[base + delaySumField] = f64[base + delaySumField]! + delay;
    f64[base + delayCountField] = f64[base + delayCountField]! + 1;
  }

  /** Appends `count` (1 to historyLength) copies of an outcome to the strip. */
  #pushOutcomes(code: number, count: number): void {
    const {i32, u8} = this.#columns.table;
    const intBase = this.#at * i32PerSlot;
    let low = i32[intBase + historyLowField]!;
    let high = i32[intBase + historyHighField]!;
    for (let i = 0; i < count; i++) {
      high = ((high << 2) | (low >>> topShift)) & halfMask;
      low = ((low << 2) | code) & halfMask;
    }

    i32[intBase + historyLowField] = low;
    i32[intBase + historyHighField] = high;
    const countAt = this.#at * u8PerSlot + historyCountField;
    u8[countAt] = Math.min(historyLength, u8[countAt]! + count);
  }
}
