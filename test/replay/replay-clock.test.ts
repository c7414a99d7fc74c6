import assert from 'node:assert/strict';
import test from 'node:test';
import {
  createReplayClock,
  type RealTimers,
} from '../../source/replay/replay-clock.js';

/** Real time that moves only when the test says, with the timers it set. */
class FakeTimers implements RealTimers {
  time = 0;
  readonly timers = new Map<number, {at: number; callback: () => void}>();
  #next = 0;

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): () => void {
    const id = this.#next++;
    this.timers.set(id, {at: this.time + ms, callback});
    return () => {
      this.timers.delete(id);
    };
  }

  /** Moves real time on, firing the timers that come due. */
  advance(ms: number): void {
    this.time += ms;
    for (const [id, timer] of this.timers) {
      if (timer.at <= this.time) {
        this.timers.delete(id);
        timer.callback();
      }
    }
  }

  /** When the one pending timer fires, in real milliseconds from now. */
  pendingIn(): number | undefined {
    const [timer] = this.timers.values();
    return timer === undefined ? undefined : timer.at - this.time;
  }
}

const t0 = Date.UTC(2026, 10, 24, 6, 0, 0);

async function settled(promise: Promise<void> | undefined): Promise<boolean> {
  if (promise === undefined) {
    return true;
  }

  let done = false;
  void promise.then(() => {
    done = true;
  });
  await Promise.resolve();
  await Promise.resolve();
  return done;
}

test('the first row starts the clock at its time; at speed 2 a recorded second takes half a real one', async () => {
  const timers = new FakeTimers();
  const clock = createReplayClock(2, timers);
  assert.ok(Number.isNaN(clock.now()));
  assert.equal(clock.advanceTo(t0), undefined);
  assert.equal(clock.now(), t0);
  const wait = clock.advanceTo(t0 + 1000);
  assert.ok(wait !== undefined);
  assert.equal(timers.pendingIn(), 500);
  timers.advance(250);
  assert.equal(clock.now(), t0 + 500, 'half way, in recorded time');
  assert.equal(await settled(wait), false);
  timers.advance(250);
  assert.equal(await settled(wait), true);
  assert.equal(clock.now(), t0 + 1000);
});

test('speed 0 reaches every time at once, and rows at the same time never wait', () => {
  const timers = new FakeTimers();
  const clock = createReplayClock(0, timers);
  clock.advanceTo(t0);
  assert.equal(clock.advanceTo(t0 + 3_600_000), undefined);
  assert.equal(clock.now(), t0 + 3_600_000);
  const steady = createReplayClock(1, timers);
  steady.advanceTo(t0);
  assert.equal(steady.advanceTo(t0), undefined);
  assert.equal(timers.timers.size, 0);
});

test('pause holds recorded time; resume goes on from there', async () => {
  const timers = new FakeTimers();
  const clock = createReplayClock(1, timers);
  clock.advanceTo(t0);
  const wait = clock.advanceTo(t0 + 1000);
  timers.advance(400);
  clock.pause();
  assert.equal(clock.paused, true);
  timers.advance(10_000);
  assert.equal(clock.now(), t0 + 400);
  assert.equal(await settled(wait), false);
  clock.resume();
  assert.equal(timers.pendingIn(), 600);
  timers.advance(600);
  assert.equal(await settled(wait), true);
});

test('a new speed applies to what is left of the wait', async () => {
  const timers = new FakeTimers();
  const clock = createReplayClock(1, timers);
  clock.advanceTo(t0);
  const wait = clock.advanceTo(t0 + 1000);
  timers.advance(200);
  clock.setSpeed(4);
  assert.equal(timers.pendingIn(), 200, '800 recorded ms at 4x');
  timers.advance(200);
  assert.equal(await settled(wait), true);
  assert.equal(clock.speed, 4);
});

test('a replay that falls behind plays at once until it has caught up, keeping the pace', () => {
  const timers = new FakeTimers();
  const clock = createReplayClock(1, timers);
  clock.advanceTo(t0);
  // Playing took 50 real ms: the rows due in that time need no wait.
  timers.advance(50);
  assert.equal(clock.advanceTo(t0 + 30), undefined);
  assert.equal(clock.advanceTo(t0 + 50), undefined);
  assert.equal(clock.now(), t0 + 50);
  void clock.advanceTo(t0 + 80);
  assert.equal(timers.pendingIn(), 30);
});

test('stop releases a pending wait and every later one', async () => {
  const timers = new FakeTimers();
  const clock = createReplayClock(1, timers);
  clock.advanceTo(t0);
  const wait = clock.advanceTo(t0 + 60_000);
  clock.stop();
  assert.equal(await settled(wait), true);
  assert.equal(clock.advanceTo(t0 + 120_000), undefined);
  assert.equal(timers.timers.size, 0);
});
