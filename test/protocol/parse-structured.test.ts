import test from 'node:test';
import assert from 'node:assert/strict';
import {parseRequest} from '../../source/protocol/parse-request.js';
import {tokenizeLogfmt} from '../../source/protocol/parse-structured.js';
import {
  errorForm,
  jsonErrorReply,
  logfmtErrorReply,
  logfmtReply,
  replyKind,
} from '../../source/protocol/format-reply.js';
import type {ParsedRequest} from '../../source/protocol/types.js';

// Local times below are read in UTC; nothing reads a Date before the tests run.
process.env.TZ = 'UTC';

const now = Date.UTC(2026, 10, 24, 7, 19, 20);
const nowSeconds = now / 1000;

function parse(text: string): ParsedRequest {
  return parseRequest(Buffer.from(text), now);
}

function reason(text: string): string | undefined {
  const parsed = parse(text);
  return parsed.kind === 'malformed' ? parsed.reason : undefined;
}

test('JSON: seq, time and name from the first key of each list, any case', () => {
  assert.deepEqual(
    parse(`{"Device":"pump-3","COUNT":9,"Seq":3,"sent_at":${nowSeconds}}`),
    {
      kind: 'heartbeat',
      label: undefined,
      seq: 3,
      timestampMs: now,
      format: 'json',
      name: 'pump-3',
    },
  );
  // Of the same key twice in another case, the first in the payload wins.
  const parsed = parse('{"ID":"first","id":"second"}');
  assert.equal(parsed.kind === 'heartbeat' && parsed.name, 'first');
});

test('JSON: a number name and digit-string sequence numbers are read; null is absent', () => {
  assert.deepEqual(parse('{"id":7,"seq":"12","ts":null}'), {
    kind: 'heartbeat',
    label: undefined,
    seq: 12,
    timestampMs: undefined,
    format: 'json',
    name: '7',
  });
  const bare = parse('{}');
  assert.equal(bare.kind, 'heartbeat');
  assert.equal(bare.kind === 'heartbeat' && bare.format, 'json');
});

test('JSON: every epoch unit, as a number or a string', () => {
  for (const [value, expected] of [
    [String(nowSeconds), now],
    [`"${nowSeconds}.25"`, now + 250],
    [String(now), now],
    [`${now}.5`, now + 0.5],
    [`"${now}123"`, now + 0.123],
    [`"${now}123456"`, now + 0.123_456],
    ['"2026-11-24T07:19:19.5Z"', now - 500],
    ['"Tue Nov 24 07:19:19 2026"', now - 1000],
  ] as const) {
    const parsed = parse(`{"seq":1,"ts":${value}}`);
    assert.equal(parsed.kind, 'heartbeat', value);
    const ms = parsed.kind === 'heartbeat' ? parsed.timestampMs : undefined;
    assert.ok(
      ms !== undefined && Math.abs(ms - expected) < 0.001,
      `${value}: ${ms}`,
    );
  }
});

test('JSON: what cannot be read is malformed with its reason, answered in JSON', () => {
  for (const [text, why] of [
    ['{"seq":1,', 'bad JSON'],
    ['{seq:1}', 'bad JSON'],
    ['{"a":[[[[1]]]]}', 'bad JSON'],
    ['{"seq":-3}', 'bad sequence number'],
    ['{"seq":3.5}', 'bad sequence number'],
    ['{"seq":"3a"}', 'bad sequence number'],
    ['{"seq":true}', 'bad sequence number'],
    ['{"seq":9007199254740992}', 'bad sequence number'],
    ['{"ts":"yesterday"}', 'bad timestamp'],
    ['{"ts":1000000000000000000}', 'bad timestamp'],
    ['{"ts":1e300}', 'bad timestamp'],
    ['{"id":""}', 'bad name'],
    ['{"id":"   "}', 'bad name'],
    [`{"id":"${'x'.repeat(65)}"}`, 'bad name'],
    [String.raw`{"id":"\u001b[2J"}`, 'bad name'],
    [String.raw`{"id":"a\u202eb"}`, 'bad name'],
    [String.raw`{"id":"a\nb"}`, 'bad name'],
    ['{"id":{"x":1}}', 'bad name'],
  ] as const) {
    const parsed = parse(text);
    assert.equal(reason(text), why, text);
    assert.equal(replyKind('auto', parsed), 'error');
    assert.equal(errorForm('auto', parsed), 'json', text);
  }

  // Four deep is allowed.
  assert.equal(parse('{"a":[[[1]]]}').kind, 'heartbeat');
  // A name of 64 characters, astral ones counted as one each.
  const long = parse(`{"id":"${'😀'.repeat(64)}"}`);
  assert.equal(long.kind === 'heartbeat' && long.name, '😀'.repeat(64));
  // Trimmed.
  const padded = parse('{"id":"  boiler room "}');
  assert.equal(padded.kind === 'heartbeat' && padded.name, 'boiler room');
});

test('JSON: other keys are kept as fields, at most 8, cut, control characters shown as ?', () => {
  const extra = Array.from({length: 10}, (_, index) => `"k${index}":${index}`);
  const parsed = parse(
    String.raw`{"battery":87,"fw":{"v":"1.2"},"note":"a\u001bb","${'k'.repeat(40)}":"${'v'.repeat(80)}",${extra.join(',')},"seq":1}`,
  );
  assert.equal(parsed.kind, 'heartbeat');
  const fields = parsed.kind === 'heartbeat' ? parsed.fields : undefined;
  assert.deepEqual(fields, [
    ['battery', '87'],
    ['fw', '{"v":"1.2"}'],
    ['note', 'a?b'],
    ['k'.repeat(32), 'v'.repeat(64)],
    ['k0', '0'],
    ['k1', '1'],
    ['k2', '2'],
    ['k3', '3'],
  ]);
  assert.equal(parsed.kind === 'heartbeat' && parsed.seq, 1);
});

test('logfmt: pairs with quoted values and escapes', () => {
  assert.deepEqual(
    tokenizeLogfmt(String.raw`a=1 b="x \"y\" \\z"  c= d="" e="\n"`),
    [
      ['a', '1'],
      ['b', String.raw`x "y" \z`],
      ['c', ''],
      ['d', ''],
      ['e', String.raw`\n`],
    ],
  );
  for (const text of [
    'a=1 free',
    'a=1 =2',
    'a="unterminated',
    'a="x"y',
    'a=b=c',
    '1a=2',
    'a=1 -b=2',
    'é=1',
  ]) {
    assert.equal(tokenizeLogfmt(text), undefined, text);
  }
});

test('logfmt: a heartbeat with the same keys, answered in logfmt', () => {
  const parsed = parse(`host=web-1 n=5 sent=${nowSeconds} region=eu-west`);
  assert.deepEqual(parsed, {
    kind: 'heartbeat',
    label: undefined,
    seq: 5,
    timestampMs: now,
    format: 'logfmt',
    name: 'web-1',
    fields: [['region', 'eu-west']],
  });
  assert.equal(replyKind('auto', parsed), 'logfmt');
  assert.equal(reason('seq=x'), 'bad sequence number');
  assert.equal(reason('ts=never'), 'bad timestamp');
  assert.equal(reason('name=""'), 'bad name');
  assert.equal(errorForm('auto', parse('seq=x')), 'logfmt');
});

test('logfmt: a payload with any other token follows the token rules', () => {
  // A label and free text, echoed as before.
  const parsed = parse('Ping a=1 hello');
  assert.equal(parsed.kind === 'heartbeat' && parsed.label, 'Ping');
  assert.equal(replyKind('auto', parsed), 'echo');
  const word = parse('a=1 hello');
  assert.equal(word.kind === 'heartbeat' && word.label, 'a=1');
});

test('separators: a comma or a semicolon between seq and time, without a label only', () => {
  assert.deepEqual(parse(`3,${nowSeconds}.5`), {
    kind: 'heartbeat',
    label: undefined,
    seq: 3,
    timestampMs: now + 500,
  });
  assert.deepEqual(parse('4; 2026-11-24 07:19:19'), {
    kind: 'heartbeat',
    label: undefined,
    seq: 4,
    timestampMs: now - 1000,
  });
  assert.equal(reason('4,'), 'bad timestamp');
  assert.equal(reason('4,soon'), 'bad timestamp');
  assert.equal(reason('99999999999999999,1'), 'bad sequence number');
  assert.equal(reason('4,,1795504759'), 'bad timestamp');
  // After a label it is free text, as any unreadable rest is.
  const labelled = parse(`Ping 3,${nowSeconds}`);
  assert.equal(labelled.kind === 'heartbeat' && labelled.seq, undefined);
});

test('epoch units after a seq and alone', () => {
  const us = parse(`5 ${now}123`);
  assert.equal(us.kind === 'heartbeat' && us.seq, 5);
  assert.ok(
    us.kind === 'heartbeat' && Math.abs(us.timestampMs! - now - 0.123) < 1e-4,
  );
  // A lone nanosecond time is a time, not a sequence number.
  const ns = parse(`Ping ${now}123456`);
  assert.equal(ns.kind === 'heartbeat' && ns.seq, undefined);
  assert.ok(
    ns.kind === 'heartbeat' &&
      Math.abs(ns.timestampMs! - now - 0.123_456) < 1e-3,
  );
  // A lone 16-digit number far from the clock stays a sequence number.
  const count = parse('1000000000000000');
  assert.equal(count.kind === 'heartbeat' && count.seq, 1_000_000_000_000_000);
  assert.equal(reason(`5 ${now - 400 * 86_400_000}000000`), 'bad timestamp');
});

test('logfmt and JSON replies and their errors', () => {
  assert.equal(
    logfmtReply(42, 0.4123, 0, 'alive'),
    'seq=42 delay_ms=0.412 lost_in_between=0 state=alive',
  );
  assert.equal(
    logfmtReply(undefined, undefined, 3, 'late'),
    'lost_in_between=3 state=late',
  );
  assert.equal(
    logfmtReply(7, Number.NaN, Number.POSITIVE_INFINITY, 'alive'),
    'seq=7 lost_in_between=0 state=alive',
  );
  assert.equal(logfmtErrorReply('bad JSON'), 'error="bad JSON"');
  assert.equal(logfmtErrorReply('a "q" \\'), String.raw`error="a \"q\" \\"`);
  assert.ok(logfmtErrorReply('x'.repeat(200)).length <= 64);
  assert.equal(jsonErrorReply('bad name'), '{"error":"bad name"}');
  // --reply logfmt answers every heartbeat, of any form, in logfmt.
  assert.equal(replyKind('logfmt', parse('7 1795504759')), 'logfmt');
  assert.equal(errorForm('logfmt', parse('-3')), 'logfmt');
  assert.equal(errorForm('auto', parse('-3')), 'text');
});
