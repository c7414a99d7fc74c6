import test from 'node:test';
import assert from 'node:assert/strict';
import {
  combineSegments,
  roundRatios,
  turnOrder,
  withOtherLoad,
} from '../../bench/combine.js';
import {phase} from './phases.js';

test('withOtherLoad is what the machine did besides the server and the generator', () => {
  const measured = phase({
    serverCpu: 0.9,
    generatorCpuCores: 0.6,
    machineCores: 1.8,
  });
  assert.ok(Math.abs(measured.otherCores - 0.3) < 1e-9);
  // Never below zero: the counters are read at slightly different instants.
  assert.equal(
    phase({serverCpu: 1, generatorCpuCores: 1, machineCores: 1.9}).otherCores,
    0,
  );
  assert.ok(
    Number.isNaN(withOtherLoad({...phase(), server: undefined}).otherCores),
  );
});

test('combineSegments weighs each segment by its length', () => {
  const combined = combineSegments([
    phase({windowStart: 0, windowEnd: 1000, replied: 10_000, serverCpu: 1}),
    phase({
      windowStart: 5000,
      windowEnd: 8000,
      replied: 90_000,
      serverCpu: 0.6,
      socketDrops: 3,
      lost: 2,
    }),
  ]);
  assert.equal(combined.seconds, 4);
  assert.equal(combined.replied, 100_000);
  assert.equal(combined.repliesPerSecond, 25_000);
  assert.ok(Math.abs(combined.serverCpuCores - (1 * 1 + 0.6 * 3) / 4) < 1e-9);
  assert.equal(combined.socketDrops, 3);
  assert.equal(combined.lost, 2);
  assert.equal(combined.segments.length, 2);
});

test('roundRatios divides each round by the baseline of the same round', () => {
  const baseline = combineSegments([
    phase({repliesPerSecond: 100}),
    phase({repliesPerSecond: 50}),
  ]);
  const value = combineSegments([
    phase({repliesPerSecond: 80}),
    phase({repliesPerSecond: 45}),
    phase({repliesPerSecond: 1}),
  ]);
  assert.deepEqual(roundRatios(value, baseline), [0.8, 0.9]);
});

test('turnOrder rotates, so that no server always goes first', () => {
  assert.deepEqual(turnOrder(['a', 'b', 'c'], 0), ['a', 'b', 'c']);
  assert.deepEqual(turnOrder(['a', 'b', 'c'], 1), ['b', 'c', 'a']);
  assert.deepEqual(turnOrder(['a', 'b', 'c'], 5), ['c', 'a', 'b']);
  assert.deepEqual(turnOrder([], 3), []);
});
