/** Heartbeats are counted in buckets of this many milliseconds … */
const bucketMs = 100;
/** … and the rate is taken over this many whole buckets before the current one (3 s). */
const windowBuckets = 30;
const ringSize = 32;
/** Ring index of a bucket number: `& mask` is exact for any safe integer, negative ones too. */
const ringMask = ringSize - 1;

/**
 * Heartbeats per second over the last 3 seconds: a ring of per-100 ms counts, so counting is O(1)
 * and the rate moves smoothly as buckets age out.
 */
export class HeartbeatRate {
  readonly #startedAt: number;
  readonly #buckets = new Uint32Array(ringSize);
  /** The bucket number (time / 100 ms) that the ring has reached; NaN before the first use. */
  #current = Number.NaN;

  /** `startedAt` keeps the rate right before a whole window has passed. */
  constructor(startedAt: number) {
    this.#startedAt = startedAt;
  }

  count(now: number): void {
    this.#advance(Math.floor(now / bucketMs));
    this.#buckets[this.#current & ringMask]!++;
  }

  perSecond(now: number): number {
    this.#advance(Math.floor(now / bucketMs));
    const current = this.#current;
    let count = 0;
    for (let back = 0; back <= windowBuckets; back++) {
      count += this.#buckets[(current - back) & ringMask]!;
    }

    const windowStart = Math.max(
      (current - windowBuckets) * bucketMs,
      this.#startedAt,
    );
    const elapsed = now - windowStart;
    return elapsed > 0 ? (count * 1000) / elapsed : 0;
  }

  /** Moves the ring on to `bucket`, clearing the buckets it passes (at most the whole ring). */
  #advance(bucket: number): void {
    const current = this.#current;
    if (Number.isNaN(current)) {
      this.#current = bucket;
      return;
    }

    // A clock that steps back counts into the current bucket.
    if (bucket <= current) {
      return;
    }

    const steps = Math.min(bucket - current, ringSize);
    for (let step = 1; step <= steps; step++) {
      this.#buckets[(current + step) & ringMask] = 0;
    }

    this.#current = bucket;
  }
}
