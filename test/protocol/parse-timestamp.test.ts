import test from 'node:test';
import assert from 'node:assert/strict';
import {parseTimestamp as parseTimestampAt} from '../../source/protocol/parse-timestamp.js';

/** Formats other than a time of day do not depend on the server's clock. */
function parseTimestamp(text: string): number | undefined {
  return parseTimestampAt(text, Date.UTC(2026, 10, 24, 5, 31, 7));
}

// Expected local times come from the local-time Date API, so these tests hold in any time zone.
function local(
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
): number {
  const date = new Date(0);
  date.setFullYear(year, month - 1, day);
  date.setHours(hour, minute, second, 0);
  return date.getTime();
}

function assertNear(actual: number | undefined, expected: number): void {
  assert.ok(actual !== undefined, 'a timestamp');
  assert.ok(
    Math.abs(actual - expected) <= 0.001,
    `${actual} is not within 0.001 of ${expected}`,
  );
}

test('Python str(datetime) is local time, with or without a fraction', () => {
  assert.equal(
    parseTimestamp('2026-11-24 05:31:07'),
    local(2026, 11, 24, 5, 31, 7),
  );
  assertNear(
    parseTimestamp('2026-11-24 05:31:07.5'),
    local(2026, 11, 24, 5, 31, 7) + 500,
  );
  assertNear(
    parseTimestamp('2026-11-24 05:31:07.123456'),
    local(2026, 11, 24, 5, 31, 7) + 123.456,
  );
});

test('a fraction of 1 to 9 digits keeps the sub-millisecond part', () => {
  const base = local(2026, 11, 24, 5, 31, 7);
  assertNear(parseTimestamp('2026-11-24 05:31:07.1'), base + 100);
  assertNear(parseTimestamp('2026-11-24 05:31:07.000001'), base + 0.001);
  assertNear(
    parseTimestamp('2026-11-24 05:31:07.123456789'),
    base + 123.456_789,
  );
  assert.equal(parseTimestamp('2026-11-24 05:31:07.1234567890'), undefined);
  assert.equal(parseTimestamp('2026-11-24 05:31:07.'), undefined);
});

test('ISO 8601 without an offset is local time; Z and offsets are absolute', () => {
  assert.equal(
    parseTimestamp('2026-11-24T05:31:07'),
    local(2026, 11, 24, 5, 31, 7),
  );
  assertNear(
    parseTimestamp('2026-11-24T05:31:07.123'),
    local(2026, 11, 24, 5, 31, 7) + 123,
  );
  const utc = Date.UTC(2026, 10, 24, 5, 31, 7);
  assert.equal(parseTimestamp('2026-11-24T05:31:07Z'), utc);
  assert.equal(parseTimestamp('2026-11-24T07:31:07+02:00'), utc);
  assert.equal(parseTimestamp('2026-11-24T00:01:07-05:30'), utc);
  assert.equal(parseTimestamp('2026-11-24T05:31:07-00:00'), utc);
  assertNear(parseTimestamp('2026-11-24T05:31:07.123456+00:00'), utc + 123.456);
});

test("an aware datetime's str() carries its offset after a space, and is absolute", () => {
  const utc = Date.UTC(2026, 10, 24, 5, 31, 7);
  // str(datetime.now(timezone.utc)) and str(datetime.now().astimezone()) in Python.
  assertNear(parseTimestamp('2026-11-24 05:31:07.123456+00:00'), utc + 123.456);
  assert.equal(parseTimestamp('2026-11-24 07:31:07+02:00'), utc);
  assert.equal(parseTimestamp('2026-11-24 00:01:07-05:30'), utc);
  assert.equal(parseTimestamp('2026-11-24 05:31:07Z'), utc);
});

test('ISO 8601 offsets must be well formed', () => {
  for (const text of [
    '2026-11-24 05:31:07+0200',
    '2026-11-24 05:31:07+24:00',
    '2026-11-24T05:31:07+0200',
    '2026-11-24T05:31:07+02',
    '2026-11-24T05:31:07+24:00',
    '2026-11-24T05:31:07+02:60',
    '2026-11-24t05:31:07z',
    '2026-11-24T05:31',
    '2026-11-24',
    '26-11-24 05:31:07',
    '2026-1-24 05:31:07',
  ]) {
    assert.equal(parseTimestamp(text), undefined, text);
  }
});

test('impossible dates and times are rejected', () => {
  for (const text of [
    '2026-13-01 10:00:00',
    '2026-00-01 10:00:00',
    '2026-02-30 10:00:00',
    '2026-04-31 10:00:00',
    '2026-01-00 10:00:00',
    '2026-01-01 24:00:00',
    '2026-01-01 25:61:00',
    '2026-01-01 10:60:00',
    '2026-01-01 10:00:60',
    '2026-01-01 10:00:61',
    '2026-02-30T10:00:00Z',
    '0000-01-01 00:00:00',
    '0000-01-01T00:00:00Z',
  ]) {
    assert.equal(parseTimestamp(text), undefined, text);
  }
});

test('leap days exist only in leap years', () => {
  assert.equal(parseTimestamp('2024-02-29 12:00:00'), local(2024, 2, 29, 12));
  assert.equal(parseTimestamp('2025-02-29 12:00:00'), undefined);
  assert.equal(
    parseTimestamp('2000-02-29T12:00:00Z'),
    Date.UTC(2000, 1, 29, 12),
  );
  assert.equal(parseTimestamp('1900-02-29T12:00:00Z'), undefined);
});

test('years 0001 to 9999 all work, including the years Date maps to 19xx', () => {
  assert.equal(parseTimestamp('0001-01-01 00:00:00'), local(1, 1, 1));
  assert.equal(
    parseTimestamp('0099-12-31 23:59:59'),
    local(99, 12, 31, 23, 59, 59),
  );
  const lastUtc = new Date(0);
  lastUtc.setUTCFullYear(9999, 11, 31);
  lastUtc.setUTCHours(23, 59, 59, 0);
  assertNear(
    parseTimestamp('9999-12-31T23:59:59.999999999Z'),
    lastUtc.getTime() + 999.999_999,
  );
  assertNear(
    parseTimestamp('9999-12-31 23:59:59.999999'),
    local(9999, 12, 31, 23, 59, 59) + 999.999,
  );
  const firstUtc = new Date(0);
  firstUtc.setUTCFullYear(1, 0, 1);
  firstUtc.setUTCHours(0, 0, 0, 0);
  assert.equal(parseTimestamp('0001-01-01T00:00:00Z'), firstUtc.getTime());
});

test('epoch seconds have 9 to 11 digits and an optional fraction', () => {
  assert.equal(parseTimestamp('100000000'), 100_000_000_000);
  assert.equal(parseTimestamp('1764000000'), 1_764_000_000_000);
  assert.equal(parseTimestamp('17640000000'), 17_640_000_000_000);
  assertNear(parseTimestamp('1764000000.5'), 1_764_000_000_500);
  assertNear(parseTimestamp('1764000000.123456'), 1_764_000_000_123.456);
  assertNear(
    parseTimestamp('1764000000.123456789'),
    1_764_000_000_000 + 123.456_789,
  );
  for (const text of [
    '12345678',
    '12345678.5',
    '1764000000.',
    '.5',
    '1764000000.1234567890',
    '+1764000000',
    '-1764000000',
    '1e9',
    '1764000000,5',
  ]) {
    assert.equal(parseTimestamp(text), undefined, text);
  }
});

test('epoch milliseconds have 12 to 14 digits and may have a fraction', () => {
  assert.equal(parseTimestamp('176400000012'), 176_400_000_012);
  assert.equal(parseTimestamp('1764000000123'), 1_764_000_000_123);
  assert.equal(parseTimestamp('17640000001234'), 17_640_000_001_234);
  assert.equal(parseTimestamp('1764000000123.5'), 1_764_000_000_123.5);
  assert.equal(parseTimestamp('1764000000123.'), undefined);
  assert.equal(parseTimestamp('1764000000123.1234567890'), undefined);
  // 15 digits are microseconds, read only near the server's clock.
  assert.equal(parseTimestamp('176400000012345'), undefined);
});

test('epoch microseconds and nanoseconds are read only within 366 days of the clock', () => {
  const now = 1_764_000_000_000;
  const near = (text: string, expected: number) => {
    const ms = parseTimestampAt(text, now);
    assert.ok(
      ms !== undefined && Math.abs(ms - expected) <= 0.0005,
      `${text}: ${ms}`,
    );
  };

  near('1764000000123456', 1_764_000_000_123.456);
  near('1764000000123456789', 1_764_000_000_123.4568);
  // A year and a day away, either side: no longer a time.
  const far = now + 367 * 86_400_000;
  assert.equal(parseTimestampAt(`${far}000`, now), undefined);
  assert.equal(
    parseTimestampAt(`${now - 367 * 86_400_000}000000`, now),
    undefined,
  );
  // 21 digits are no epoch unit at all.
  assert.equal(parseTimestampAt('176400000012345678901', now), undefined);
  // Microseconds and nanoseconds carry no fraction.
  assert.equal(parseTimestampAt('1764000000123456.5', now), undefined);
});

test('ctime is local time, the day plain or padded with a space', () => {
  const expected = local(2025, 4, 4, 9, 5, 1);
  assert.equal(parseTimestamp('Fri Apr  4 09:05:01 2025'), expected);
  assert.equal(parseTimestamp('Fri Apr 4 09:05:01 2025'), expected);
  assert.equal(parseTimestamp('Fri Apr 04 09:05:01 2025'), expected);
  assert.equal(
    parseTimestamp('Mon Apr 14 12:00:00 2025'),
    local(2025, 4, 14, 12),
  );
  assert.equal(parseTimestamp('Thu Feb 29 00:00:00 2024'), local(2024, 2, 29));
});

test('ctime names must be real and the weekday must match the date', () => {
  for (const text of [
    'Tue Apr 14 12:00:00 2025',
    'Mon Foo 14 12:00:00 2025',
    'Xyz Apr 14 12:00:00 2025',
    'mon apr 14 12:00:00 2025',
    'MON APR 14 12:00:00 2025',
    'Monday Apr 14 12:00:00 2025',
    'Mon Apr 14 12:00 2025',
    'Mon Apr 14 12:00:00 25',
    'Mon Apr   4 12:00:00 2025',
    'Mon Apr 114 12:00:00 2025',
    'Sat Feb 29 00:00:00 2025',
    'Fri Apr 31 09:05:01 2025',
    'Mon Apr 14 24:00:00 2025',
  ]) {
    assert.equal(parseTimestamp(text), undefined, text);
  }
});

test('anything else is not a timestamp', () => {
  for (const text of [
    '',
    ' ',
    'not-a-date',
    '12345',
    'now',
    ' 1764000000',
    '1764000000 ',
    '２０２６-11-24 05:31:07',
  ]) {
    assert.equal(parseTimestamp(text), undefined, JSON.stringify(text));
  }
});

test('a time of day is read on the day that puts it nearest the clock, across days, months and years', () => {
  const cases: Array<[clock: number, text: string, expected: number]> = [
    [local(2026, 11, 24, 12), '12:00:01', local(2026, 11, 24, 12, 0, 1)],
    [local(2026, 11, 24, 0, 0, 1), '23:59:58', local(2026, 11, 23, 23, 59, 58)],
    [local(2026, 11, 24, 23, 59, 59), '00:00:02', local(2026, 11, 25, 0, 0, 2)],
    [local(2026, 12, 1, 0, 0, 1), '23:59:59', local(2026, 11, 30, 23, 59, 59)],
    [local(2026, 12, 31, 23, 0), '01:00:00', local(2027, 1, 1, 1)],
    [local(2027, 1, 1, 0, 30), '23:00:00', local(2026, 12, 31, 23)],
    // Half a day either way: the nearer side wins.
    [local(2026, 11, 24, 6), '17:59:00', local(2026, 11, 24, 17, 59)],
    [local(2026, 11, 24, 6), '18:01:00', local(2026, 11, 23, 18, 1)],
  ];
  for (const [clock, text, expected] of cases) {
    assert.equal(
      parseTimestampAt(text, clock),
      expected,
      `${text} at ${clock}`,
    );
  }

  assertNear(
    parseTimestampAt('07:19:16.123456789', local(2026, 11, 24, 7, 20)),
    local(2026, 11, 24, 7, 19, 16) + 123.456_789,
  );
  for (const text of [
    '24:00:00',
    '23:60:00',
    '23:59:60',
    '7:19:16',
    '07:19',
    '07:19:16.',
    '07:19:16.1234567890',
  ]) {
    assert.equal(
      parseTimestampAt(text, local(2026, 11, 24, 12)),
      undefined,
      text,
    );
  }
});
