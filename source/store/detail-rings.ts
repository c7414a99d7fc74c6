import {livenessStates, type Liveness} from '../vocabulary.js';

/** Delays kept per client for its detail view. */
export const delayRingSize = 100;
/** State changes kept per client. */
export const stateRingSize = 8;

/*
Delays are kept as 16-bit codes: a sign bit and 15 bits of a logarithmic scale from 1 µs to
about 11 days, so that a code is within 0.05 % of the delay it stands for. 100 of them cost 200
bytes a client, where doubles would cost 800.
*/
const smallestMs = 0.001;
const levels = 32_767;
const logStep = Math.log(1e9 / smallestMs) / (levels - 1);

/** The 16-bit code of a delay in milliseconds. */
export function encodeDelay(ms: number): number {
  if (Number.isNaN(ms)) {
    return 0;
  }

  const size = Math.abs(ms);
  const sign = ms < 0 ? 0x80_00 : 0;
  if (size < smallestMs / 2) {
    return 0;
  }

  const level =
    Math.round(Math.log(Math.max(size, smallestMs) / smallestMs) / logStep) + 1;
  return sign | Math.min(levels, level);
}

/** The delay in milliseconds a code stands for. */
export function decodeDelay(code: number): number {
  const level = code & 0x7f_ff;
  if (level === 0) {
    return 0;
  }

  const size = smallestMs * Math.exp((level - 1) * logStep);
  return (code & 0x80_00) === 0 ? size : -size;
}

/** Delays a client's first ring holds; past it the client moves to a full ring. */
const smallDelayRing = 8;
/** Rings per chunk of a pool: chunks are never copied, so memory follows the clients. */
const ringsPerChunk = 1024;

/** Fixed-size rings of 16-bit codes cut from shared chunks, with a free list. */
class CodeRingPool {
  readonly size: number;
  #chunks: Uint16Array[] = [];
  #free: number[] = [];
  #allocated = 0;
  /** Rings handed out and not given back. */
  #live = 0;

  constructor(size: number) {
    this.size = size;
  }

  allocate(): number {
    this.#live++;
    const reused = this.#free.pop();
    if (reused !== undefined) {
      return reused;
    }

    const id = this.#allocated++;
    if (id === this.#chunks.length * ringsPerChunk) {
      this.#chunks.push(new Uint16Array(this.size * ringsPerChunk));
    }

    return id;
  }

  /** Gives a ring back; with none left in use, lets go of the chunks (see `RingPool`). */
  release(id: number): void {
    if (--this.#live === 0) {
      this.#chunks = [];
      this.#free = [];
      this.#allocated = 0;
      return;
    }

    this.#free.push(id);
  }

  chunk(id: number): Uint16Array {
    return this.#chunks[Math.floor(id / ringsPerChunk)]!;
  }

  /** Bytes of the chunks cut so far. */
  get byteLength(): number {
    return this.#chunks.length * this.size * ringsPerChunk * 2;
  }

  offset(id: number): number {
    return (id % ringsPerChunk) * this.size;
  }
}

/**
 * Per-client rings for the detail view, by the store's slot: the last 100 delays (16-bit codes)
 * and the last 8 state changes with their times. The delays start in a ring of 8 and move to one
 * of 100 once it fills, both cut from shared chunks (as the interval rings are), so a client that
 * sent one heartbeat costs 16 bytes of delays, not 200. The per-slot bookkeeping sits in flat
 * typed arrays; when a client leaves, the last slot's entries move into its place, as the store
 * moves the slot itself.
 */
export class DetailRings {
  readonly #small = new CodeRingPool(smallDelayRing);
  readonly #full = new CodeRingPool(delayRingSize);
  /** Per slot: the delay ring's id, -1 before the first delay. */
  #delayRings = new Int32Array(64);
  /** Per slot: delays held (at most 100). */
  #delayCounts = new Uint8Array(64);
  #delayNext = new Uint8Array(64);
  /** Per slot: 1 once the delays moved to a full ring. */
  #delayFull = new Uint8Array(64);
  #stateTimes = new Float64Array(64 * stateRingSize);
  #states = new Uint8Array(64 * stateRingSize);
  #stateCounts = new Uint8Array(64);
  #stateNext = new Uint8Array(64);
  #capacity = 64;

  /** Bytes of every typed array behind the rings, chunks and per-slot bookkeeping. */
  get byteLength(): number {
    return (
      this.#small.byteLength +
      this.#full.byteLength +
      this.#delayRings.byteLength +
      this.#delayCounts.byteLength +
      this.#delayNext.byteLength +
      this.#delayFull.byteLength +
      this.#stateTimes.byteLength +
      this.#states.byteLength +
      this.#stateCounts.byteLength +
      this.#stateNext.byteLength
    );
  }

  /** Makes room for `slot` and clears it: a new client starts with empty rings. */
  clear(slot: number): void {
    if (slot >= this.#capacity) {
      // A quarter more at a time: 100000 clients leave at most a fifth of the entries unused.
      this.#grow(Math.max(slot + 1, Math.ceil(this.#capacity * 1.25)));
    }

    this.#delayRings[slot] = -1;
    this.#delayCounts[slot] = 0;
    this.#delayNext[slot] = 0;
    this.#delayFull[slot] = 0;
    this.#stateCounts[slot] = 0;
    this.#stateNext[slot] = 0;
  }

  /** Gives the slot's delay ring back: its client is gone. */
  release(slot: number): void {
    const id = this.#delayRings[slot]!;
    if (id >= 0) {
      this.#poolOf(slot).release(id);
      this.#delayRings[slot] = -1;
    }
  }

  pushDelay(slot: number, ms: number): void {
    const count = this.#delayCounts[slot]!;
    let id = this.#delayRings[slot]!;
    if (id < 0) {
      id = this.#small.allocate();
      this.#delayRings[slot] = id;
    } else if (count === smallDelayRing && this.#delayFull[slot] === 0) {
      id = this.#moveToFull(slot, id);
    }

    const pool = this.#poolOf(slot);
    const next = this.#delayNext[slot]!;
    pool.chunk(id)[pool.offset(id) + next] = encodeDelay(ms);
    this.#delayNext[slot] = next + 1 === delayRingSize ? 0 : next + 1;
    if (count < delayRingSize) {
      this.#delayCounts[slot] = count + 1;
    }
  }

  pushState(slot: number, time: number, state: Liveness): void {
    const next = this.#stateNext[slot]!;
    const at = slot * stateRingSize + next;
    this.#stateTimes[at] = time;
    this.#states[at] = livenessStates.indexOf(state);
    this.#stateNext[slot] = next + 1 === stateRingSize ? 0 : next + 1;
    if (this.#stateCounts[slot]! < stateRingSize) {
      this.#stateCounts[slot]!++;
    }
  }

  /** The delays of `slot`, oldest first, in milliseconds. */
  delays(slot: number): number[] {
    const count = this.#delayCounts[slot]!;
    const id = this.#delayRings[slot]!;
    const result: number[] = [];
    if (id < 0) {
      return result;
    }

    const pool = this.#poolOf(slot);
    const chunk = pool.chunk(id);
    const start = pool.offset(id);
    const first = count < delayRingSize ? 0 : this.#delayNext[slot]!;
    for (let index = 0; index < count; index++) {
      result.push(
        decodeDelay(chunk[start + ((first + index) % delayRingSize)]!),
      );
    }

    return result;
  }

  /** The state changes of `slot`, oldest first. */
  stateChanges(slot: number): Array<{time: number; state: Liveness}> {
    const count = this.#stateCounts[slot]!;
    const first = count < stateRingSize ? 0 : this.#stateNext[slot]!;
    const result: Array<{time: number; state: Liveness}> = [];
    for (let index = 0; index < count; index++) {
      const at = slot * stateRingSize + ((first + index) % stateRingSize);
      result.push({
        time: this.#stateTimes[at]!,
        state: livenessStates[this.#states[at]!]!,
      });
    }

    return result;
  }

  /** Moves the entries of slot `from` to slot `to` (the store filled a hole with its last slot). */
  move(from: number, to: number): void {
    this.#delayRings[to] = this.#delayRings[from]!;
    this.#delayCounts[to] = this.#delayCounts[from]!;
    this.#delayNext[to] = this.#delayNext[from]!;
    this.#delayFull[to] = this.#delayFull[from]!;
    this.#stateTimes.copyWithin(
      to * stateRingSize,
      from * stateRingSize,
      (from + 1) * stateRingSize,
    );
    this.#states.copyWithin(
      to * stateRingSize,
      from * stateRingSize,
      (from + 1) * stateRingSize,
    );
    this.#stateCounts[to] = this.#stateCounts[from]!;
    this.#stateNext[to] = this.#stateNext[from]!;
  }

  /** The pool the slot's ring is in: small until it moved to a full one. */
  #poolOf(slot: number): CodeRingPool {
    return this.#delayFull[slot] === 0 ? this.#small : this.#full;
  }

  /** A small ring is full: copy it into a full one (it was filled from its start, so in order). */
  #moveToFull(slot: number, smallId: number): number {
    const id = this.#full.allocate();
    const from = this.#small.offset(smallId);
    this.#full
      .chunk(id)
      .set(
        this.#small.chunk(smallId).subarray(from, from + smallDelayRing),
        this.#full.offset(id),
      );
    this.#small.release(smallId);
    this.#delayRings[slot] = id;
    this.#delayFull[slot] = 1;
    return id;
  }

  #grow(capacity: number): void {
    const grow = <T extends Uint8Array | Int32Array | Float64Array>(
      array: T,
      make: (length: number) => T,
      perSlot: number,
    ): T => {
      const grown = make(capacity * perSlot);
      grown.set(array);
      return grown;
    };

    this.#delayRings = grow(this.#delayRings, (n) => new Int32Array(n), 1);
    this.#delayCounts = grow(this.#delayCounts, (n) => new Uint8Array(n), 1);
    this.#delayNext = grow(this.#delayNext, (n) => new Uint8Array(n), 1);
    this.#delayFull = grow(this.#delayFull, (n) => new Uint8Array(n), 1);
    this.#stateTimes = grow(
      this.#stateTimes,
      (n) => new Float64Array(n),
      stateRingSize,
    );
    this.#states = grow(this.#states, (n) => new Uint8Array(n), stateRingSize);
    this.#stateCounts = grow(this.#stateCounts, (n) => new Uint8Array(n), 1);
    this.#stateNext = grow(this.#stateNext, (n) => new Uint8Array(n), 1);
    this.#capacity = capacity;
  }
}
