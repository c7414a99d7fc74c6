/** Intervals in a small ring, for a client's first few intervals. */
export const smallRingSize = 8;
/** Intervals in a full ring: the detector's window. */
export const fullRingSize = 100;

/*
An interval is kept as a 16-bit code, a small float of eighths of a millisecond: below 2048
eighths (256 ms) the code is the count itself; above, 11 significant bits and an exponent. So a
code is exact for any whole number of milliseconds up to 2 s, for an even one up to 4 s and a
multiple of 4 ms up to 8 s (the rhythms heartbeats keep), otherwise within 0.08 % of the interval
(within 0.07 ms below 256 ms); it reaches far beyond any interval (about 2^70 ms). 2 bytes where a float takes 4. The
detector sums the values the codes stand for, so its sums agree with an exact recount, and its
deadlines move by no more than the same 0.08 %, far below any heartbeat's own jitter.
*/
export const unitsPerMs = 8;
const significandLimit = 2048;
const halfSignificand = 1024;
const largestCode = 0xff_ff;

/** The 16-bit code of an interval in milliseconds (negative and NaN as 0). */
export function encodeInterval(ms: number): number {
  if (!(ms > 0)) {
    return 0;
  }

  return encodeUnits(Math.round(ms * unitsPerMs));
}

/**
 * The code of a whole number of eighths of a millisecond (not negative): what `encodeInterval`
 * does after rounding. The packet path calls this one, with a small integer, so that no double
 * is boxed to make the call.
 */
export function encodeUnits(units: number): number {
  if (units < significandLimit) {
    return units;
  }

  let exponent = Math.max(1, Math.floor(Math.log2(units)) - 10);
  let significand = Math.round(units / 2 ** exponent);
  // log2 of a value next to a power of two may round either way.
  if (significand >= significandLimit) {
    exponent++;
    significand = Math.round(units / 2 ** exponent);
  } else if (significand < halfSignificand) {
    exponent--;
    significand = Math.round(units / 2 ** exponent);
  }

  return Math.min(largestCode, exponent * halfSignificand + significand);
}

/** The interval in milliseconds a code stands for. */
export function decodeInterval(code: number): number {
  if (code < significandLimit) {
    return code / unitsPerMs;
  }

  const exponent = Math.floor(code / halfSignificand) - 1;
  return ((code - exponent * halfSignificand) * 2 ** exponent) / unitsPerMs;
}

/** The interval as the ring keeps it: what `decodeInterval(encodeInterval(ms))` gives. */
export function heldInterval(ms: number): number {
  return decodeInterval(encodeInterval(ms));
}

/** Rings per shared chunk: 16 KiB of small rings, or 50 KiB of full ones. */
const smallRingsPerChunk = 1024;
const fullRingsPerChunk = 256;

/**
 * Fixed-size rings of interval codes cut from shared Uint16Array chunks, with a free list.
 *
 * One typed array per client costs several hundred bytes of bookkeeping beside its data (the
 * array and buffer objects, the off-heap allocation); cut from a shared chunk, a ring costs only
 * its codes. Rings are recycled when clients go, so memory follows the peak client count.
 */
export class RingPool {
  readonly #size: number;
  readonly #perChunk: number;
  #chunks: Uint16Array[] = [];
  #free: number[] = [];
  #allocated = 0;
  /** Rings handed out and not given back. */
  #live = 0;

  constructor(size: number, perChunk: number) {
    this.#size = size;
    this.#perChunk = perChunk;
  }

  /** A ring id, from the free list or a new (zeroed) place. */
  allocate(): number {
    this.#live++;
    const reused = this.#free.pop();
    if (reused !== undefined) {
      return reused;
    }

    const id = this.#allocated++;
    if (id === this.#chunks.length * this.#perChunk) {
      this.#chunks.push(new Uint16Array(this.#size * this.#perChunk));
    }

    return id;
  }

  /**
   * Gives a ring back. When none is left in use the pool lets go of its chunks and its free
   * list: small rings are where every client starts, and once a fleet's clients have all moved
   * to full rings they would otherwise stay cut, 16 bytes and a free-list entry a client.
   */
  release(id: number): void {
    if (--this.#live === 0) {
      this.#chunks = [];
      this.#free = [];
      this.#allocated = 0;
      return;
    }

    this.#free.push(id);
  }

  /** The chunk that holds ring `id`; its codes start at `offset(id)`. */
  chunk(id: number): Uint16Array {
    return this.#chunks[Math.floor(id / this.#perChunk)]!;
  }

  offset(id: number): number {
    return (id % this.#perChunk) * this.#size;
  }

  /** Bytes of the chunks cut so far. */
  get byteLength(): number {
    return this.#chunks.length * this.#size * this.#perChunk * 2;
  }
}

/** The interval rings of one store's clients: a small ring first, a full one once it fills. */
export class IntervalRings {
  readonly small = new RingPool(smallRingSize, smallRingsPerChunk);
  readonly full = new RingPool(fullRingSize, fullRingsPerChunk);

  get byteLength(): number {
    return this.small.byteLength + this.full.byteLength;
  }
}
