import {
  ClientTable,
  detectorArrivalsField,
  detectorCountField,
  detectorNextField,
  detectorPushesField,
  detectorRingField,
  detectorShiftField,
  detectorSumField,
  detectorSumOfSquaresField,
  f64PerSlot,
  lastSeenField,
  i32PerSlot,
  u8PerSlot,
} from './client-table.js';
import {
  decodeInterval,
  encodeUnits,
  unitsPerMs,
  fullRingSize,
  smallRingSize,
  type IntervalRings,
  type RingPool,
} from './interval-rings.js';

/** phi from which a client is `late`. */
export const latePhi = 1;
/** phi from which a client is `stopped`. */
export const stoppedPhi = 8;

/*
 * phi(t) = -log10(1 - F(t)) reaches p where F(t) = 1 - 10^-p, at t = μ + σ·z with
 * z = Φ⁻¹(1 - 10^-p). Both are fixed, so they are computed once (to 40 digits) and written
 * here: each heartbeat then turns into two absolute deadlines and a tick is a comparison.
 */
/** Φ⁻¹(1 - 10^-1): how many σ past μ phi reaches 1. */
export const lateZ = 1.281_551_565_544_600_4;
/** Φ⁻¹(1 - 10^-8): how many σ past μ phi reaches 8. */
export const stoppedZ = 5.612_001_244_174_789;

/** The mean interval assumed before a client's second heartbeat. */
export const defaultIntervalMs = 1000;
/**
 * Before its second heartbeat a client is not stopped sooner than this: the 1 s guess makes it
 * late early, but one that beats every 5 s must not be called stopped during its first interval.
 */
export const firstIntervalStoppedMs = 10_000;
/**
 * A stop is an outage, whose silence is not learned, only when the client sent at least this many
 * datagrams since its previous stop (or since it was first seen).
 */
export const arrivalsBetweenOutages = 10;

/** How many recent arrival intervals the detector keeps. */
export const intervalWindowSize = fullRingSize;

const ln10 = Math.LN10;

/**
 * log(erfc(x)) for x ≥ 0 (Numerical Recipes' Chebyshev fit, fractional error below 1.2e-7, so
 * phi is off by less than 1e-7). Kept as a logarithm so that phi stays finite however long the
 * silence: a dashboard can show phi = 900 rather than Infinity.
 */
function logErfc(x: number): number {
  const t = 1 / (1 + 0.5 * x);
  let poly = 0.170_872_77;
  poly = -0.822_152_23 + t * poly;
  poly = 1.488_515_87 + t * poly;
  poly = -1.135_203_98 + t * poly;
  poly = 0.278_868_07 + t * poly;
  poly = -0.186_288_06 + t * poly;
  poly = 0.096_784_18 + t * poly;
  poly = 0.374_091_96 + t * poly;
  poly = 1.000_023_68 + t * poly;
  poly = -1.265_512_23 + t * poly;
  return Math.log(t) - x * x + poly;
}

/**
 * The suspicion level after `silenceMs` without a heartbeat, for arrival intervals that follow a
 * normal distribution of mean `meanMs` and deviation `stdDevMs`: -log10(1 - F(silence)).
 * Pass μ and σ as the detector uses them (see `detectorMeanMs`, `detectorStdDevMs`), or use
 * `clientPhi` with a client's interval statistics.
 */
export function phi(
  silenceMs: number,
  meanMs: number,
  stdDevMs: number,
): number {
  if (!(stdDevMs > 0)) {
    return silenceMs < meanMs ? 0 : Number.POSITIVE_INFINITY;
  }

  const y = (silenceMs - meanMs) / stdDevMs / Math.SQRT2;
  if (y >= 0) {
    // 1 - F = erfc(y) / 2
    return -(logErfc(y) - Math.LN2) / ln10;
  }

  // 1 - F = 1 - erfc(-y) / 2, close to 1: phi is small and positive.
  const tail = 1 - Math.exp(logErfc(-y)) / 2;
  return Math.max(0, -Math.log10(tail));
}

/** μ of the detector: twice the mean interval, so that one missing heartbeat is tolerated. */
export function detectorMeanMs(intervalMeanMs: number): number {
  return 2 * intervalMeanMs;
}

/** σ of the detector: the intervals' deviation, but at least a quarter of their mean. */
export function detectorStdDevMs(
  intervalMeanMs: number,
  intervalStdDevMs: number,
): number {
  return Math.max(intervalStdDevMs, intervalMeanMs / 4);
}

/** phi of a client after `silenceMs`, from the interval statistics its record shows (undefined before two heartbeats). */
export function clientPhi(
  silenceMs: number,
  intervalMeanMs: number | undefined,
  intervalStdDevMs: number | undefined,
): number {
  const mean = intervalMeanMs ?? defaultIntervalMs;
  return phi(
    silenceMs,
    detectorMeanMs(mean),
    detectorStdDevMs(mean, intervalStdDevMs ?? 0),
  );
}

/**
 * The phi-accrual detector of one client (the README's "Liveness", as in Akka): the last 100 arrival
 * intervals with running sums, from which it tells how long a silence may last before the client
 * is late and stopped. Arrivals are O(1).
 *
 * Its state is a client's numbers in a `ClientTable`: the detector is a cursor over one slot.
 * The intervals live in a ring cut from shared chunks (`IntervalRings`): 8 until it fills, then
 * 100, so a client with few heartbeats stays small. Each is a 16-bit code (`encodeInterval`) that
 * keeps it to 0.08 % of its length (exact in whole milliseconds up to 2 s), far finer than any
 * heartbeat keeps time; the
 * detector computes with the values the codes stand for. The running sums are of the intervals minus a shift
 * near their mean, which keeps the variance free of cancellation, and they are recomputed
 * exactly every 100 arrivals so float error cannot drift.
 */
export class LivenessDetector {
  /** The slot read and written: set it to move the cursor to another client. */
  slot: number;
  readonly #table: ClientTable;

  /**
   * The detector's state lives in a `ClientTable` at `slot`: a detector of its own by default,
   * or a cursor that the store points at one client after another.
   */
  constructor(table?: ClientTable, slot = 0) {
    if (table === undefined) {
      this.#table = new ClientTable(1);
      this.#table.clear(0, 0);
    } else {
      this.#table = table;
    }

    this.slot = slot;
  }

  /** How many intervals the detector holds (at most 100). */
  get intervalCount(): number {
    return this.#count;
  }

  /** Mean of the held intervals, undefined while there are none. */
  get meanMs(): number | undefined {
    return this.#count === 0 ? undefined : this.#mean();
  }

  /** Population standard deviation of the held intervals, undefined while there are none. */
  get stdDevMs(): number | undefined {
    return this.#count === 0 ? undefined : this.#stdDev();
  }

  /** Ring id in the small pool while it holds up to 8 intervals, then in the full pool; -1 before the first. */
  get #ringId(): number {
    return this.#table.i32[this.slot * i32PerSlot + detectorRingField]!;
  }

  set #ringId(id: number) {
    this.#table.i32[this.slot * i32PerSlot + detectorRingField] = id;
  }

  get #count(): number {
    return this.#table.u8[this.slot * u8PerSlot + detectorCountField]!;
  }

  set #count(count: number) {
    this.#table.u8[this.slot * u8PerSlot + detectorCountField] = count;
  }

  get #next(): number {
    return this.#table.u8[this.slot * u8PerSlot + detectorNextField]!;
  }

  set #next(next: number) {
    this.#table.u8[this.slot * u8PerSlot + detectorNextField] = next;
  }

  get #pushesSinceExact(): number {
    return this.#table.u8[this.slot * u8PerSlot + detectorPushesField]!;
  }

  set #pushesSinceExact(pushes: number) {
    this.#table.u8[this.slot * u8PerSlot + detectorPushesField] = pushes;
  }

  /** Arrivals since (and with) the one that ended the latest stop, or since the first; counted up to `arrivalsBetweenOutages`. */
  get #arrivalsSinceStop(): number {
    return this.#table.u8[this.slot * u8PerSlot + detectorArrivalsField]!;
  }

  set #arrivalsSinceStop(arrivals: number) {
    this.#table.u8[this.slot * u8PerSlot + detectorArrivalsField] = arrivals;
  }

  get #shift(): number {
    return this.#table.f64[this.slot * f64PerSlot + detectorShiftField]!;
  }

  set #shift(shift: number) {
    this.#table.f64[this.slot * f64PerSlot + detectorShiftField] = shift;
  }

  get #sum(): number {
    return this.#table.f64[this.slot * f64PerSlot + detectorSumField]!;
  }

  set #sum(sum: number) {
    this.#table.f64[this.slot * f64PerSlot + detectorSumField] = sum;
  }

  get #sumOfSquares(): number {
    return this.#table.f64[this.slot * f64PerSlot + detectorSumOfSquaresField]!;
  }

  set #sumOfSquares(sum: number) {
    this.#table.f64[this.slot * f64PerSlot + detectorSumOfSquaresField] = sum;
  }

  /**
   * Records an arrival after `silenceMs` (NaN for the first), its interval kept in `rings`.
   *
   * `endsStop` says the client was stopped until now. That silence is an outage and is not
   * recorded (as in Akka), so one outage does not slow the detector for the next hundred
   * heartbeats. But an outage is rare: stops less than 10 datagrams apart, or within a client's
   * first 10, are its own rhythm, and their silences are learned. Otherwise a detector that
   * learned too short a rhythm could never learn better, since every silence longer than its
   * limit would be dropped, and the client would flap between stopped and resumed for ever:
   * a client beating every 5 s judged by the 1 s guess, a jittery one whose first intervals
   * were short, one that slowed down.
   * A late client that sends again records its silence: it was slow, not gone.
   */
  arrive(silenceMs: number, endsStop: boolean, rings: IntervalRings): void {
    // The silence as a last arrival at 0 and this one at `silenceMs`: the table holds the times.
    this.#table.f64[this.slot * f64PerSlot + lastSeenField] = Number.isNaN(
      silenceMs,
    )
      ? Number.NaN
      : 0;
    this.arriveAt(silenceMs, endsStop, rings, undefined, undefined, 0);
  }

  /**
   * The store's arrival at `now`: the silence since the client's last datagram (the table's
   * lastSeen, NaN before the first) ends, and is recorded as `arrive` says; lastSeen becomes
   * `now`, and `deadlines[index]` the time the client next changes state without a datagram.
   * Every double stays in the table or in a local: a double passed to or returned from a call
   * that is not inlined is boxed, and this runs for every datagram.
   */
  arriveAt(
    now: number,
    endsStop: boolean,
    rings: IntervalRings,
    deadAfterMs: number | undefined,
    deadlines: Float64Array | undefined,
    index: number,
  ): void {
    let keepInterval = true;
    if (endsStop) {
      keepInterval = this.#arrivalsSinceStop < arrivalsBetweenOutages;
      this.#arrivalsSinceStop = 1;
    } else if (this.#arrivalsSinceStop < arrivalsBetweenOutages) {
      this.#arrivalsSinceStop++;
    }

    const {f64} = this.#table;
    const base = this.slot * f64PerSlot;
    if (keepInterval && !Number.isNaN(f64[base + lastSeenField]!)) {
      this.#push(now, rings);
    }

    f64[base + lastSeenField] = now;
    if (deadlines === undefined) {
      return;
    }

    // lateAfterMs and stoppedAfterMs, written out: the earlier of the two. Branch-free of
    // doubles (a double that flows out of a branch is boxed), so every value stays unboxed.
    const count = this.#count;
    const some = count === 0 ? 0 : 1;
    const divisor = count === 0 ? 1 : count;
    const meanOfShifted = f64[base + detectorSumField]! / divisor;
    const mean =
      some * (f64[base + detectorShiftField]! + meanOfShifted) +
      (1 - some) * defaultIntervalMs;
    const variance =
      some *
      (f64[base + detectorSumOfSquaresField]! / divisor -
        meanOfShifted * meanOfShifted);
    const sigma = Math.max(Math.sqrt(Math.max(0, variance)), mean / 4);
    const fixed = deadAfterMs === undefined ? 0 : 1;
    const limit = deadAfterMs ?? 0;
    const late = 2 * mean + (1 - fixed) * sigma * lateZ;
    const phiStopped = Math.max(
      2 * mean + sigma * stoppedZ,
      (1 - some) * firstIntervalStoppedMs,
    );
    const stopped = fixed * limit + (1 - fixed) * phiStopped;
    deadlines[index] = now + Math.min(late, stopped);
  }

  /**
   * How long after the latest arrival the client is late: phi 1, or 2m with a fixed limit
   * (`deadAfterMs`, `--dead-after`).
   */
  lateAfterMs(deadAfterMs: number | undefined): number {
    const mean = this.#count === 0 ? defaultIntervalMs : this.#mean();
    return deadAfterMs === undefined
      ? detectorMeanMs(mean) + this.#sigma(mean) * lateZ
      : detectorMeanMs(mean);
  }

  /** How long after the latest arrival the client is stopped: phi 8, or the fixed limit. */
  stoppedAfterMs(deadAfterMs: number | undefined): number {
    if (deadAfterMs !== undefined) {
      return deadAfterMs;
    }

    if (this.#count === 0) {
      return Math.max(
        firstIntervalStoppedMs,
        detectorMeanMs(defaultIntervalMs) +
          this.#sigma(defaultIntervalMs) * stoppedZ,
      );
    }

    const mean = this.#mean();
    return detectorMeanMs(mean) + this.#sigma(mean) * stoppedZ;
  }

  /** The held intervals, oldest first: a copy for the detail view (O(100)). */
  intervals(rings: IntervalRings): number[] {
    const result: number[] = [];
    if (this.#ringId < 0) {
      return result;
    }

    const pool = this.#pool(rings);
    const chunk = pool.chunk(this.#ringId);
    const start = pool.offset(this.#ringId);
    const first = this.#count < intervalWindowSize ? 0 : this.#next;
    for (let index = 0; index < this.#count; index++) {
      result.push(
        decodeInterval(chunk[start + ((first + index) % intervalWindowSize)]!),
      );
    }

    return result;
  }

  /** Gives the ring back to `rings`: the client is gone. */
  release(rings: IntervalRings): void {
    if (this.#ringId >= 0) {
      this.#pool(rings).release(this.#ringId);
      this.#ringId = -1;
    }
  }

  #sigma(mean: number): number {
    return detectorStdDevMs(mean, this.#count === 0 ? 0 : this.#stdDev());
  }

  #mean(): number {
    return this.#shift + this.#sum / this.#count;
  }

  #stdDev(): number {
    const meanOfShifted = this.#sum / this.#count;
    const variance =
      this.#sumOfSquares / this.#count - meanOfShifted * meanOfShifted;
    return variance > 0 ? Math.sqrt(variance) : 0;
  }

  /** The pool of the ring: small while it holds up to its size, full after. */
  #pool(rings: IntervalRings): RingPool {
    return this.#count > smallRingSize ? rings.full : rings.small;
  }

  /** Records the interval from the table's lastSeen to `now` (never negative). */
  #push(now: number, rings: IntervalRings): void {
    // The table's fields read once into locals and written back once: this runs per heartbeat.
    const {f64, i32, u8} = this.#table;
    const base = this.slot * f64PerSlot;
    const intBase = this.slot * i32PerSlot;
    const byteBase = this.slot * u8PerSlot;
    const interval = Math.max(0, now - f64[base + lastSeenField]!);
    const count = u8[byteBase + detectorCountField]!;
    let pool: RingPool;
    if (i32[intBase + detectorRingField]! < 0) {
      pool = rings.small;
      i32[intBase + detectorRingField] = pool.allocate();
      f64[base + detectorShiftField] = interval;
    } else if (count === smallRingSize) {
      pool = rings.full;
      this.#moveToFullRing(rings);
    } else {
      pool = count > smallRingSize ? rings.full : rings.small;
    }

    const ringId = i32[intBase + detectorRingField]!;
    const chunk = pool.chunk(ringId);
    const next = u8[byteBase + detectorNextField]!;
    const index = pool.offset(ringId) + next;
    const shift = f64[base + detectorShiftField]!;
    let sum = f64[base + detectorSumField]!;
    let sumOfSquares = f64[base + detectorSumOfSquaresField]!;
    if (count === intervalWindowSize) {
      const evicted = decodeInterval(chunk[index]!) - shift;
      sum -= evicted;
      sumOfSquares -= evicted * evicted;
    } else {
      u8[byteBase + detectorCountField] = count + 1;
    }

    // Sum the value that the ring's code stands for, so the sums agree with an exact recount.
    // encodeInterval(interval), rounded here: the call then takes a small integer, not a double.
    const code = encodeUnits(Math.round(interval * unitsPerMs));
    chunk[index] = code;
    const added = decodeInterval(code) - shift;
    f64[base + detectorSumField] = sum + added;
    f64[base + detectorSumOfSquaresField] = sumOfSquares + added * added;
    u8[byteBase + detectorNextField] =
      next + 1 === intervalWindowSize ? 0 : next + 1;
    const pushes = u8[byteBase + detectorPushesField]! + 1;
    u8[byteBase + detectorPushesField] = pushes;
    if (pushes === intervalWindowSize) {
      this.#recount(chunk, pool.offset(ringId));
    }
  }

  /** A small ring is full: copy it into a full-size one (it was filled from its start, so in order). */
  #moveToFullRing(rings: IntervalRings): void {
    const {small, full} = rings;
    const id = full.allocate();
    const from = small.offset(this.#ringId);
    full
      .chunk(id)
      .set(
        small.chunk(this.#ringId).subarray(from, from + smallRingSize),
        full.offset(id),
      );
    small.release(this.#ringId);
    this.#ringId = id;
  }

  /** Recomputes the sums from the ring, shifted by the current mean. */
  #recount(chunk: Uint16Array, start: number): void {
    const end = start + this.#count;
    let total = 0;
    for (let i = start; i < end; i++) {
      total += decodeInterval(chunk[i]!);
    }

    const shift = total / this.#count;
    let sum = 0;
    let sumOfSquares = 0;
    for (let i = start; i < end; i++) {
      const value = decodeInterval(chunk[i]!) - shift;
      sum += value;
      sumOfSquares += value * value;
    }

    this.#shift = shift;
    this.#sum = sum;
    this.#sumOfSquares = sumOfSquares;
    this.#pushesSinceExact = 0;
  }
}
