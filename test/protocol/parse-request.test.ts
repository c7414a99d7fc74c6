import test from 'node:test';
import assert from 'node:assert/strict';
import {parseRequest} from '../../source/protocol/parse-request.js';
import type {ParsedRequest} from '../../source/protocol/types.js';
import type {MalformedReason} from '../../source/vocabulary.js';

/** The server's clock in these tests: lone epoch numbers within 366 days of it are times. */
const now = Date.UTC(2026, 10, 24, 5, 31, 7);

function parse(text: string, at = now): ParsedRequest {
  return parseRequest(Buffer.from(text, 'utf8'), at);
}

function parseBytes(bytes: Uint8Array): ParsedRequest {
  return parseRequest(bytes, now);
}

function heartbeat(
  label: string | undefined,
  seq: number | undefined,
  timestampMs: number | undefined,
): ParsedRequest {
  return {kind: 'heartbeat', label, seq, timestampMs};
}

function malformed(reason: MalformedReason, binary = false): ParsedRequest {
  return {kind: 'malformed', reason, binary};
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

test('after a label, whatever is not a sequence number and a time is free text', () => {
  for (const text of [
    'Ping pong',
    'Ping -1',
    'Ping 7.5',
    'Ping 7 pong',
    'Ping 7 1764000000 extra',
    'Ping Java Udp Client',
    'Ping 7 2026-13-40 25:61:61',
    'Ping 7\tnot-a-date',
    'Ping 99999999999999999999 1764000000',
  ]) {
    assert.deepEqual(
      parse(text),
      heartbeat('Ping', undefined, undefined),
      text,
    );
  }
});

test('without a label the same texts are malformed, so the seed client hears why', () => {
  assert.deepEqual(parse('pong'), heartbeat('pong', undefined, undefined));
  assert.deepEqual(parse('-1'), malformed('bad sequence number'));
  assert.deepEqual(parse('7.5'), malformed('bad sequence number'));
  assert.deepEqual(parse('7 pong'), malformed('bad timestamp'));
  assert.deepEqual(parse('7 1764000000 extra'), malformed('bad timestamp'));
  assert.deepEqual(parse('7 2026-02-30 10:00:00'), malformed('bad timestamp'));
});

test('labels in any script, with punctuation: letters first, at most 32 characters', () => {
  assert.deepEqual(parse('Привет'), heartbeat('Привет', undefined, undefined));
  assert.deepEqual(
    parse('ping...'),
    heartbeat('ping...', undefined, undefined),
  );
  assert.deepEqual(parse('Pïng 1'), heartbeat('Pïng', 1, undefined));
  assert.deepEqual(parse('Ping! 1'), heartbeat('Ping!', 1, undefined));
  assert.deepEqual(parse('心跳 3'), heartbeat('心跳', 3, undefined));
  assert.deepEqual(parse('Ελα 3'), heartbeat('Ελα', 3, undefined));
  // 32 characters of two UTF-16 units each is still 32 characters.
  const astral = '𝐀'.repeat(32);
  assert.deepEqual(parse(`${astral} 1`), heartbeat(astral, 1, undefined));
  assert.deepEqual(
    parse(`${'𝐀'.repeat(33)} 1`),
    malformed('bad sequence number'),
  );
});

test('a first token with a format character or no letter first is no label', () => {
  // A bidi override or a zero-width space could reorder or hide a label on screen.
  assert.deepEqual(parse('Pi\u202Eng 1'), malformed('bad sequence number'));
  assert.deepEqual(parse('Pi\u200Bng 1'), malformed('bad sequence number'));
  assert.deepEqual(parse('_ping 1'), malformed('bad sequence number'));
  assert.deepEqual(parse('.ping 1'), malformed('bad sequence number'));
  assert.deepEqual(parse('7ping 1'), malformed('bad sequence number'));
});

test('a lone epoch number near the clock is a time; elsewhere a sequence number', () => {
  const ms = now - 1500;
  assert.deepEqual(parse(`Ping ${ms}`), heartbeat('Ping', undefined, ms));
  assert.deepEqual(parse(`${ms}`), heartbeat(undefined, undefined, ms));
  const seconds = Math.floor(now / 1000) - 2;
  assert.deepEqual(
    parse(`Ping ${seconds}`),
    heartbeat('Ping', undefined, seconds * 1000),
  );
  // 366 days either side of the clock, and no further.
  const year = 366 * 86_400_000;
  assert.deepEqual(
    parse(`${now - year}`),
    heartbeat(undefined, undefined, now - year),
  );
  assert.deepEqual(
    parse(`${now + year}`),
    heartbeat(undefined, undefined, now + year),
  );
  assert.deepEqual(
    parse(`${now - year - 1}`),
    heartbeat(undefined, now - year - 1, undefined),
  );
  // Read at another time, the same numbers are sequence numbers.
  assert.deepEqual(
    parse(`Ping ${ms}`, Date.UTC(2000, 0, 1)),
    heartbeat('Ping', ms, undefined),
  );
  // 8 and 15 digits are never times; a number followed by a time is a sequence number.
  assert.deepEqual(
    parse('12345678'),
    heartbeat(undefined, 12_345_678, undefined),
  );
  assert.deepEqual(parse(`${ms} ${ms}`), heartbeat(undefined, ms, ms));
});

test('a time of day is read on the date that puts it nearest the clock', () => {
  const at = Date.UTC(2026, 10, 24, 12, 0, 0);
  const local = new Date(at);
  const pad = (value: number) => String(value).padStart(2, '0');
  const clock = `${pad(local.getHours())}:${pad(local.getMinutes())}:${pad(local.getSeconds())}`;
  assert.deepEqual(parse(`2 ${clock}`, at), heartbeat(undefined, 2, at));
  assert.deepEqual(
    parse(`Ping 2 ${clock}.25`, at),
    heartbeat('Ping', 2, at + 250),
  );
  assert.deepEqual(parse(clock, at), heartbeat(undefined, undefined, at));
  assert.deepEqual(parse('2 24:00:00', at), malformed('bad timestamp'));
  assert.deepEqual(parse('2 7:19:16', at), malformed('bad timestamp'));
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

test('labels: at most 32 characters', () => {
  assert.deepEqual(parse('a'), heartbeat('a', undefined, undefined));
  assert.deepEqual(parse('Py_HB-2 5'), heartbeat('Py_HB-2', 5, undefined));
  const longest = 'L'.repeat(32);
  assert.deepEqual(parse(`${longest} 1`), heartbeat(longest, 1, undefined));
  assert.deepEqual(
    parse(`${'L'.repeat(33)} 1`),
    malformed('bad sequence number'),
  );
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

test('a 9 to 14 digit number alone far from the clock is a sequence number', () => {
  assert.deepEqual(
    parse('1764000000', Date.UTC(2030, 0, 1)),
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
      malformed('control character', true),
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
  assert.deepEqual(parse('hello\u0000'), malformed('control character', true));
  assert.deepEqual(parse('\u007F'), malformed('control character', true));
});

test('1024 bytes are parsed, 1025 are too long', () => {
  const padding = ' '.repeat(1024 - 'PING 1'.length);
  assert.deepEqual(parse(`PING 1${padding}`), heartbeat('PING', 1, undefined));
  assert.deepEqual(parse(`PING 1${padding} `), malformed('too long'));
  // Too long is an error reply whatever the bytes: never echoed, so never called binary.
  assert.deepEqual(
    parseBytes(new Uint8Array(1025).fill(0xff)),
    malformed('too long'),
  );
  assert.deepEqual(
    parseBytes(new Uint8Array(1025).fill(0x00)),
    malformed('too long'),
  );
});

test('too long beats bad UTF-8, which beats control characters', () => {
  assert.deepEqual(
    parseBytes(Buffer.from([0x01, 0xff, 0x20])),
    malformed('not UTF-8', true),
  );
  assert.deepEqual(
    parseBytes(Buffer.from([0x01, 0xc3, 0xa9])),
    malformed('control character', true),
  );
  // A binary pinger's struct: eight zero bytes.
  assert.deepEqual(
    parseBytes(new Uint8Array(8)),
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
      parseBytes(Buffer.from([0x37, 0x20, ...bytes])),
      malformed('not UTF-8', true),
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
    parseBytes(bytes.subarray(2, 6)),
    heartbeat('HB', 3, undefined),
  );
  assert.deepEqual(
    parseBytes(Buffer.from(bytes.buffer, 2, 4)),
    heartbeat('HB', 3, undefined),
  );
});
