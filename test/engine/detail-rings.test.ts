import assert from 'node:assert/strict';
import test from 'node:test';
import {
  DetailRings,
  decodeDelay,
  encodeDelay,
} from '../../source/store/detail-rings.js';

test('a delay kept as 16 bits is within 0.05 % of itself, signs and zero kept', () => {
  for (const ms of [0.0021, 0.4, 1, 12.345, 999, 86_400_000, -3.5]) {
    const kept = decodeDelay(encodeDelay(ms));
    assert.ok(
      Math.abs(kept - ms) <= Math.abs(ms) * 5e-4,
      `${ms} kept as ${kept}`,
    );
  }

  assert.equal(decodeDelay(encodeDelay(0)), 0);
  assert.ok(encodeDelay(1e12) <= 0xff_ff, 'a huge delay saturates');
});

test('the last 100 delays, oldest first, through the small ring and the full one', () => {
  const rings = new DetailRings();
  rings.clear(0);
  rings.clear(1);
  for (let index = 1; index <= 5; index++) {
    rings.pushDelay(0, index);
  }

  assert.deepEqual(
    rings.delays(0).map((delay) => Math.round(delay)),
    [1, 2, 3, 4, 5],
  );
  for (let index = 6; index <= 130; index++) {
    rings.pushDelay(0, index);
  }

  const delays = rings.delays(0).map((delay) => Math.round(delay));
  assert.equal(delays.length, 100);
  assert.equal(delays[0], 31);
  assert.equal(delays.at(-1), 130);
  assert.deepEqual(rings.delays(1), []);
});

test('a slot that moves keeps its rings; a released slot starts empty again', () => {
  const rings = new DetailRings();
  for (let slot = 0; slot < 200; slot++) {
    rings.clear(slot);
    rings.pushDelay(slot, slot + 1);
    rings.pushState(slot, 1000 + slot, 'alive');
  }

  rings.pushState(199, 2000, 'late');
  rings.release(3);
  rings.move(199, 3);
  assert.deepEqual(
    rings.delays(3).map((delay) => Math.round(delay)),
    [200],
  );
  assert.deepEqual(
    rings.stateChanges(3).map((change) => change.state),
    ['alive', 'late'],
  );
  rings.clear(199);
  assert.deepEqual(rings.delays(199), []);
  assert.deepEqual(rings.stateChanges(199), []);
});
