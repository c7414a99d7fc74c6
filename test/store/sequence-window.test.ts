import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import {SequenceWindow} from '../../source/store/sequence-window.js';

type Counts = {
  lost: number;
  reordered: number;
  duplicates: number;
  restarts: number;
  last: number | undefined;
};

function counts(window: SequenceWindow): Counts {
  const {lost, reordered, duplicates, restarts, last} = window;
  return {lost, reordered, duplicates, restarts, last};
}

function run(...seqs: number[]): SequenceWindow {
  const window = new SequenceWindow();
  for (const seq of seqs) {
    window.record(seq);
  }

  return window;
}

test('in order: nothing lost', () => {
  assert.deepEqual(counts(run(0, 1, 2, 3, 4)), {
    lost: 0,
    reordered: 0,
    duplicates: 0,
    restarts: 0,
    last: 4,
  });
});

test('nothing before the first number counts as lost', () => {
  const window = new SequenceWindow();
  assert.equal(window.last, undefined);
  assert.equal(window.record(1000), 0);
  assert.deepEqual(counts(window), {
    lost: 0,
    reordered: 0,
    duplicates: 0,
    restarts: 0,
    last: 1000,
  });
  // An older number than the first one is a duplicate: it was never counted lost.
  window.record(999);
  assert.equal(window.duplicates, 1);
  assert.equal(window.lost, 0);
});

test('a gap counts the numbers in between as lost and says how many', () => {
  const window = run(1, 2);
  assert.equal(window.record(6), 3);
  assert.equal(window.lost, 3);
  assert.equal(window.last, 6);
  assert.equal(window.record(7), 0);
  assert.equal(window.lost, 3);
});

test('a restart at 0 or at 1 starts over without counting anything lost', () => {
  const atZero = run(5, 6, 7, 0, 1, 2);
  assert.deepEqual(counts(atZero), {
    lost: 0,
    reordered: 0,
    duplicates: 0,
    restarts: 1,
    last: 2,
  });
  const atOne = run(10, 11, 1, 2);
  assert.deepEqual(counts(atOne), {
    lost: 0,
    reordered: 0,
    duplicates: 0,
    restarts: 1,
    last: 2,
  });
  // What the old run lost stays counted; the new run goes on from its own first number.
  const old = run(1, 2, 4, 0, 1, 2);
  assert.deepEqual(counts(old), {
    lost: 1,
    reordered: 0,
    duplicates: 0,
    restarts: 1,
    last: 2,
  });
});

test('dropping to 0 or 1 is no restart while last is 1 or less', () => {
  const window = run(0, 1, 0);
  assert.equal(window.restarts, 0);
  assert.equal(window.duplicates, 1);
  const again = run(1, 1);
  assert.equal(again.restarts, 0);
  assert.equal(again.duplicates, 1);
});

test('a number counted lost that arrives within 64 is reordered and taken off lost', () => {
  const window = run(1, 5);
  assert.equal(window.lost, 3);
  assert.equal(window.record(3), 0);
  assert.equal(window.lost, 2);
  assert.equal(window.reordered, 1);
  assert.equal(window.last, 5);
  // The same number again is now a duplicate.
  window.record(3);
  assert.equal(window.duplicates, 1);
  assert.equal(window.lost, 2);
});

test('the window reaches exactly 63 numbers back, across both halves of the bitmap', () => {
  for (const distance of [1, 31, 32, 33, 63]) {
    const window = run(10, 10 + 100);
    window.record(10 + 100 - distance);
    assert.equal(window.reordered, 1, `distance ${distance}`);
    assert.equal(window.lost, 98, `distance ${distance}`);
  }

  const beyond = run(10, 10 + 100);
  beyond.record(10 + 100 - 64);
  assert.equal(beyond.reordered, 0);
  assert.equal(beyond.duplicates, 1);
  assert.equal(beyond.lost, 99);
});

test('gaps of every size shift the bitmap correctly', () => {
  for (let gap = 1; gap <= 70; gap++) {
    const window = run(100, 100 + gap);
    for (let missing = 100 + gap - 1; missing > 100; missing--) {
      window.record(missing);
    }

    const reachable = Math.min(gap - 1, 63);
    assert.equal(window.reordered, reachable, `gap ${gap}`);
    assert.equal(window.lost, gap - 1 - reachable, `gap ${gap}`);
    assert.equal(window.duplicates, gap - 1 - reachable, `gap ${gap}`);
    // The number before the gap arrived: a duplicate when still in the window.
    window.record(100);
    assert.equal(window.reordered, reachable, `gap ${gap}`);
  }
});

test('duplicates of the latest and of received numbers', () => {
  const window = run(1, 2, 3, 3, 2, 2);
  assert.equal(window.duplicates, 3);
  assert.equal(window.lost, 0);
  assert.equal(window.reordered, 0);
});

test('a huge jump counts every missing number at once, without a loop', () => {
  const window = run(1);
  const started = performance.now();
  assert.equal(window.record(9e15), 9e15 - 2);
  assert.equal(window.lost, 9e15 - 2);
  assert.equal(
    window.record(Number.MAX_SAFE_INTEGER),
    Number.MAX_SAFE_INTEGER - 9e15 - 1,
  );
  assert.equal(window.last, Number.MAX_SAFE_INTEGER);
  assert.ok(performance.now() - started < 1000);
  window.record(Number.MAX_SAFE_INTEGER - 3);
  assert.equal(window.reordered, 1);
  window.record(Number.MAX_SAFE_INTEGER);
  assert.equal(window.duplicates, 1);
});

test('after a reset of the counters a late number cannot make lost negative', () => {
  const window = run(1, 5);
  window.resetCounters();
  assert.deepEqual(counts(window), {
    lost: 0,
    reordered: 0,
    duplicates: 0,
    restarts: 0,
    last: 5,
  });
  window.record(3);
  assert.equal(window.lost, 0);
  assert.equal(window.duplicates, 1);
  window.record(6);
  assert.equal(window.lost, 0);
});

/** The rules of docs/protocol.md written plainly, with a set of the numbers counted lost. */
class ModelWindow {
  lost = 0;
  reordered = 0;
  duplicates = 0;
  restarts = 0;
  last: number | undefined;
  readonly missing = new Set<number>();

  record(seq: number): void {
    const {last} = this;
    if (last === undefined) {
      this.last = seq;
    } else if (seq > last) {
      for (let number = last + 1; number < seq; number++) {
        this.missing.add(number);
      }

      this.lost += seq - last - 1;
      this.last = seq;
    } else if (seq <= 1 && last > 1) {
      this.restarts++;
      this.missing.clear();
      this.last = seq;
    } else if (last - seq < 64 && this.missing.has(seq)) {
      this.missing.delete(seq);
      this.lost--;
      this.reordered++;
    } else {
      this.duplicates++;
    }
  }
}

test('agrees with the plain rules on any sequence', () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.oneof(
          fc.integer({min: 0, max: 3}),
          fc.integer({min: 0, max: 400}),
          fc.integer({min: 150, max: 220}),
        ),
        {maxLength: 300},
      ),
      (seqs) => {
        const window = new SequenceWindow();
        const model = new ModelWindow();
        for (const seq of seqs) {
          window.record(seq);
          model.record(seq);
        }

        const {lost, reordered, duplicates, restarts, last} = model;
        assert.deepEqual(counts(window), {
          lost,
          reordered,
          duplicates,
          restarts,
          last,
        });
      },
    ),
    {numRuns: 500},
  );
});
