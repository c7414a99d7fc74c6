import assert from 'node:assert/strict';
import test from 'node:test';
import {HeartbeatRate} from '../../source/store/heartbeat-rate.js';

const start = 1_764_000_000_000;

test('the rate is the count over the last 3 s (and the current 100 ms), per second', () => {
  const rate = new HeartbeatRate(start);
  assert.equal(rate.perSecond(start), 0);
  // 10 a second for 10 s, one every 100 ms, in the middle of each bucket.
  for (let index = 0; index < 100; index++) {
    rate.count(start + 50 + index * 100);
  }

  const now = start + 9950;
  // 31 buckets counted (9900 back to 6900), from 6900 to now: 3.05 s.
  assert.equal(rate.perSecond(now), (31 * 1000) / 3050);
});

test('before 3 s have passed, the rate counts from the start', () => {
  const rate = new HeartbeatRate(start);
  for (let index = 0; index < 5; index++) {
    rate.count(start + 100 * index);
  }

  assert.equal(rate.perSecond(start + 500), 10);
});

test('old buckets are cleared, however long the silence', () => {
  const rate = new HeartbeatRate(start);
  for (let index = 0; index < 30; index++) {
    rate.count(start + index * 10);
  }

  assert.ok(rate.perSecond(start + 300) > 0);
  assert.equal(rate.perSecond(start + 3500), 0);
  assert.equal(rate.perSecond(start + 3_600_000), 0);
  rate.count(start + 3_600_000);
  // At a bucket boundary the window is exactly 3 s.
  assert.equal(rate.perSecond(start + 3_600_000 + 1000), 1000 / 3000);
});

test('a clock that steps back counts into the current bucket', () => {
  const rate = new HeartbeatRate(start);
  rate.count(start + 1000);
  rate.count(start + 500);
  assert.equal(rate.perSecond(start + 1000), 2);
});
