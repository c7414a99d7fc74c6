import {readFileSync} from 'node:fs';
import test from 'node:test';
import assert from 'node:assert/strict';
import {parseRequest} from '../../source/protocol/parse-request.js';
import {
  errorForm,
  formatDelay,
  replyKind,
  seedReply,
} from '../../source/protocol/format-reply.js';
import type {ParsedRequest} from '../../source/protocol/types.js';

// The vectors give local times as read in UTC. Imports run first, but nothing in them reads a
// Date until a test calls it.
process.env.TZ = 'UTC';

// The files write an absent value as null; the reader below turns every null into a missing key.
type RequestVector = {
  readonly name: string;
  readonly payload_base64: string;
  /** The server's clock when the case depends on it (a time of day, a lone epoch number). */
  readonly now_ms?: number;
  readonly expect: {
    readonly kind: 'heartbeat' | 'malformed';
    readonly label?: string;
    readonly seq?: number;
    readonly timestamp_ms?: number;
    readonly reason?: string;
    /** The name a structured heartbeat carries; absent (null) in the older cases. */
    readonly client_name?: string;
    /** The reply form `--reply auto` chooses, where the case gives it. */
    readonly reply_under_auto?: 'seed' | 'echo' | 'json' | 'logfmt';
  };
};

type ReplyVector = {
  readonly delay_us: number;
  readonly text: string;
  readonly reply: string;
};

function readVectors<T>(file: string): T[] {
  const url = new URL(`../fixtures/vectors/${file}`, import.meta.url);
  const text = readFileSync(url, 'utf8');
  const vectors: unknown = JSON.parse(
    text,
    (_key, value: unknown) => value ?? undefined,
  );
  return (vectors as {cases: T[]}).cases;
}

const requests = readVectors<RequestVector>('requests.json');
const replies = readVectors<ReplyVector>('replies.json');

test('the vector files are there to test against', () => {
  assert.ok(requests.length >= 50);
  assert.ok(replies.length >= 10);
});

/** A case without a clock reads the same whatever the clock: try it at very different ones. */
const clocksForCasesWithoutOne = [
  Date.UTC(2026, 10, 24, 5, 31, 7),
  Date.UTC(1970, 0, 1),
  Date.UTC(2049, 5, 30, 23, 59, 59),
];

for (const vector of requests) {
  const clocks =
    vector.now_ms === undefined ? clocksForCasesWithoutOne : [vector.now_ms];
  for (const now of clocks) {
    test(`request vector: ${vector.name} (clock at ${new Date(now).toISOString()})`, () => {
      checkRequest(vector, now);
    });
  }
}

function checkRequest(vector: RequestVector, now: number): void {
  const parsed = parseRequest(
    Buffer.from(vector.payload_base64, 'base64'),
    now,
  );
  const {expect} = vector;
  if (expect.reply_under_auto !== undefined) {
    assert.equal(autoReplyForm(parsed), expect.reply_under_auto);
  }

  if (expect.kind === 'malformed') {
    assert.equal(parsed.kind, 'malformed');
    assert.ok(expect.reason, 'the vector names a reason');
    assert.equal(parsed.kind === 'malformed' && parsed.reason, expect.reason);
    return;
  }

  assert.equal(parsed.kind, 'heartbeat');
  if (parsed.kind !== 'heartbeat') {
    return;
  }

  assert.equal(parsed.label, expect.label);
  assert.equal(parsed.seq, expect.seq);
  assert.equal(parsed.name, expect.client_name);
  if (expect.timestamp_ms === undefined) {
    assert.equal(parsed.timestampMs, undefined);
  } else {
    assert.ok(parsed.timestampMs !== undefined, 'a timestamp');
    assert.ok(
      Math.abs(parsed.timestampMs - expect.timestamp_ms) <= 0.001,
      `${parsed.timestampMs} is not within 0.001 of ${expect.timestamp_ms}`,
    );
  }
}

/**
 * The form `--reply auto` answers in, as the vectors name it: a malformed text datagram's `ERROR …`
 * is the seed client's form, a malformed JSON payload's `{"error":…}` the JSON form.
 */
function autoReplyForm(parsed: ParsedRequest): string {
  const kind = replyKind('auto', parsed);
  if (kind !== 'error') {
    return kind;
  }

  const form = errorForm('auto', parsed);
  return form === 'text' ? 'seed' : form;
}

test('every structured case names its reply under auto and its name', () => {
  const structured = requests.filter(
    (vector) => vector.expect.reply_under_auto !== undefined,
  );
  assert.ok(structured.length >= 15);
  assert.ok(
    structured.some((vector) => vector.expect.client_name === 'sensor-7'),
  );
});

for (const vector of replies) {
  test(`reply vector: ${vector.delay_us} us`, () => {
    assert.equal(formatDelay(vector.delay_us), vector.text);
    // The server holds delays in milliseconds.
    assert.equal(seedReply(vector.delay_us / 1000, 3), vector.reply);
  });
}
