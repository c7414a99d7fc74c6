import {livenessStates, type Liveness} from './types.js';

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

/**
 * Per-client rings for the detail view, by the store's slot: the last 100 delays (16-bit codes)
 * and the last 8 state changes with their times. Flat typed arrays grown by doubling, so a client
 * costs its data and no objects; when a client leaves, the last slot's rings move into its place,
 * as the store moves the slot itself.
 */
export class DetailRings {
  #delays = new Uint16Array(64 * delayRingSize);
  /** Per slot: how many delays were pushed, capped at 255 (the ring holds the last 100). */
  #delayCounts = new Uint8Array(64);
  #delayNext = new Uint8Array(64);
  #stateTimes = new Float64Array(64 * stateRingSize);
  #states = new Uint8Array(64 * stateRingSize);
  #stateCounts = new Uint8Array(64);
  #stateNext = new Uint8Array(64);
  #capacity = 64;

  /** Makes room for `slot` and clears it: a new client starts with empty rings. */
  clear(slot: number): void {
    if (slot >= this.#capacity) {
      // A quarter more at a time: 100000 clients leave at most a fifth of the rings unused.
      this.#grow(Math.max(slot + 1, Math.ceil(this.#capacity * 1.25)));
    }

    this.#delayCounts[slot] = 0;
    this.#delayNext[slot] = 0;
    this.#stateCounts[slot] = 0;
    this.#stateNext[slot] = 0;
  }

  pushDelay(slot: number, ms: number): void {
    const next = this.#delayNext[slot]!;
    this.#delays[slot * delayRingSize + next] = encodeDelay(ms);
    this.#delayNext[slot] = next + 1 === delayRingSize ? 0 : next + 1;
    if (this.#delayCounts[slot]! < delayRingSize) {
      this.#delayCounts[slot]!++;
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
    const next = this.#delayNext[slot]!;
    const first = count < delayRingSize ? 0 : next;
    const result: number[] = [];
    for (let index = 0; index < count; index++) {
      result.push(
        decodeDelay(
          this.#delays[
            slot * delayRingSize + ((first + index) % delayRingSize)
          ]!,
        ),
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

  /** Moves the rings of slot `from` to slot `to` (the store filled a hole with its last slot). */
  move(from: number, to: number): void {
    this.#delays.copyWithin(
      to * delayRingSize,
      from * delayRingSize,
      (from + 1) * delayRingSize,
    );
    this.#delayCounts[to] = this.#delayCounts[from]!;
    this.#delayNext[to] = this.#delayNext[from]!;
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

  #grow(capacity: number): void {
    const grow = <T extends Uint8Array | Uint16Array | Float64Array>(
      array: T,
      make: (length: number) => T,
      perSlot: number,
    ): T => {
      const grown = make(capacity * perSlot);
      grown.set(array);
      return grown;
    };

    this.#delays = grow(this.#delays, (n) => new Uint16Array(n), delayRingSize);
    this.#delayCounts = grow(this.#delayCounts, (n) => new Uint8Array(n), 1);
    this.#delayNext = grow(this.#delayNext, (n) => new Uint8Array(n), 1);
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
