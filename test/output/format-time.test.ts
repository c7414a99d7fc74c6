import assert from 'node:assert/strict';
import test from 'node:test';
import {
  formatClockTime,
  formatIsoTime,
} from '../../source/output/format-time.js';
import {formatUptime} from '../../source/uptime.js';

const isoShape = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+\-]\d\d:\d\d$/v;

/** Runs with the process in another time zone, and puts the zone back afterwards. */
function inZone<T>(zone: string, body: () => T): T {
  const saved = process.env.TZ;
  process.env.TZ = zone;
  try {
    return body();
  } finally {
    if (saved === undefined) {
      delete process.env.TZ;
    } else {
      process.env.TZ = saved;
    }
  }
}

test('formatIsoTime: milliseconds and the local offset, and it parses back to the same instant', () => {
  for (const ms of [
    0,
    1_795_000_000_123,
    1_795_000_000_123.987,
    Date.UTC(2026, 0, 1, 23, 59, 59, 999),
  ]) {
    const text = formatIsoTime(ms);
    assert.match(text, isoShape);
    assert.equal(new Date(text).getTime(), Math.floor(ms), text);
    const minutesEast = -new Date(Math.floor(ms)).getTimezoneOffset();
    const sign = minutesEast < 0 ? '-' : '+';
    const hours = String(Math.floor(Math.abs(minutesEast) / 60)).padStart(
      2,
      '0',
    );
    const minutes = String(Math.abs(minutesEast) % 60).padStart(2, '0');
    assert.ok(text.endsWith(`${sign}${hours}:${minutes}`), text);
  }
});

test('formatIsoTime: +00:00 in UTC (never Z), half-hour and negative offsets elsewhere', () => {
  // Distinct seconds for each zone: the formatter reuses the text of the current second.
  assert.equal(
    inZone('UTC', () => formatIsoTime(Date.UTC(2026, 10, 24, 6, 31, 7, 123))),
    '2026-11-24T06:31:07.123+00:00',
  );
  assert.equal(
    inZone('Asia/Kolkata', () =>
      formatIsoTime(Date.UTC(2026, 10, 24, 6, 31, 8, 5)),
    ),
    '2026-11-24T12:01:08.005+05:30',
  );
  assert.equal(
    inZone('America/St_Johns', () =>
      formatIsoTime(Date.UTC(2026, 10, 24, 2, 0, 9, 40)),
    ),
    '2026-11-23T22:30:09.040-03:30',
  );
});

test('formatIsoTime: a fraction of a millisecond never rounds into the next second', () => {
  const text = inZone('UTC', () =>
    formatIsoTime(Date.UTC(2026, 10, 24, 6, 31, 10, 999) + 0.75),
  );
  assert.equal(text, '2026-11-24T06:31:10.999+00:00');
});

test('formatClockTime: local HH:MM:SS', () => {
  const ms = Date.UTC(2026, 10, 24, 6, 31, 7, 999);
  const date = new Date(ms);
  const expected = [date.getHours(), date.getMinutes(), date.getSeconds()]
    .map((part) => String(part).padStart(2, '0'))
    .join(':');
  assert.equal(formatClockTime(ms), expected);
  assert.equal(
    inZone('UTC', () => formatClockTime(ms)),
    '06:31:07',
  );
});

test('formatUptime: whole seconds, as the header writes uptime and the summary its duration', () => {
  assert.equal(formatUptime(0), '0s');
  assert.equal(formatUptime(-5), '0s');
  assert.equal(formatUptime(412), '0s');
  assert.equal(formatUptime(4200), '4s');
  assert.equal(formatUptime(59_999), '59s');
  assert.equal(formatUptime(60_000), '1m00s');
  assert.equal(formatUptime(80_000), '1m20s');
  assert.equal(formatUptime(123_456), '2m03s');
  assert.equal(formatUptime(3_723_000), '1h02m03s');
  assert.equal(formatUptime(97_503_000), '1d03h05m');
  assert.equal(formatUptime(Number.NaN), '0s');
});
