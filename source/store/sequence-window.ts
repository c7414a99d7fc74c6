import {
  ClientTable,
  f64PerSlot,
  i32PerSlot,
  seqDuplicatesField,
  seqHighField,
  seqLastField,
  seqLostField,
  seqLowField,
  seqReorderedField,
  seqRestartsField,
} from './client-table.js';

/** How far back a late arrival can still be told apart from a duplicate. */
export const sequenceWindowSize = 64;

/**
 * Sequence analysis of one client (docs/protocol.md, "Sequence numbers"), O(1) per heartbeat.
 *
 * Like IPsec anti-replay, a 64-bit bitmap remembers the last 64 numbers up to the highest seen:
 * bit i stands for `last - i` and is clear while that number is counted lost. The bitmap is two
 * int32 halves (low bits 0–31, high bits 32–63) so that nothing is allocated per packet and no
 * BigInt is needed.
 *
 * The state lives in a `ClientTable` at `slot`: a window of its own by default, or a cursor that
 * the store points at one client after another, so that no client holds an object for it.
 */
export class SequenceWindow {
  /** The slot read and written: set it to move the cursor to another client. */
  slot: number;
  readonly #table: ClientTable;

  constructor(table?: ClientTable, slot = 0) {
    if (table === undefined) {
      this.#table = new ClientTable(1);
      this.#table.clear(0, 0);
    } else {
      this.#table = table;
    }

    this.slot = slot;
  }

  /** Sequence numbers that never arrived, net of those that arrived late. */
  get lost(): number {
    return this.#table.f64[this.slot * f64PerSlot + seqLostField]!;
  }

  get reordered(): number {
    return this.#table.f64[this.slot * f64PerSlot + seqReorderedField]!;
  }

  get duplicates(): number {
    return this.#table.f64[this.slot * f64PerSlot + seqDuplicatesField]!;
  }

  get restarts(): number {
    return this.#table.f64[this.slot * f64PerSlot + seqRestartsField]!;
  }

  /** The highest sequence number since the last restart, undefined before the first. */
  get last(): number | undefined {
    const last = this.#table.f64[this.slot * f64PerSlot + seqLastField]!;
    return last < 0 ? undefined : last;
  }

  /** Analyses one arrival; returns how many numbers it newly counted lost (the gap it revealed). */
  record(seq: number): number {
    const {f64} = this.#table;
    const base = this.slot * f64PerSlot;
    const last = f64[base + seqLastField]!;
    if (last < 0) {
      this.#startOver(seq);
      return 0;
    }

    if (seq > last) {
      // Exact: both are integers up to 2^53 - 1, so the difference is too.
      const step = seq - last;
      this.#advance(step);
      f64[base + seqLastField] = seq;
      f64[base + seqLostField] = f64[base + seqLostField]! + (step - 1);
      return step - 1;
    }

    if (seq <= 1 && last > 1) {
      f64[base + seqRestartsField] = f64[base + seqRestartsField]! + 1;
      this.#startOver(seq);
      return 0;
    }

    const distance = last - seq;
    if (
      distance > 0 &&
      distance < sequenceWindowSize &&
      !this.#arrived(distance)
    ) {
      this.#markArrived(distance);
      f64[base + seqLostField] = f64[base + seqLostField]! - 1;
      f64[base + seqReorderedField] = f64[base + seqReorderedField]! + 1;
      return 0;
    }

    f64[base + seqDuplicatesField] = f64[base + seqDuplicatesField]! + 1;
    return 0;
  }

  /** Zeroes the counters but keeps the position, so the next heartbeat is analysed as usual. */
  resetCounters(): void {
    const {f64} = this.#table;
    const base = this.slot * f64PerSlot;
    f64[base + seqLostField] = 0;
    f64[base + seqReorderedField] = 0;
    f64[base + seqDuplicatesField] = 0;
    f64[base + seqRestartsField] = 0;
    // Numbers counted lost before the reset are no longer counted: a late one must not go below zero.
    this.#setBits(-1, -1);
  }

  #startOver(seq: number): void {
    this.#table.f64[this.slot * f64PerSlot + seqLastField] = seq;
    // Nothing before the first number is counted lost: anything older is a duplicate.
    this.#setBits(-1, -1);
  }

  #setBits(low: number, high: number): void {
    const {i32} = this.#table;
    const base = this.slot * i32PerSlot;
    i32[base + seqLowField] = low;
    i32[base + seqHighField] = high;
  }

  /** Shifts the window up by `step` (≥ 1) numbers: the new top arrived, those skipped did not. */
  #advance(step: number): void {
    const {i32} = this.#table;
    const base = this.slot * i32PerSlot;
    const low = i32[base + seqLowField]!;
    const high = i32[base + seqHighField]!;
    if (step >= sequenceWindowSize) {
      this.#setBits(1, 0);
    } else if (step >= 32) {
      this.#setBits(1, low << (step - 32));
    } else {
      this.#setBits((low << step) | 1, (high << step) | (low >>> (32 - step)));
    }
  }

  #arrived(distance: number): boolean {
    const {i32} = this.#table;
    const base = this.slot * i32PerSlot;
    return distance < 32
      ? ((i32[base + seqLowField]! >>> distance) & 1) === 1
      : ((i32[base + seqHighField]! >>> (distance - 32)) & 1) === 1;
  }

  #markArrived(distance: number): void {
    const {i32} = this.#table;
    const base = this.slot * i32PerSlot;
    if (distance < 32) {
      i32[base + seqLowField] = i32[base + seqLowField]! | (1 << distance);
    } else {
      i32[base + seqHighField] =
        i32[base + seqHighField]! | (1 << (distance - 32));
    }
  }
}
