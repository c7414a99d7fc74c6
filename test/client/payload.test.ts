import assert from 'node:assert/strict';
import test from 'node:test';
import {
  buildPayload,
  epochSeconds,
  pythonDatetime,
} from '../../source/client/payload.js';
import {parseRequest} from '../../source/protocol/parse-request.js';

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** The local date and time of `ms` as Python prints it, without the fraction. */
function localSeconds(ms: number): string {
  const date = new Date(ms);
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
  );
}

// 2026-11-24 05:31:07 UTC, and a moment with a fraction.
const wholeSecond = 1_795_498_267_000;
const withFraction = wholeSecond + 123.456;

test('seed: seq, a tab and str(datetime.now()) in local time with microseconds', () => {
  assert.equal(
    buildPayload('seed', 7, withFraction),
    `7\t${localSeconds(wholeSecond)}.123456`,
  );
});

test('seed: no fraction when the microsecond is 0, as Python writes it', () => {
  assert.equal(
    buildPayload('seed', 7, wholeSecond),
    `7\t${localSeconds(wholeSecond)}`,
  );
});

test('seed: a fraction of whole milliseconds keeps six digits', () => {
  assert.equal(
    pythonDatetime(wholeSecond + 5),
    `${localSeconds(wholeSecond)}.005000`,
  );
  assert.equal(
    pythonDatetime(wholeSecond + 0.001),
    `${localSeconds(wholeSecond)}.000001`,
  );
});

test('a time a hair before the next second rounds into it whole, never to .1000000', () => {
  assert.equal(pythonDatetime(wholeSecond - 0.0004), localSeconds(wholeSecond));
  assert.equal(epochSeconds(wholeSecond - 0.0004), '1795498267.000000');
});

test('ping and heartbeat: label, seq and time.time() with six decimals', () => {
  assert.equal(
    buildPayload('ping', 3, withFraction),
    'Ping 3 1795498267.123456',
  );
  assert.equal(
    buildPayload('heartbeat', 12, wholeSecond),
    'Heartbeat 12 1795498267.000000',
  );
});

test('the server reads every format back: seq and the same moment', () => {
  for (const format of ['seed', 'ping', 'heartbeat'] as const) {
    for (const nowMs of [wholeSecond, withFraction]) {
      const request = parseRequest(
        Buffer.from(buildPayload(format, 42, nowMs)),
        nowMs,
      );
      assert.equal(request.kind, 'heartbeat', `${format} at ${nowMs}`);
      if (request.kind === 'heartbeat') {
        assert.equal(request.seq, 42);
        assert.ok(
          Math.abs(request.timestampMs! - nowMs) < 0.001,
          `${format}: ${request.timestampMs} for ${nowMs}`,
        );
      }
    }
  }
});
