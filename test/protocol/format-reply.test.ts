import test from 'node:test';
import assert from 'node:assert/strict';
import {
  echoReply,
  errorReply,
  formatDelay,
  jsonReply,
  maxEchoReplyBytes,
  maxErrorReplyBytes,
  maxJsonReplyBytes,
  maxSeedReplyBytes,
  jsonErrorReply,
  replyKind,
  seedReply,
} from '../../source/protocol/format-reply.js';
import {parseRequest} from '../../source/protocol/parse-request.js';

function utf8(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('utf8');
}

/** One field of a JSON reply, read without trusting its shape. */
function jsonField(text: string, key: string): unknown {
  const value: unknown = JSON.parse(text);
  assert.ok(typeof value === 'object' && value !== null && key in value, text);
  const field: unknown = Reflect.get(value, key);
  return field;
}

test('formatDelay rounds to a whole microsecond first', () => {
  assert.equal(formatDelay(411.6), '0:00:00.000412');
  assert.equal(formatDelay(0.4), '0:00:00.000000');
  assert.equal(formatDelay(-0.4), '0:00:00.000000');
  assert.equal(formatDelay(-0), '0:00:00.000000');
  assert.equal(formatDelay(-0.6), '-0:00:00.000001');
  assert.equal(formatDelay(999_999.5), '0:00:01.000000');
  assert.equal(formatDelay(86_399_999_999.6), '1 day, 0:00:00.000000');
});

test('formatDelay writes hours unpadded and counts days', () => {
  assert.equal(formatDelay(36_000_000_000), '10:00:00.000000');
  assert.equal(formatDelay(86_399_999_999), '23:59:59.999999');
  assert.equal(formatDelay(-172_800_000_001), '-2 days, 0:00:00.000001');
});

test('formatDelay writes huge delays in full, without exponents', () => {
  assert.equal(formatDelay(1e15), '11574 days, 1:46:40.000000');
  assert.equal(formatDelay(-1e15), '-11574 days, 1:46:40.000000');
  // Past 2^53 microseconds the arithmetic must stay exact for the value it was given.
  assert.equal(formatDelay(2 ** 60), '13343998 days, 21:30:06.846976');
  // Python's timedelta.max is the ceiling.
  const max = '999999999 days, 23:59:59.999999';
  assert.equal(formatDelay(1e300), max);
  assert.equal(formatDelay(Number.POSITIVE_INFINITY), max);
  assert.equal(formatDelay(Number.NEGATIVE_INFINITY), `-${max}`);
  assert.equal(formatDelay(Number.NaN), 'unknown');
});

test('a year-9999 timestamp gives a long but well-formed seed reply', () => {
  const parsed = parseRequest(
    Buffer.from('7 9999-12-31T23:59:59.999999999Z'),
    Date.UTC(2026, 10, 24),
  );
  assert.ok(parsed.kind === 'heartbeat' && parsed.timestampMs !== undefined);
  const now = Date.UTC(2026, 10, 24);
  const reply = seedReply(now - parsed.timestampMs, 0);
  assert.match(
    reply,
    /^Packet delivery delay = -\d+ days, \d{1,2}:\d{2}:\d{2}\.\d{6}, Number of packets lost in between = 0$/v,
  );
  assert.ok(Buffer.byteLength(reply) <= maxSeedReplyBytes);
  const json = jsonReply(7, now - parsed.timestampMs, 0, 'alive');
  assert.ok(!/e[+\-]/v.test(json), json);
  assert.equal(jsonField(json, 'seq'), 7);
});

test('seedReply converts milliseconds and says unknown without a timestamp', () => {
  assert.equal(
    seedReply(0.412, 3),
    'Packet delivery delay = 0:00:00.000412, Number of packets lost in between = 3',
  );
  assert.equal(
    seedReply(undefined, 0),
    'Packet delivery delay = unknown, Number of packets lost in between = 0',
  );
  assert.equal(
    seedReply(-1, 12),
    'Packet delivery delay = -0:00:00.001000, Number of packets lost in between = 12',
  );
});

test('jsonReply is one JSON object with nulls for what the request lacked', () => {
  assert.equal(
    jsonReply(7, 0.412, 3, 'alive'),
    '{"seq":7,"delay_ms":0.412,"lost_in_between":3,"state":"alive"}',
  );
  assert.deepEqual(JSON.parse(jsonReply(undefined, undefined, 0, 'late')), {
    seq: null,
    delay_ms: null,
    lost_in_between: 0,
    state: 'late',
  });
  assert.deepEqual(JSON.parse(jsonReply(0, Number.NaN, 0, 'stopped')), {
    seq: 0,
    delay_ms: null,
    lost_in_between: 0,
    state: 'stopped',
  });
});

test('jsonReply rounds the delay to three decimals, symmetrically', () => {
  const delay = (ms: number) =>
    jsonField(jsonReply(1, ms, 0, 'alive'), 'delay_ms');
  assert.equal(delay(0.412_49), 0.412);
  assert.equal(delay(1.2346), 1.235);
  assert.equal(delay(-1.2346), -1.235);
  assert.equal(delay(-0.0004), 0);
  assert.equal(delay(123_456_789.123_456), 123_456_789.123);
  assert.equal(
    jsonReply(Number.MAX_SAFE_INTEGER, -0.0004, 0, 'alive'),
    '{"seq":9007199254740991,"delay_ms":0,"lost_in_between":0,"state":"alive"}',
  );
});

test('echoReply upper-cases ASCII letters only, as bytes.upper() does, and trims nothing', () => {
  assert.equal(
    utf8(echoReply(Buffer.from('Ping 7 1764000000.5\r\n'), false)),
    'PING 7 1764000000.5\r\n',
  );
  assert.equal(utf8(echoReply(Buffer.from('straße é'), false)), 'STRAßE é');
  assert.equal(utf8(echoReply(Buffer.from('Привет'), false)), 'Привет');
  assert.equal(
    utf8(echoReply(Buffer.from('\uFEFFping '), false)),
    '\uFEFFPING ',
  );
});

test('echoReply sends a binary payload back byte for byte', () => {
  const bytes = Buffer.from([0x70, 0xff, 0x69, 0x00]);
  assert.equal(echoReply(bytes, true), bytes);
  assert.deepEqual(echoReply(Buffer.alloc(8), true), Buffer.alloc(8));
});

test('echoReply is exactly as long as the request, and never more than 1024 bytes', () => {
  const text = Buffer.from('ɐß'.repeat(256));
  assert.equal(text.length, 1024);
  assert.equal(echoReply(text, false).length, 1024);
  assert.equal(
    echoReply(Buffer.alloc(2000, 0x61), false).length,
    maxEchoReplyBytes,
  );
  assert.equal(
    echoReply(Buffer.alloc(2000, 0xff), true).length,
    maxEchoReplyBytes,
  );
  // The request's own buffer is never written to.
  const request = Buffer.from('ping');
  echoReply(request, false);
  assert.equal(utf8(request), 'ping');
});

test('errorReply is ERROR and the reason, cut to 64 bytes on a character boundary', () => {
  assert.equal(errorReply('bad timestamp'), 'ERROR bad timestamp');
  const long = errorReply('x'.repeat(100));
  assert.equal(Buffer.byteLength(long), maxErrorReplyBytes);
  assert.ok(long.startsWith('ERROR xxx'));
  const wide = errorReply('€'.repeat(30));
  assert.ok(Buffer.byteLength(wide) <= maxErrorReplyBytes);
  assert.ok(!wide.includes('\uFFFD'));
  assert.equal(wide, `ERROR ${'€'.repeat(19)}`);
  const astral = errorReply('😀'.repeat(30));
  assert.ok(Buffer.byteLength(astral) <= maxErrorReplyBytes);
  assert.equal(astral, `ERROR ${'😀'.repeat(14)}`);
});

test('the seed and JSON caps are 256 bytes', () => {
  assert.equal(maxSeedReplyBytes, 256);
  assert.equal(maxJsonReplyBytes, 256);
  assert.equal(maxErrorReplyBytes, 64);
  assert.equal(maxEchoReplyBytes, 1024);
});

test('jsonErrorReply is one JSON object naming the reason, within the error cap', () => {
  assert.equal(jsonErrorReply('bad timestamp'), '{"error":"bad timestamp"}');
  assert.deepEqual(JSON.parse(jsonErrorReply('not UTF-8')), {
    error: 'not UTF-8',
  });
  for (const reason of [
    'x'.repeat(100),
    '"'.repeat(60),
    '€'.repeat(40),
    '\\'.repeat(70),
  ]) {
    const reply = jsonErrorReply(reason);
    assert.ok(Buffer.byteLength(reply) <= maxErrorReplyBytes, reply);
    assert.equal(typeof jsonField(reply, 'error'), 'string');
  }
});

function parsed(payload: string | Uint8Array) {
  return parseRequest(
    typeof payload === 'string' ? Buffer.from(payload) : payload,
    Date.UTC(2026, 10, 24),
  );
}

test('auto: seed without a label, echo with one, the bytes back for binary, else an error', () => {
  assert.equal(replyKind('auto', parsed('7 1764000000')), 'seed');
  assert.equal(replyKind('auto', parsed('')), 'seed');
  assert.equal(replyKind('auto', parsed('Ping 7 1764000000')), 'echo');
  assert.equal(replyKind('auto', parsed('Ping Java Udp Client')), 'echo');
  assert.equal(replyKind('auto', parsed('Привет')), 'echo');
  assert.equal(replyKind('auto', parsed(new Uint8Array(8))), 'echo');
  assert.equal(replyKind('auto', parsed(Buffer.from([0xff, 0xfe]))), 'echo');
  assert.equal(replyKind('auto', parsed('-7 yesterday')), 'error');
  assert.equal(replyKind('auto', parsed('7\tnot-a-date')), 'error');
  assert.equal(replyKind('auto', parsed(Buffer.alloc(1025, 0x61))), 'error');
  assert.equal(replyKind('auto', parsed(Buffer.alloc(1025))), 'error');
});

test('seed, echo and json: one kind for every heartbeat; malformed ones per mode', () => {
  for (const mode of ['seed', 'echo', 'json'] as const) {
    assert.equal(replyKind(mode, parsed('Ping 7')), mode);
    assert.equal(replyKind(mode, parsed('7')), mode);
    assert.equal(replyKind(mode, parsed(Buffer.alloc(1025, 0x61))), 'error');
  }

  // The classic pinger server echoes whatever it gets, up to the size limit.
  assert.equal(replyKind('echo', parsed('-7 yesterday')), 'echo');
  assert.equal(replyKind('echo', parsed(new Uint8Array(8))), 'echo');
  assert.equal(replyKind('seed', parsed('-7 yesterday')), 'error');
  assert.equal(replyKind('seed', parsed(new Uint8Array(8))), 'error');
  assert.equal(replyKind('json', parsed('-7 yesterday')), 'error');
  assert.equal(replyKind('json', parsed(new Uint8Array(8))), 'error');
});
