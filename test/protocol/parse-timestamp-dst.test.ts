import test from 'node:test';
import assert from 'node:assert/strict';
import {parseTimestamp as parseTimestampAt} from '../../source/protocol/parse-timestamp.js';

/** Formats other than a time of day do not depend on the server's clock. */
function parseTimestamp(text: string): number | undefined {
  return parseTimestampAt(text, Date.UTC(2026, 10, 24, 5, 31, 7));
}

// Daylight saving time needs a zone that has it: this file alone sets one, and puts it back.
test('a local time skipped by daylight saving time is impossible', (t) => {
  const saved = process.env.TZ;
  t.after(() => {
    if (saved === undefined) {
      delete process.env.TZ;
    } else {
      process.env.TZ = saved;
    }
  });
  process.env.TZ = 'Europe/Berlin';

  // 2025-03-30: clocks in Berlin went from 02:00 to 03:00.
  assert.equal(parseTimestamp('2025-03-30 02:30:00'), undefined);
  assert.equal(parseTimestamp('Sun Mar 30 02:30:00 2025'), undefined);
  assert.equal(
    parseTimestamp('2025-03-30 03:30:00'),
    Date.UTC(2025, 2, 30, 1, 30),
  );
  assert.equal(
    parseTimestamp('2025-03-30 01:30:00'),
    Date.UTC(2025, 2, 30, 0, 30),
  );
  // An offset makes the time absolute: the gap does not apply.
  assert.equal(
    parseTimestamp('2025-03-30T02:30:00+01:00'),
    Date.UTC(2025, 2, 30, 1, 30),
  );
});
