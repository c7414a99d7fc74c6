/** Floats in a small ring, for a client's first few intervals. */
export const smallRingSize = 8;
/** Floats in a full ring: the detector's window. */
export const fullRingSize = 100;

/** Rings per shared chunk: 32 KiB of small rings, or 100 KiB of full ones. */
const smallRingsPerChunk = 1024;
const fullRingsPerChunk = 256;

/**
 * Fixed-size rings of floats cut from shared Float32Array chunks, with a free list.
 *
 * One typed array per client costs several hundred bytes of bookkeeping beside its data (the
 * array and buffer objects, the off-heap allocation); cut from a shared chunk, a ring costs only
 * its floats. Rings are recycled when clients go, so memory follows the peak client count.
 */
export class RingPool {
  readonly #size: number;
  readonly #perChunk: number;
  readonly #chunks: Float32Array[] = [];
  readonly #free: number[] = [];
  #allocated = 0;

  constructor(size: number, perChunk: number) {
    this.#size = size;
    this.#perChunk = perChunk;
  }

  /** A ring id, from the free list or a new (zeroed) place. */
  allocate(): number {
    const reused = this.#free.pop();
    if (reused !== undefined) {
      return reused;
    }

    const id = this.#allocated++;
    if (id === this.#chunks.length * this.#perChunk) {
      this.#chunks.push(new Float32Array(this.#size * this.#perChunk));
    }

    return id;
  }

  release(id: number): void {
    this.#free.push(id);
  }

  /** The chunk that holds ring `id`; its floats start at `offset(id)`. */
  chunk(id: number): Float32Array {
    return this.#chunks[Math.floor(id / this.#perChunk)]!;
  }

  offset(id: number): number {
    return (id % this.#perChunk) * this.#size;
  }
}

/** The interval rings of one store's clients: a small ring first, a full one once it fills. */
export class IntervalRings {
  readonly small = new RingPool(smallRingSize, smallRingsPerChunk);
  readonly full = new RingPool(fullRingSize, fullRingsPerChunk);
}
