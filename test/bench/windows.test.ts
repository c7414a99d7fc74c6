import test from 'node:test';
import assert from 'node:assert/strict';
import {loopbackSources} from '../../bench/memory.js';
import {framesPerSecond} from '../../bench/scenario.js';

test('framesPerSecond counts the frames inside the windows over their length', () => {
  const times = [100, 900, 1000, 1500, 2999, 3000, 5000];
  assert.equal(
    framesPerSecond(times, [{windowStart: 1000, windowEnd: 3000}]),
    1.5,
  );
  assert.equal(
    framesPerSecond(times, [
      {windowStart: 0, windowEnd: 1000},
      {windowStart: 4000, windowEnd: 6000},
    ]),
    1,
  );
  assert.ok(Number.isNaN(framesPerSecond(times, [])));
});

test('loopbackSources gives enough addresses for the clients, and one to spare', () => {
  assert.deepEqual(loopbackSources(100_000, 12_000), [
    '127.0.0.2',
    '127.0.0.3',
    '127.0.0.4',
    '127.0.0.5',
    '127.0.0.6',
    '127.0.0.7',
    '127.0.0.8',
    '127.0.0.9',
    '127.0.0.10',
    '127.0.0.11',
  ]);
  assert.deepEqual(loopbackSources(10, 12_000), ['127.0.0.2', '127.0.0.3']);
});
