import test from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {parseRequest} from '../../source/protocol/parse-request.js';
import {
  echoReply,
  errorReply,
  jsonErrorReply,
  jsonReply,
  logfmtErrorReply,
  logfmtReply,
  maxEchoReplyBytes,
  maxLogfmtReplyBytes,
  maxErrorReplyBytes,
  maxJsonReplyBytes,
  maxSeedReplyBytes,
  seedReply,
} from '../../source/protocol/format-reply.js';
import {
  maxFieldKeyLength,
  maxFields,
  maxFieldValueLength,
  maxNameLength,
  maxRequestBytes,
  type ParsedRequest,
} from '../../source/protocol/types.js';
import {livenessStates, type MalformedReason} from '../../source/vocabulary.js';

/** One field of a JSON reply, read without trusting its shape. */
function jsonField(text: string, key: string): unknown {
  const value: unknown = JSON.parse(text);
  assert.ok(typeof value === 'object' && value !== null && key in value, text);
  const field: unknown = Reflect.get(value, key);
  return field;
}

const reasons = new Set<MalformedReason>([
  'too long',
  'not UTF-8',
  'control character',
  'bad sequence number',
  'bad timestamp',
  'bad JSON',
  'bad name',
]);

// Nothing that reaches a terminal may hold a control or format character.
const unprintable = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/v;

// Pieces of real requests and of near misses, so that random strings reach deep into the parser.
const tokenPieces = [
  'Ping',
  'PING',
  'Heartbeat',
  'HB',
  'Mon',
  'Fri',
  'Apr',
  'Feb',
  'inf',
  '_',
  '-',
  '+',
  ':',
  '.',
  'T',
  'Z',
  'e',
  '0',
  '1',
  '7',
  '9',
  '29',
  '30',
  '2024',
  '2025',
  '9999',
  '2026-11-24',
  '2026-02-30',
  '05:31:07',
  '25:61:61',
  '07:19:16.250',
  'Привет',
  '...',
  '\u202E',
  '1795504759123',
  '1795504759',
  '.123456',
  '.123456789',
  '+02:00',
  '1764000000',
  '1764000000123',
  '9007199254740991',
  '9007199254740992',
  ' ',
  '  ',
  '\t',
  '\r',
  '\n',
  'ß',
  'ɐ',
  'ΐ',
  '😀',
  '\u0000',
  '\u007F',
  '\u0085',
  '\u00A0',
  '\uFEFF',
];

const tokenText = fc.string({
  unit: fc.constantFrom(...tokenPieces),
  maxLength: 40,
});
const bytes = fc.uint8Array({maxLength: 1100});
const fixedNow = Date.UTC(2026, 10, 24, 5, 31, 7);

function assertWellFormed(parsed: ParsedRequest): void {
  if (parsed.kind === 'malformed') {
    assert.ok(reasons.has(parsed.reason), parsed.reason);
    assert.equal(typeof parsed.binary, 'boolean');
    return;
  }

  assert.equal(parsed.kind, 'heartbeat');
  if (parsed.seq !== undefined) {
    assert.ok(
      Number.isSafeInteger(parsed.seq) && parsed.seq >= 0,
      String(parsed.seq),
    );
  }

  if (parsed.timestampMs !== undefined) {
    assert.ok(Number.isFinite(parsed.timestampMs), String(parsed.timestampMs));
  }

  if (parsed.label !== undefined) {
    assert.match(parsed.label, /^\p{L}[\p{L}\p{M}\p{N}\p{P}\p{S}]*$/v);
    assert.ok([...parsed.label].length <= 32, parsed.label);
  }

  if (parsed.name !== undefined) {
    const {length} = [...parsed.name];
    assert.ok(length >= 1 && length <= maxNameLength, parsed.name);
    assert.ok(!unprintable.test(parsed.name), parsed.name);
    assert.equal(parsed.name, parsed.name.trim());
  }

  const fields = parsed.fields ?? [];
  assert.ok(fields.length <= maxFields);
  for (const [key, value] of fields) {
    assert.ok([...key].length <= maxFieldKeyLength, key);
    assert.ok([...value].length <= maxFieldValueLength, value);
    assert.ok(!unprintable.test(key + value), key + value);
  }
}

/** Every reply the server could build for this request, each within its cap. */
function assertRepliesFit(
  payload: Uint8Array,
  parsed: ParsedRequest,
  lost: number,
): void {
  const buffer = Buffer.from(
    payload.buffer,
    payload.byteOffset,
    payload.byteLength,
  );
  if (parsed.kind === 'malformed') {
    for (const reply of [
      errorReply(parsed.reason),
      jsonErrorReply(parsed.reason),
      logfmtErrorReply(parsed.reason),
    ]) {
      assert.ok(Buffer.byteLength(reply) <= maxErrorReplyBytes, reply);
    }

    if (payload.length <= maxRequestBytes) {
      assert.ok(echoReply(buffer, parsed.binary).length <= payload.length);
    }

    return;
  }

  const delayMs =
    parsed.timestampMs === undefined
      ? undefined
      : fixedNow - parsed.timestampMs;
  const seed = seedReply(delayMs, lost);
  assert.ok(Buffer.byteLength(seed) <= maxSeedReplyBytes, seed);
  assert.ok(!/e[+\-]\d/v.test(seed), seed);
  for (const state of livenessStates) {
    const json = jsonReply(parsed.seq, delayMs, lost, state);
    assert.ok(Buffer.byteLength(json) <= maxJsonReplyBytes, json);
    assert.equal(jsonField(json, 'state'), state);
    const logfmt = logfmtReply(parsed.seq, delayMs, lost, state);
    assert.ok(Buffer.byteLength(logfmt) <= maxLogfmtReplyBytes, logfmt);
    assert.ok(logfmt.endsWith(` state=${state}`), logfmt);
  }

  assert.ok(echoReply(buffer, false).length <= payload.length);
  assert.ok(payload.length <= maxEchoReplyBytes);
}

test('any bytes: never throws, always a well-formed result, replies within caps', () => {
  fc.assert(
    fc.property(bytes, fc.nat(), (payload, lost) => {
      const parsed = parseRequest(payload, fixedNow);
      assertWellFormed(parsed);
      assertRepliesFit(payload, parsed, lost);
    }),
    {numRuns: 2000},
  );
});

test('any text of request-like tokens: never throws, replies within caps', () => {
  fc.assert(
    fc.property(tokenText, fc.nat(), (text, lost) => {
      const payload = Buffer.from(text, 'utf8');
      const parsed = parseRequest(payload, fixedNow);
      assertWellFormed(parsed);
      assertRepliesFit(payload, parsed, lost);
    }),
    {numRuns: 5000},
  );
});

const plainPieces = tokenPieces.filter(
  (piece) => piece.trim() === piece && piece !== '\uFEFF',
);
const randomTokens = fc.array(
  fc.string({
    unit: fc.constantFrom(...plainPieces),
    minLength: 1,
    maxLength: 4,
  }),
  {minLength: 1, maxLength: 8},
);
// Well-formed requests whose timestamps span several tokens, where respacing matters most.
const requestTokens = fc
  .tuple(
    fc.option(fc.constantFrom('Ping', 'Mon', 'HB')),
    fc.option(fc.maxSafeNat()),
    fc.option(
      fc.constantFrom(
        '2026-11-24 05:31:07.5',
        'Fri Apr 4 09:05:01 2025',
        'Mon Apr 14 12:00:00 2025',
        '1764000000.5',
        '2026-11-24T05:31:07Z',
        '2026-11-24 05:31',
        '9999-12-31 23:59:59.999999999',
        '0001-01-01T00:00:00-23:59',
        '99999999999999',
        '100000000',
      ),
    ),
  )
  .map(([label, seq, time]) =>
    [
      label,
      seq === null ? null : String(seq),
      ...(time?.split(' ') ?? []),
    ].filter((token): token is string => token !== null),
  )
  .filter((tokens) => tokens.length > 0);

test('how many tabs and spaces separate the tokens does not matter', () => {
  const blanks = fc.constantFrom(' ', '  ', '\t', ' \t ', '\t\t');
  fc.assert(
    fc.property(
      fc.oneof(requestTokens, randomTokens),
      fc.array(blanks, {minLength: 9, maxLength: 9}),
      (tokens, gaps) => {
        const spaced =
          gaps[0]! +
          tokens.map((token, index) => token + gaps[index + 1]!).join('');
        assert.deepEqual(
          parseRequest(Buffer.from(spaced), fixedNow),
          parseRequest(Buffer.from(tokens.join(' ')), fixedNow),
        );
      },
    ),
    {numRuns: 2000},
  );
});

test('well-formed requests, extreme times included: replies within caps', () => {
  fc.assert(
    fc.property(requestTokens, fc.maxSafeNat(), (tokens, lost) => {
      const payload = Buffer.from(tokens.join(' '));
      const parsed = parseRequest(payload, fixedNow);
      assertWellFormed(parsed);
      assertRepliesFit(payload, parsed, lost);
    }),
    {numRuns: 2000},
  );
});

test('a sequence number and an epoch in milliseconds read back exactly', () => {
  fc.assert(
    fc.property(
      fc.constantFrom('', 'Ping ', 'HB\t'),
      fc.maxSafeNat(),
      fc.integer({min: 100_000_000_000, max: 99_999_999_999_999}),
      (label, seq, ms) => {
        const parsed = parseRequest(
          Buffer.from(`${label}${seq} ${ms}`),
          fixedNow,
        );
        assert.deepEqual(parsed, {
          kind: 'heartbeat',
          label: label.trim() || undefined,
          seq,
          timestampMs: ms,
        });
      },
    ),
  );
});

test('any instant of years 0001 to 9999 in ISO 8601 with Z reads back exactly', () => {
  fc.assert(
    fc.property(
      fc.date({
        min: new Date('0001-01-01T00:00:00.000Z'),
        max: new Date('9999-12-31T23:59:59.999Z'),
        noInvalidDate: true,
      }),
      (date) => {
        const parsed = parseRequest(
          Buffer.from(`1 ${date.toISOString()}`),
          fixedNow,
        );
        assert.deepEqual(parsed, {
          kind: 'heartbeat',
          label: undefined,
          seq: 1,
          timestampMs: date.getTime(),
        });
      },
    ),
    {numRuns: 2000},
  );
});

// JSON and logfmt heartbeats from senders of every kind: the keys they use, values of every type
// (numbers, digit strings, times of every form, names with odd characters), and nesting.
const keyPieces = fc.constantFrom(
  'seq',
  'SEQ',
  'Sequence',
  'n',
  'count',
  'ts',
  'Time',
  'timestamp',
  'sent_at',
  'id',
  'Name',
  'device',
  'host',
  'battery',
  'rssi',
  'fw.version',
  'x'.repeat(40),
);
const valuePieces = fc.oneof(
  fc.constantFrom(
    '42',
    '-3',
    '3.5',
    '1795504759.41',
    '1795504759413.774',
    '1795504759413770',
    '1795504759413770356',
    '1000000000000000000',
    '2026-11-24 05:31:07.5',
    '2026-11-24T05:31:07Z',
    '05:31:07',
    'sensor-7',
    'boiler room',
    '\u001B[31m',
    '\u202E',
    '\uD800',
    'é😀',
    'y'.repeat(70),
    '',
    ' ',
  ),
  fc.string({maxLength: 12}),
);
const jsonValue = fc.oneof(
  fc.maxSafeNat(),
  fc.double(),
  valuePieces,
  fc.constantFrom(null, true, false),
  fc.jsonValue({maxDepth: 5}),
);
const jsonObject = fc.array(fc.tuple(keyPieces, jsonValue), {maxLength: 14});
const logfmtPairs = fc.array(fc.tuple(keyPieces, valuePieces, fc.boolean()), {
  minLength: 1,
  maxLength: 14,
});

function checkStructured(payload: Buffer, lost: number): ParsedRequest {
  const parsed = parseRequest(payload, fixedNow);
  assertWellFormed(parsed);
  assertRepliesFit(payload, parsed, lost);
  return parsed;
}

test('JSON heartbeats of any keys and values: never throws, names and fields bounded, replies within caps', () => {
  fc.assert(
    fc.property(jsonObject, fc.nat(), (pairs, lost) => {
      const text = `{${pairs
        .map(
          ([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)}`,
        )
        .join(',')}}`;
      const parsed = checkStructured(Buffer.from(text), lost);
      if (Buffer.byteLength(text) <= maxRequestBytes) {
        // A JSON payload is answered in JSON under auto, whatever it held.
        assert.ok(
          parsed.kind === 'heartbeat'
            ? parsed.format === 'json'
            : parsed.format === 'json' || parsed.reason === 'control character',
          text,
        );
      }
    }),
    {numRuns: 3000},
  );
});

test('logfmt heartbeats of any keys and values: never throws, names and fields bounded, replies within caps', () => {
  fc.assert(
    fc.property(logfmtPairs, fc.nat(), (pairs, lost) => {
      const text = pairs
        .map(([key, value, quoted]) =>
          quoted || value === '' || /[\s"=]/v.test(value)
            ? `${key}="${value.replaceAll(/["\\]/gv, String.raw`\$&`)}"`
            : `${key}=${value}`,
        )
        .join(' ');
      checkStructured(Buffer.from(text), lost);
    }),
    {numRuns: 3000},
  );
});

test('random text around braces and equals signs: never throws, replies within caps', () => {
  const pieces = fc.string({
    unit: fc.constantFrom(
      '{',
      '}',
      '[',
      ']',
      '"',
      '\\',
      ':',
      ',',
      '=',
      ' ',
      'seq',
      'id',
      'ts',
      '1',
      '1795504759',
      '-',
      'é',
    ),
    maxLength: 60,
  });
  fc.assert(
    fc.property(pieces, fc.nat(), (text, lost) => {
      checkStructured(Buffer.from(text), lost);
    }),
    {numRuns: 3000},
  );
});
