/** How far back a late arrival can still be told apart from a duplicate. */
export const sequenceWindowSize = 64;

/**
 * Sequence analysis of one client (docs/protocol.md, "Sequence numbers"), O(1) per heartbeat.
 *
 * Like IPsec anti-replay, a 64-bit bitmap remembers the last 64 numbers up to the highest seen:
 * bit i stands for `last - i` and is clear while that number is counted lost. The bitmap is two
 * int32 halves (`#low` bits 0–31, `#high` bits 32–63) so that nothing is allocated per packet
 * and no BigInt is needed.
 */
export class SequenceWindow {
  /** Sequence numbers that never arrived, net of those that arrived late. */
  lost = 0;
  reordered = 0;
  duplicates = 0;
  restarts = 0;
  /** The highest sequence number since the last restart; -1 before the first. */
  #last = -1;
  #low = -1;
  #high = -1;

  /** The highest sequence number since the last restart, undefined before the first. */
  get last(): number | undefined {
    return this.#last < 0 ? undefined : this.#last;
  }

  /** Analyses one arrival; returns how many numbers it newly counted lost (the gap it revealed). */
  record(seq: number): number {
    const last = this.#last;
    if (last < 0) {
      this.#startOver(seq);
      return 0;
    }

    if (seq > last) {
      // Exact: both are integers up to 2^53 - 1, so the difference is too.
      const step = seq - last;
      this.#advance(step);
      this.#last = seq;
      this.lost += step - 1;
      return step - 1;
    }

    if (seq <= 1 && last > 1) {
      this.restarts++;
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
      this.lost--;
      this.reordered++;
      return 0;
    }

    this.duplicates++;
    return 0;
  }

  /** Zeroes the counters but keeps the position, so the next heartbeat is analysed as usual. */
  resetCounters(): void {
    this.lost = 0;
    this.reordered = 0;
    this.duplicates = 0;
    this.restarts = 0;
    // Numbers counted lost before the reset are no longer counted: a late one must not go below zero.
    this.#low = -1;
    this.#high = -1;
  }

  #startOver(seq: number): void {
    this.#last = seq;
    // Nothing before the first number is counted lost: anything older is a duplicate.
    this.#low = -1;
    this.#high = -1;
  }

  /** Shifts the window up by `step` (≥ 1) numbers: the new top arrived, those skipped did not. */
  #advance(step: number): void {
    if (step >= sequenceWindowSize) {
      this.#high = 0;
      this.#low = 1;
    } else if (step >= 32) {
      this.#high = this.#low << (step - 32);
      this.#low = 1;
    } else {
      this.#high = (this.#high << step) | (this.#low >>> (32 - step));
      this.#low = (this.#low << step) | 1;
    }
  }

  #arrived(distance: number): boolean {
    return distance < 32
      ? ((this.#low >>> distance) & 1) === 1
      : ((this.#high >>> (distance - 32)) & 1) === 1;
  }

  #markArrived(distance: number): void {
    if (distance < 32) {
      this.#low |= 1 << distance;
    } else {
      this.#high |= 1 << (distance - 32);
    }
  }
}
