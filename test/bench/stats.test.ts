import test from 'node:test';
import assert from 'node:assert/strict';
import {
  dueSends,
  formatRatio,
  formatTable,
  median,
  percentile,
  replySequence,
} from '../../bench/stats.js';

test('percentile takes the nearest rank of sorted values', () => {
  const sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  assert.equal(percentile(sorted, 50), 5);
  assert.equal(percentile(sorted, 99), 10);
  assert.equal(percentile(sorted, 10), 1);
  assert.equal(percentile(sorted, 0), 1);
  assert.equal(percentile(sorted, 100), 10);
  assert.ok(Number.isNaN(percentile([], 50)));
});

test('median sorts a copy and leaves the samples alone', () => {
  const samples = [9, 1, 5];
  assert.equal(median(samples), 5);
  assert.deepEqual(samples, [9, 1, 5]);
});

test('dueSends sends what the rate asks for since the start, less what went', () => {
  assert.deepEqual(
    dueSends({
      ratePerSecond: 20_000,
      elapsedMs: 10,
      sent: 150,
      skipped: 0,
      maxLagMs: 100,
    }),
    {send: 50, skip: 0},
  );
  assert.deepEqual(
    dueSends({
      ratePerSecond: 20_000,
      elapsedMs: 10,
      sent: 200,
      skipped: 0,
      maxLagMs: 100,
    }),
    {send: 0, skip: 0},
  );
});

test('dueSends gives up the part of the offer older than the allowed lag', () => {
  // 1 s behind at 1000/s with 100 ms allowed: send 100, skip 900.
  assert.deepEqual(
    dueSends({
      ratePerSecond: 1000,
      elapsedMs: 1000,
      sent: 0,
      skipped: 0,
      maxLagMs: 100,
    }),
    {send: 100, skip: 900},
  );
  // What was skipped is not offered again.
  assert.deepEqual(
    dueSends({
      ratePerSecond: 1000,
      elapsedMs: 1001,
      sent: 100,
      skipped: 900,
      maxLagMs: 100,
    }),
    {send: 1, skip: 0},
  );
});

test('replySequence reads the number a PING reply echoes, and nothing else', () => {
  assert.equal(replySequence(Buffer.from('PING 4711 1764000000.123456')), 4711);
  assert.equal(replySequence(Buffer.from('PING 0')), 0);
  assert.equal(replySequence(Buffer.from('ok')), undefined);
  assert.equal(replySequence(Buffer.from('PING x')), undefined);
  assert.equal(
    replySequence(Buffer.from('Packet delivery delay = 0:00:00.000100')),
    undefined,
  );
});

test('formatRatio writes two decimals, or a dash without a baseline', () => {
  assert.equal(formatRatio(50, 100), '0.50×');
  assert.equal(formatRatio(50, 0), '-');
  assert.equal(formatRatio(Number.NaN, 100), '-');
});

test('formatTable pads the first column to the left and the others to the right', () => {
  assert.equal(
    formatTable([
      ['name', 'value'],
      ['a', '1'],
      ['longer', '100'],
    ]),
    ['name    value', 'a           1', 'longer    100'].join('\n'),
  );
});
