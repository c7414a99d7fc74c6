import assert from 'node:assert/strict';
import test from 'node:test';
import {
  formatAge,
  formatCount,
  formatDuration,
  formatHistory,
  formatDelay,
  formatInterval,
  formatLossSetting,
  formatMs,
  formatPercent,
  formatRate,
  formatSilence,
  formatUptime,
} from '../../source/ui/format-cells.js';

test('durations: tenths for ten seconds, whole seconds below a minute, then minutes, hours, days', () => {
  assert.equal(formatDuration(0), '0.0s');
  assert.equal(formatDuration(420), '0.4s');
  assert.equal(formatDuration(3249), '3.2s');
  assert.equal(formatDuration(9990), '9.9s');
  assert.equal(formatDuration(10_000), '10s');
  assert.equal(formatDuration(12_900), '12s');
  assert.equal(formatDuration(59_990), '59s');
  assert.equal(formatDuration(60_000), '1m00s');
  assert.equal(formatDuration(125_000), '2m05s');
  assert.equal(formatDuration(3_600_000 + 2 * 60_000 + 59_000), '1h02m');
  assert.equal(formatDuration(3 * 86_400_000 + 4 * 3_600_000), '3d04h');
});

test('past ten seconds an age changes at most once a second', () => {
  // Every 100 ms for ten minutes, from ten seconds on: how often the text changes.
  let changes = 0;
  let previous = formatAge(0, 10_000);
  for (let now = 10_000; now <= 610_000; now += 100) {
    const text = formatAge(0, now);
    if (text !== previous) {
      changes++;
      previous = text;
    }
  }

  assert.equal(changes, 600, 'once a second, 600 times in ten minutes');
});

test('durations never go negative or NaN', () => {
  assert.equal(formatDuration(-5000), '0.0s');
  assert.equal(formatDuration(Number.NaN), '0.0s');
  assert.equal(formatDuration(Number.POSITIVE_INFINITY), '0.0s');
});

test('ages read as "… ago" and a time in the future as now', () => {
  assert.equal(formatAge(1000, 4200), '3.2s ago');
  assert.equal(formatAge(0, 125_000), '2m05s ago');
  assert.equal(formatAge(5000, 4000), '0.0s ago');
});

test('uptime in whole seconds', () => {
  assert.equal(formatUptime(999), '0s');
  assert.equal(formatUptime(12_000), '12s');
  assert.equal(formatUptime(307_000), '5m07s');
  assert.equal(formatUptime(3_723_000), '1h02m03s');
  assert.equal(
    formatUptime(2 * 86_400_000 + 3 * 3_600_000 + 4 * 60_000),
    '2d03h04m',
  );
});

test('silence for the idle prompt', () => {
  assert.equal(formatSilence(45_500), '45s');
  assert.equal(formatSilence(62_000), '1m 02s');
  assert.equal(formatSilence(3_720_000), '1h 02m');
});

test('milliseconds with about three significant digits', () => {
  assert.equal(formatMs(undefined), '-');
  assert.equal(formatMs(Number.NaN), '-');
  assert.equal(formatMs(0.421), '0.42ms');
  assert.equal(formatMs(3.21), '3.2ms');
  assert.equal(formatMs(12.3), '12ms');
  assert.equal(formatMs(123.4), '123ms');
  assert.equal(formatMs(1234), '1.23s');
  assert.equal(formatMs(12_345), '12.3s');
  assert.equal(formatMs(125_000), '2m05s');
  assert.equal(formatMs(-3.21), '-3.2ms', 'a client clock ahead of ours');
});

test('percentages with one decimal; the loss setting as typed', () => {
  assert.equal(formatPercent(undefined), '-');
  assert.equal(formatPercent(0), '0.0%');
  assert.equal(formatPercent(100 / 3), '33.3%');
  assert.equal(formatPercent(100), '100.0%');
  assert.equal(formatLossSetting(40), '40%');
  assert.equal(formatLossSetting(12.5), '12.5%');
  assert.equal(formatLossSetting(0.25), '0.25%');
  assert.equal(formatLossSetting(13.300_000_000_000_001), '13.3%');
});

test('intervals: mean and spread in one style, milliseconds, whatever their size', () => {
  assert.equal(formatInterval(undefined, undefined), '-');
  assert.equal(formatInterval(1000, undefined), '1000ms');
  assert.equal(formatInterval(1000, 12), '1000 +-12ms');
  assert.equal(formatInterval(1000, 0.47), '1000 +-0.47ms');
  assert.equal(formatInterval(1000, 33.2), '1000 +-33ms');
  assert.equal(formatInterval(250, 0.5), '250 +-0.50ms');
  assert.equal(formatInterval(9.87, 1.2), '9.9 +-1.2ms');
  assert.equal(formatInterval(60_000, 1234), '60000 +-1234ms');
  // One style: every cell ends in the unit once, never seconds beside milliseconds.
  for (const [mean, spread] of [
    [5, 0.1],
    [999, 20],
    [1000, 0.47],
    [1500, 33],
    [12_000, 400],
  ] as const) {
    assert.match(formatInterval(mean, spread), /^[\d.]+ \+-[\d.]+ms$/v);
  }

  assert.match(formatInterval(1000, 12), /^[ -~]*$/v);
});

test('delays: always milliseconds, negative when the client runs ahead', () => {
  assert.equal(formatDelay(undefined), '-');
  assert.equal(formatDelay(0.421), '0.42ms');
  assert.equal(formatDelay(3.21), '3.2ms');
  assert.equal(formatDelay(12.3), '12ms');
  assert.equal(formatDelay(1234.5), '1235ms');
  assert.equal(formatDelay(-61_234), '-61234ms');
});

test('counts and rates', () => {
  assert.equal(formatCount(undefined), '-');
  assert.equal(formatCount(0), '0');
  assert.equal(formatCount(123_456), '123456');
  assert.equal(formatRate(12.46), '12.5');
  assert.equal(formatRate(0), '0.0');
  assert.equal(formatRate(Number.NaN), '0.0');
});

test('the history strip: one ASCII symbol per outcome, most recent kept', () => {
  assert.equal(formatHistory([], 24), '');
  assert.equal(
    formatHistory(['replied', 'dropped', 'lost', 'malformed'], 24),
    '.x?!',
  );
  assert.equal(
    formatHistory(['dropped', 'dropped', 'replied', 'lost'], 2),
    '.?',
  );
  assert.equal(formatHistory(['replied'], 0), '');
});

test('a figure past a day is >1d everywhere the dashboard shows it, never a width-changing number', () => {
  const years = 10_202 * 86_400_000;
  assert.equal(formatDelay(years), '>1d');
  assert.equal(formatDelay(-years), '<-1d');
  assert.equal(formatMs(years), '>1d');
  assert.equal(formatInterval(years, 3), '>1d');
  assert.equal(formatInterval(1000, years), '>1d');
  assert.equal(formatDelay(86_400_000), '86400000ms');
  assert.ok(formatDelay(years).length <= '-1234ms'.length);
});
