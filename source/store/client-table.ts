/*
The numbers of every client, by slot, in three flat typed arrays (struct of arrays): a client's
doubles at `slot * f64PerSlot + field` of `f64`, its 32-bit integers in `i32`, its bytes in `u8`.
No client holds an object of numbers, a boxed double or a small array: the garbage collector has
nothing to scan or copy for them, and a client costs its numbers and nothing beside them.

A field is a constant index below. To add one, give it the next index of its array and raise that
array's per-slot count: growth, clearing and moving copy whole slots, so nothing else changes.
*/

// Doubles: times, delays and counters (a counter may pass 2^32 under a flood, so none wraps).
export const firstSeenField = 0;
export const lastSeenField = 1;
export const lastHeartbeatField = 2;
export const lastErrorReplyField = 3;
export const delayLastField = 4;
export const delayMinField = 5;
export const delayMaxField = 6;
export const delaySumField = 7;
export const jitterField = 8;
export const delayCountField = 9;
export const receivedField = 10;
export const repliedField = 11;
export const droppedField = 12;
export const malformedField = 13;
export const unansweredField = 14;
export const droppedSinceReplyField = 15;
/** Sequence number of the latest heartbeat itself, -1 for none. */
export const heartbeatSeqField = 16;
// The sequence window (sequence-window.ts).
export const seqLastField = 17;
export const seqLostField = 18;
export const seqReorderedField = 19;
export const seqDuplicatesField = 20;
export const seqRestartsField = 21;
// The liveness detector's running sums (liveness.ts).
export const detectorShiftField = 22;
export const detectorSumField = 23;
export const detectorSumOfSquaresField = 24;
export const f64PerSlot = 25;

// 32-bit integers.
export const historyLowField = 0;
export const historyHighField = 1;
/** How far the client's clock runs ahead of the server's, whole milliseconds (at most 14 h). */
export const clockOffsetField = 2;
export const seqLowField = 3;
export const seqHighField = 4;
/** The detector's interval ring, -1 before the first interval. */
export const detectorRingField = 5;
export const i32PerSlot = 6;

// Bytes.
export const historyCountField = 0;
/** Bit 0: the latest heartbeat carried a timestamp; bit 1: the latest datagram was malformed. */
export const flagsField = 1;
export const detectorCountField = 2;
export const detectorNextField = 3;
export const detectorPushesField = 4;
export const detectorArrivalsField = 5;
export const u8PerSlot = 8;

export const hadTimestampFlag = 1;
export const latestMalformedFlag = 2;

/** Bytes one slot takes in the three arrays. */
export const bytesPerSlot = f64PerSlot * 8 + i32PerSlot * 4 + u8PerSlot;

/** The numbers of every client, by slot. Grows by a quarter at a time; never shrinks. */
export class ClientTable {
  f64: Float64Array;
  i32: Int32Array;
  u8: Uint8Array;
  #capacity: number;

  constructor(capacity = 64) {
    this.#capacity = Math.max(1, capacity);
    this.f64 = new Float64Array(this.#capacity * f64PerSlot);
    this.i32 = new Int32Array(this.#capacity * i32PerSlot);
    this.u8 = new Uint8Array(this.#capacity * u8PerSlot);
  }

  get capacity(): number {
    return this.#capacity;
  }

  get byteLength(): number {
    return this.f64.byteLength + this.i32.byteLength + this.u8.byteLength;
  }

  /** Makes room for `slot` and sets it to a new client's numbers, first seen at `now`. */
  clear(slot: number, now: number): void {
    if (slot >= this.#capacity) {
      // A quarter more at a time: 100000 clients leave at most a fifth of the slots unused.
      this.#grow(Math.max(slot + 1, Math.ceil(this.#capacity * 1.25)));
    }

    const {f64} = this;
    const base = slot * f64PerSlot;
    f64.fill(0, base, base + f64PerSlot);
    f64[base + firstSeenField] = now;
    // lastSeen stays NaN until the store records the first datagram, at once after creating the client.
    f64[base + lastSeenField] = Number.NaN;
    f64[base + lastHeartbeatField] = Number.NaN;
    f64[base + lastErrorReplyField] = Number.NEGATIVE_INFINITY;
    f64[base + delayLastField] = Number.NaN;
    f64[base + delayMinField] = Number.NaN;
    f64[base + delayMaxField] = Number.NaN;
    f64[base + heartbeatSeqField] = -1;
    f64[base + seqLastField] = -1;
    const {i32} = this;
    const intBase = slot * i32PerSlot;
    i32.fill(0, intBase, intBase + i32PerSlot);
    i32[intBase + seqLowField] = -1;
    i32[intBase + seqHighField] = -1;
    i32[intBase + detectorRingField] = -1;
    this.u8.fill(0, slot * u8PerSlot, (slot + 1) * u8PerSlot);
  }

  /** Copies the numbers of slots `from` to `from + count - 1` into `into`, at the same slots. */
  copySlots(from: number, count: number, into: ClientTable): void {
    const end = from + count;
    into.f64.set(
      this.f64.subarray(from * f64PerSlot, end * f64PerSlot),
      from * f64PerSlot,
    );
    into.i32.set(
      this.i32.subarray(from * i32PerSlot, end * i32PerSlot),
      from * i32PerSlot,
    );
    into.u8.set(
      this.u8.subarray(from * u8PerSlot, end * u8PerSlot),
      from * u8PerSlot,
    );
  }

  /** Copies the numbers of slot `from` into slot `to` (of this table or of `into`). */
  copy(from: number, to: number, into: ClientTable = this): void {
    into.f64.set(
      this.f64.subarray(from * f64PerSlot, (from + 1) * f64PerSlot),
      to * f64PerSlot,
    );
    into.i32.set(
      this.i32.subarray(from * i32PerSlot, (from + 1) * i32PerSlot),
      to * i32PerSlot,
    );
    into.u8.set(
      this.u8.subarray(from * u8PerSlot, (from + 1) * u8PerSlot),
      to * u8PerSlot,
    );
  }

  #grow(capacity: number): void {
    const f64 = new Float64Array(capacity * f64PerSlot);
    f64.set(this.f64);
    const i32 = new Int32Array(capacity * i32PerSlot);
    i32.set(this.i32);
    const u8 = new Uint8Array(capacity * u8PerSlot);
    u8.set(this.u8);
    this.f64 = f64;
    this.i32 = i32;
    this.u8 = u8;
    this.#capacity = capacity;
  }
}
