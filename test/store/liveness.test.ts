import assert from 'node:assert/strict';
import test from 'node:test';
import {IntervalRings} from '../../source/store/interval-rings.js';
import {
  arrivalsBetweenOutages,
  clientPhi,
  defaultIntervalMs,
  detectorMeanMs,
  detectorStdDevMs,
  firstIntervalStoppedMs,
  intervalWindowSize,
  lateZ,
  LivenessDetector,
  phi,
  stoppedZ,
} from '../../source/store/liveness.js';

function close(
  actual: number,
  expected: number,
  tolerance: number,
  message?: string,
) {
  assert.ok(
    Math.abs(actual - expected) <= tolerance,
    `${message ?? ''} ${actual} is not within ${tolerance} of ${expected}`,
  );
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

function populationStdDev(values: readonly number[]): number {
  const average = mean(values);
  return Math.sqrt(mean(values.map((value) => (value - average) ** 2)));
}

/** A detector fed the given intervals, as a client beating with them would. */
function detectorWith(
  intervals: readonly number[],
  rings = new IntervalRings(),
) {
  const detector = new LivenessDetector();
  detector.arrive(Number.NaN, false, rings);
  for (const interval of intervals) {
    detector.arrive(interval, false, rings);
  }

  return detector;
}

test('phi is -log10 of the normal tail: 0.30103 at the mean, 1 and 8 at the z values', () => {
  close(phi(1000, 1000, 100), Math.log10(2), 1e-7);
  close(phi(1000 + 100 * lateZ, 1000, 100), 1, 1e-6);
  close(phi(1000 + 100 * stoppedZ, 1000, 100), 8, 1e-6);
  // One σ past the mean: 1 - F = 0.158655…
  close(phi(1100, 1000, 100), -Math.log10(0.158_655_253_931_457_05), 1e-6);
  // Well before the mean phi is near 0; it is never negative.
  close(phi(0, 1000, 100), 0, 1e-20);
  assert.ok(phi(0, 1000, 100) >= 0);
  assert.ok(phi(500, 1000, 100) > 0);
});

test('phi grows with the silence and stays finite however long it is', () => {
  let previous = -1;
  for (let silence = 0; silence < 10_000; silence += 50) {
    const value = phi(silence, 1000, 100);
    assert.ok(value >= previous, `phi falls at ${silence}`);
    previous = value;
  }

  const late = phi(1e9, 1000, 100);
  assert.ok(Number.isFinite(late) && late > 1e6);
});

test('the z constants are where phi crosses 1 and 8', () => {
  // Φ(z) for the constants, from the complementary error function phi itself uses.
  assert.ok(phi(lateZ - 1e-4, 0, 1) < 1);
  assert.ok(phi(lateZ + 1e-4, 0, 1) > 1);
  assert.ok(phi(stoppedZ - 1e-4, 0, 1) < 8);
  assert.ok(phi(stoppedZ + 1e-4, 0, 1) > 8);
});

test('with no spread phi is a step at the mean', () => {
  assert.equal(phi(99, 100, 0), 0);
  assert.equal(phi(100, 100, 0), Number.POSITIVE_INFINITY);
});

test('clientPhi applies μ = 2m, σ = max(s, m/4), and m = 1 s before two heartbeats', () => {
  assert.equal(detectorMeanMs(100), 200);
  assert.equal(detectorStdDevMs(100, 10), 25);
  assert.equal(detectorStdDevMs(100, 40), 40);
  assert.equal(clientPhi(700, 100, 40), phi(700, 200, 40));
  assert.equal(clientPhi(2500, undefined, undefined), phi(2500, 2000, 250));
  assert.equal(defaultIntervalMs, 1000);
});

test('before any interval the detector assumes m = 1 s', () => {
  const detector = detectorWith([]);
  assert.equal(detector.intervalCount, 0);
  assert.equal(detector.meanMs, undefined);
  assert.equal(detector.stdDevMs, undefined);
  assert.equal(detector.lateAfterMs(undefined), 2000 + 250 * lateZ);
  // phi 8 would come at 3.4 s; before a second heartbeat, stopped waits for 10 s of silence.
  assert.equal(detector.stoppedAfterMs(undefined), firstIntervalStoppedMs);
  assert.equal(firstIntervalStoppedMs, 10_000);
  assert.equal(detector.lateAfterMs(5000), 2000);
  assert.equal(detector.stoppedAfterMs(5000), 5000);
});

test('mean and population deviation of the intervals', () => {
  const intervals = [100, 200, 100, 150, 50];
  const detector = detectorWith(intervals);
  assert.equal(detector.intervalCount, 5);
  close(detector.meanMs!, 120, 1e-9);
  close(detector.stdDevMs!, populationStdDev(intervals), 1e-9);
  const sigma = Math.max(populationStdDev(intervals), 30);
  close(detector.lateAfterMs(undefined), 240 + sigma * lateZ, 1e-9);
  close(detector.stoppedAfterMs(undefined), 240 + sigma * stoppedZ, 1e-9);
  assert.equal(detector.lateAfterMs(2000), 240);
  assert.equal(detector.stoppedAfterMs(2000), 2000);
});

test('only the last 100 intervals count, through the small ring, the full ring and wrapping', () => {
  const rings = new IntervalRings();
  const detector = new LivenessDetector();
  detector.arrive(Number.NaN, false, rings);
  const sent: number[] = [];
  for (let index = 0; index < 357; index++) {
    const interval = 100 + ((index * 37) % 23) - 11 + (index > 200 ? 400 : 0);
    sent.push(interval);
    detector.arrive(interval, false, rings);
    const held = sent.slice(-intervalWindowSize);
    assert.equal(detector.intervalCount, held.length);
    close(detector.meanMs!, mean(held), 1e-9, `mean after ${sent.length}`);
    close(
      detector.stdDevMs!,
      populationStdDev(held),
      1e-6,
      `deviation after ${sent.length}`,
    );
  }
});

test('the sums do not drift over a long run of large, nearly equal intervals', () => {
  const rings = new IntervalRings();
  const detector = detectorWith([], rings);
  const sent: number[] = [];
  for (let index = 0; index < 20_000; index++) {
    // Float32 holds these exactly (integers with a quarter), so the expected values are exact.
    const interval =
      3_600_000 + (index % 7) * 0.25 + (index > 15_000 ? 1000 : 0);
    sent.push(interval);
    detector.arrive(interval, false, rings);
  }

  const held = sent.slice(-intervalWindowSize);
  close(detector.meanMs!, mean(held), 1e-6);
  close(detector.stdDevMs!, populationStdDev(held), 1e-6);
});

test('negative silences (a clock that stepped back) count as 0', () => {
  const detector = detectorWith([-50, 100]);
  close(detector.meanMs!, 50, 1e-12);
});

const steady = Array.from({length: arrivalsBetweenOutages}, () => 100);

test('a stopped silence is not recorded once the client has kept its rhythm a while', () => {
  const rings = new IntervalRings();
  const detector = detectorWith(steady, rings);
  detector.arrive(60_000, true, rings);
  assert.equal(detector.intervalCount, steady.length);
  assert.equal(detector.meanMs, 100);
  // The next silence is normal again.
  detector.arrive(100, false, rings);
  assert.equal(detector.intervalCount, steady.length + 1);
  assert.equal(detector.meanMs, 100);
});

test('a late silence is recorded: the client was slow, not gone', () => {
  const rings = new IntervalRings();
  const detector = detectorWith(steady, rings);
  detector.arrive(1200, false, rings);
  assert.equal(detector.intervalCount, steady.length + 1);
  assert.equal(detector.meanMs, 200);
});

test('stops close together are the rhythm and are learned, not left flapping', () => {
  const rings = new IntervalRings();
  // Judged by the 1 s guess: a client beating every 5 s is stopped before its second heartbeat.
  const slow = detectorWith([], rings);
  slow.arrive(5000, true, rings);
  assert.equal(slow.intervalCount, 1);
  assert.equal(slow.meanMs, 5000);
  // Stopped within its first ten datagrams: still learning.
  const early = detectorWith([40], rings);
  early.arrive(160, true, rings);
  assert.equal(early.intervalCount, 2);
  assert.equal(early.meanMs, 100);
  // A client that slowed down: the first stop is an outage, the next one soon after is not.
  const slowed = detectorWith(steady, rings);
  slowed.arrive(5000, true, rings);
  assert.equal(slowed.intervalCount, steady.length);
  slowed.arrive(5000, true, rings);
  assert.equal(slowed.intervalCount, steady.length + 1);
  // Ten datagrams after a stop, the next stop is an outage again.
  for (let index = 1; index < arrivalsBetweenOutages; index++) {
    slowed.arrive(5000, false, rings);
  }

  const count = slowed.intervalCount;
  slowed.arrive(60_000, true, rings);
  assert.equal(slowed.intervalCount, count);
});

test('released rings are reused by the next detector', () => {
  const rings = new IntervalRings();
  const first = detectorWith(
    Array.from({length: 120}, () => 100),
    rings,
  );
  first.release(rings);
  first.release(rings);
  const second = detectorWith(
    Array.from({length: 120}, (_, index) => 200 + index),
    rings,
  );
  const third = detectorWith(
    Array.from({length: 120}, () => 300),
    rings,
  );
  close(
    second.meanMs!,
    mean(Array.from({length: 100}, (_, index) => 220 + index)),
    1e-9,
  );
  assert.equal(third.meanMs, 300);
  assert.equal(third.stdDevMs, 0);
});
