/** Upper bounds of the delay buckets, in seconds: loopback to a slow satellite link. */
export const delayBucketBoundsSeconds: readonly number[] = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
  10,
];

/**
 * Every delay since the start, bucketed as a Prometheus histogram wants it: a count per bucket
 * (delays at most its bound and above the previous one; the last bucket is for the rest), the sum
 * and the count. O(1) per heartbeat: a scan of 14 fixed bounds.
 */
export class DelayHistogram {
  readonly #counts = new Float64Array(delayBucketBoundsSeconds.length + 1);
  #sumSeconds = 0;
  #count = 0;

  observe(delayMs: number): void {
    if (!Number.isFinite(delayMs)) {
      return;
    }

    const seconds = delayMs / 1000;
    let bucket = 0;
    while (
      bucket < delayBucketBoundsSeconds.length &&
      seconds > delayBucketBoundsSeconds[bucket]!
    ) {
      bucket++;
    }

    this.#counts[bucket]!++;
    this.#sumSeconds += seconds;
    this.#count++;
  }

  /** A plain copy. */
  read(): {
    boundsSeconds: readonly number[];
    counts: number[];
    sumSeconds: number;
    count: number;
  } {
    return {
      boundsSeconds: delayBucketBoundsSeconds,
      counts: [...this.#counts],
      sumSeconds: this.#sumSeconds,
      count: this.#count,
    };
  }
}
