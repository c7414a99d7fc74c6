import test from 'node:test';
import assert from 'node:assert/strict';
import {parseRequest} from '../../source/protocol/parse-request.js';
import type {
  MalformedReason,
  ParsedRequest,
} from '../../source/protocol/types.js';

function parse(text: string): ParsedRequest {
  return parseRequest(Buffer.from(text, 'utf8'));
}

function heartbeat(
  label: string | undefined,
  seq: number | undefined,
  timestampMs: number | undefined,
): ParsedRequest {
  return {kind: 'heartbeat', label, seq, timestampMs};
}

function malformed(reason: MalformedReason, isText = true): ParsedRequest {
  return {kind: 'malformed', reason, isText};
}

test('tabs and spaces mix freely between tokens and in the timestamp', () => {
  assert.deepEqual(
    parse('Ping \t 7\t \t1764000000.5'),
    heartbeat('Ping', 7, 1_764_000_000_500),
  );
  assert.deepEqual(
    parse('7 \t Fri\tApr \t 4  09:05:01\t2025'),
    parse('7 Fri Apr 4 09:05:01 2025'),
  );
  assert.deepEqual(
    parse('\t 7\t2026-11-24 \t 05:31:07 \t'),
    parse('7 2026-11-24 05:31:07'),
  );
});

test('white space at both ends is trimmed: CRLF, LF, tabs', () => {
  assert.deepEqual(
    parse('PING 0 1764000000123\r\n'),
    heartbeat('PING', 0, 1_764_000_000_123),
  );
  assert.deepEqual(parse('\r\n  42 \n'), heartbeat(undefined, 42, undefined));
  assert.deepEqual(
    parse(' \t\r\n '),
    heartbeat(undefined, undefined, undefined),
  );
});

test('CR and LF inside the text are not separators', () => {
  assert.deepEqual(parse('7\n1764000000'), malformed('bad sequence number'));
  assert.deepEqual(parse('7 1764000000\r\n.5'), malformed('bad timestamp'));
});

test('a label followed by something that is no timestamp is a bad sequence number', () => {
  assert.deepEqual(parse('Ping pong'), malformed('bad sequence number'));
  assert.deepEqual(parse('Ping -1'), malformed('bad sequence number'));
  assert.deepEqual(parse('Ping 7.5'), malformed('bad sequence number'));
  assert.deepEqual(parse('Ping 7 pong'), malformed('bad timestamp'));
  assert.deepEqual(
    parse('Ping 7 1764000000 extra'),
    malformed('bad timestamp'),
  );
});

test('a label may be followed by a time alone', () => {
  assert.deepEqual(
    parse('Heartbeat 2026-11-24T05:31:07Z'),
    heartbeat('Heartbeat', undefined, Date.UTC(2026, 10, 24, 5, 31, 7)),
  );
  assert.deepEqual(
    parse('Ping Mon Apr 14 12:00:00 2025'),
    parse('Ping Mon Apr 14 12:00:00 2025 '),
  );
});

test('a bare ctime time is a time, not a label called Mon', () => {
  const parsed = parse('Mon Apr 14 12:00:00 2025');
  assert.equal(parsed.kind, 'heartbeat');
  assert.equal(parsed.kind === 'heartbeat' && parsed.label, undefined);
  assert.ok(parsed.kind === 'heartbeat' && parsed.timestampMs !== undefined);
  assert.deepEqual(parse('Mon 3'), heartbeat('Mon', 3, undefined));
});

test('labels: letters first, then letters, digits, _ or -, at most 32', () => {
  assert.deepEqual(parse('a'), heartbeat('a', undefined, undefined));
  assert.deepEqual(parse('Py_HB-2 5'), heartbeat('Py_HB-2', 5, undefined));
  const longest = 'L'.repeat(32);
  assert.deepEqual(parse(`${longest} 1`), heartbeat(longest, 1, undefined));
  assert.deepEqual(
    parse(`${'L'.repeat(33)} 1`),
    malformed('bad sequence number'),
  );
  assert.deepEqual(parse('_ping 1'), malformed('bad sequence number'));
  assert.deepEqual(parse('Ping! 1'), malformed('bad sequence number'));
  assert.deepEqual(parse('Pïng 1'), malformed('bad sequence number'));
});

test('words that read as numbers are not labels', () => {
  for (const word of ['Infinity', 'inf', 'NaN', 'nan', 'INF']) {
    assert.deepEqual(
      parse(`${word} 1`),
      malformed('bad sequence number'),
      word,
    );
  }

  assert.deepEqual(parse('Info 1'), heartbeat('Info', 1, undefined));
});

test('sequence numbers: 0 to 2^53 - 1, plain decimal digits', () => {
  assert.deepEqual(parse('0'), heartbeat(undefined, 0, undefined));
  assert.deepEqual(parse('007'), heartbeat(undefined, 7, undefined));
  assert.deepEqual(
    parse('9007199254740991'),
    heartbeat(undefined, Number.MAX_SAFE_INTEGER, undefined),
  );
  assert.deepEqual(
    parse('0000000000000001'),
    heartbeat(undefined, 1, undefined),
  );
  for (const text of [
    '9007199254740992',
    '9999999999999999',
    '00000000000000001',
    '99999999999999999999',
    '+7',
    '-0',
    '0x10',
    '1e3',
    '７',
  ]) {
    assert.deepEqual(parse(text), malformed('bad sequence number'), text);
  }
});

test('a 9 to 14 digit number alone is a sequence number, by the order of the rules', () => {
  assert.deepEqual(
    parse('1764000000'),
    heartbeat(undefined, 1_764_000_000, undefined),
  );
  assert.deepEqual(
    parse('1764000000.5'),
    heartbeat(undefined, undefined, 1_764_000_000_500),
  );
});

test('epoch lengths after a sequence number: 9, 11, 12 and 14 digits, not 8 or 15', () => {
  assert.deepEqual(
    parse('1 123456789'),
    heartbeat(undefined, 1, 123_456_789_000),
  );
  assert.deepEqual(
    parse('1 12345678901'),
    heartbeat(undefined, 1, 12_345_678_901_000),
  );
  assert.deepEqual(
    parse('1 123456789012'),
    heartbeat(undefined, 1, 123_456_789_012),
  );
  assert.deepEqual(
    parse('1 12345678901234'),
    heartbeat(undefined, 1, 12_345_678_901_234),
  );
  assert.deepEqual(parse('1 12345678'), malformed('bad timestamp'));
  assert.deepEqual(parse('1 123456789012345'), malformed('bad timestamp'));
});

test('control characters: C0 but tab, CR and LF; DEL; C1', () => {
  for (const code of [
    0x00, 0x01, 0x07, 0x08, 0x0b, 0x0c, 0x1b, 0x1f, 0x7f, 0x80, 0x85, 0x9b,
    0x9f,
  ]) {
    const text = `7 ${String.fromCodePoint(code)}1764000000`;
    assert.deepEqual(
      parse(text),
      malformed('control character'),
      `U+${code.toString(16)}`,
    );
  }

  // Neighbours of the C1 range are ordinary characters, here inside a bad token.
  for (const character of ['~', '\u00A0', 'Â', 'Ā', '\u2028']) {
    const parsed = parse(`7 x${character}`);
    assert.deepEqual(
      parsed,
      malformed('bad timestamp'),
      JSON.stringify(character),
    );
  }
});

test('control characters are found before anything is parsed', () => {
  assert.deepEqual(parse('hello\u0000'), malformed('control character'));
  assert.deepEqual(parse('\u007F'), malformed('control character'));
});

test('1024 bytes are parsed, 1025 are too long', () => {
  const padding = ' '.repeat(1024 - 'PING 1'.length);
  assert.deepEqual(parse(`PING 1${padding}`), heartbeat('PING', 1, undefined));
  assert.deepEqual(parse(`PING 1${padding} `), malformed('too long'));
  assert.deepEqual(
    parseRequest(new Uint8Array(1025).fill(0xff)),
    malformed('too long', false),
  );
  assert.deepEqual(
    parseRequest(new Uint8Array(1025).fill(0x00)),
    malformed('too long', true),
  );
});

test('too long beats bad UTF-8, which beats control characters', () => {
  assert.deepEqual(
    parseRequest(Buffer.from([0x01, 0xff, 0x20])),
    malformed('not UTF-8', false),
  );
  assert.deepEqual(
    parseRequest(Buffer.from([0x01, 0xc3, 0xa9])),
    malformed('control character', true),
  );
});

test('invalid UTF-8 of every kind is not text', () => {
  for (const bytes of [
    [0xff],
    [0xc3],
    [0x80],
    [0xc0, 0xaf],
    [0xed, 0xa0, 0x80],
    [0xf4, 0x90, 0x80, 0x80],
  ]) {
    assert.deepEqual(
      parseRequest(Buffer.from([0x37, 0x20, ...bytes])),
      malformed('not UTF-8', false),
      bytes.join(','),
    );
  }
});

test('a leading byte-order mark is trimmed like white space', () => {
  assert.deepEqual(parse('\uFEFFPing 1'), heartbeat('Ping', 1, undefined));
});

test('a plain Uint8Array and a Buffer slice of a larger buffer both work', () => {
  const bytes = new TextEncoder().encode('xxHB 3xx');
  assert.deepEqual(
    parseRequest(bytes.subarray(2, 6)),
    heartbeat('HB', 3, undefined),
  );
  assert.deepEqual(
    parseRequest(Buffer.from(bytes.buffer, 2, 4)),
    heartbeat('HB', 3, undefined),
  );
});
