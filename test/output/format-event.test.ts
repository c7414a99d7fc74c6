import assert from 'node:assert/strict';
import test from 'node:test';
import {
  detailObject,
  formatEventJson,
  formatEventText,
} from '../../source/output/format-event.js';
import {formatIsoTime} from '../../source/output/format-time.js';
import type {EventName, HeartbeatEvent} from '../../source/vocabulary.js';
import {allEvents, makeEvent, parseJsonObject} from './records.js';

const client = '127.0.0.1:5000';

/** One event of every kind, as the server emits them. */
const samples: Record<EventName, HeartbeatEvent> = {
  start: makeEvent({
    event: 'start',
    detail: 'listening=0.0.0.0:12000;loss=40%;seed=7',
  }),
  replied: makeEvent({
    event: 'replied',
    client,
    seq: 7,
    delayMs: 0.4123,
    detail: 'lost_in_between=0',
    state: 'alive',
  }),
  dropped: makeEvent({
    event: 'dropped',
    client,
    seq: 8,
    delayMs: 1.5,
    state: 'alive',
  }),
  malformed: makeEvent({
    event: 'malformed',
    client,
    detail: 'not a heartbeat',
    state: 'alive',
  }),
  refused: makeEvent({
    event: 'refused',
    client: '203.0.113.9:4000',
    detail: 'outside --allow',
  }),
  late: makeEvent({
    event: 'late',
    client,
    detail: 'silent_ms=232',
    state: 'late',
  }),
  stopped: makeEvent({
    event: 'stopped',
    client,
    detail: 'silent_ms=1000',
    state: 'stopped',
  }),
  resumed: makeEvent({
    event: 'resumed',
    client,
    seq: 9,
    delayMs: 0.25,
    detail: 'after=stopped;silent_ms=4321',
    state: 'alive',
  }),
  evicted: makeEvent({
    event: 'evicted',
    client: '[2001:db8::1]:5000',
    state: 'stopped',
  }),
  moved: makeEvent({
    event: 'moved',
    client: 'boiler-room',
    detail: 'from=192.0.2.7:5000;to=192.0.2.7:5001',
    state: 'alive',
    name: 'boiler-room',
    address: '192.0.2.7:5001',
  }),
  loss: makeEvent({event: 'loss', detail: 'loss=15%'}),
  idle: makeEvent({event: 'idle', detail: 'silent_for=60s'}),
  'log-error': makeEvent({
    event: 'log-error',
    detail: 'log write failed: no space left on device (ENOSPC)',
  }),
  summary: makeEvent({
    event: 'summary',
    client,
    seq: 9,
    delayMs: 0.5,
    detail:
      'received=3;replied=2;dropped=1;lost=0;loss=33.33%;state=alive;delay_min_ms=0.400;delay_avg_ms=0.500;delay_max_ms=0.600;duplicates=0;reordered=0;restarts=0;malformed=1',
    state: 'alive',
  }),
  stop: makeEvent({event: 'stop', detail: 'duration_ms=1234'}),
  reset: makeEvent({event: 'reset', detail: 'resets=1'}),
  forget: makeEvent({event: 'forget', detail: 'forgotten=2'}),
  'hook-error': makeEvent({event: 'hook-error', detail: 'timed out'}),
};

const time = formatIsoTime(samples.start.time);

test('text: one line per event kind, fixed-width event column, absent fields left out', () => {
  const expected: Record<EventName, string> = {
    start: `${time}  start       listening=0.0.0.0:12000;loss=40%;seed=7`,
    replied: `${time}  replied     127.0.0.1:5000         seq=7 delay=0.412ms lost_in_between=0 state=alive`,
    dropped: `${time}  dropped     127.0.0.1:5000         seq=8 delay=1.500ms state=alive`,
    malformed: `${time}  malformed   127.0.0.1:5000         not a heartbeat state=alive`,
    refused: `${time}  refused     203.0.113.9:4000       outside --allow`,
    late: `${time}  late        127.0.0.1:5000         silent_ms=232 state=late`,
    stopped: `${time}  stopped     127.0.0.1:5000         silent_ms=1000 state=stopped`,
    resumed: `${time}  resumed     127.0.0.1:5000         seq=9 delay=0.250ms after=stopped;silent_ms=4321 state=alive`,
    evicted: `${time}  evicted     [2001:db8::1]:5000     state=stopped`,
    moved: `${time}  moved       boiler-room            from=192.0.2.7:5000;to=192.0.2.7:5001 address=192.0.2.7:5001 state=alive`,
    loss: `${time}  loss        loss=15%`,
    idle: `${time}  idle        silent_for=60s`,
    'log-error': `${time}  log-error   log write failed: no space left on device (ENOSPC)`,
    summary: `${time}  summary     127.0.0.1:5000         seq=9 delay=0.500ms received=3;replied=2;dropped=1;lost=0;loss=33.33%;state=alive;delay_min_ms=0.400;delay_avg_ms=0.500;delay_max_ms=0.600;duplicates=0;reordered=0;restarts=0;malformed=1`,
    stop: `${time}  stop        duration_ms=1234`,
    reset: `${time}  reset       resets=1`,
    forget: `${time}  forget      forgotten=2`,
    'hook-error': `${time}  hook-error  -                      timed out`,
  };
  for (const name of allEvents) {
    assert.equal(formatEventText(samples[name]), expected[name], name);
  }
});

test('text: a server event with nothing else is just the time and the name', () => {
  assert.equal(
    formatEventText(makeEvent({event: 'stop'})),
    `${time}  stop      `,
  );
  assert.equal(
    formatEventText(makeEvent({event: 'late', client})),
    `${time}  late        127.0.0.1:5000`,
  );
});

test('text: the state is said once, in the detail when the detail carries it (summary rows do, for the CSV)', () => {
  const once = formatEventText(
    makeEvent({
      event: 'summary',
      client,
      detail: 'received=1;replied=1;dropped=0;lost=0;state=late',
      state: 'late',
    }),
  );
  assert.equal(once.match(/state=/gv)?.length, 1, once);
  assert.ok(once.endsWith(';state=late'), once);
  // A detail that only mentions a state in passing, or names another, leaves the field in place.
  assert.ok(
    formatEventText(
      makeEvent({
        event: 'resumed',
        client,
        detail: 'after=stopped;previous_state=late',
        state: 'alive',
      }),
    ).endsWith('after=stopped;previous_state=late state=alive'),
  );
  assert.ok(
    formatEventText(
      makeEvent({
        event: 'summary',
        client,
        detail: 'received=1;state=stopped',
        state: 'alive',
      }),
    ).endsWith('received=1;state=stopped state=alive'),
  );
});

test('text: late, stopped and resumed lines carry the client, the silence and the state', () => {
  for (const name of ['late', 'stopped', 'resumed'] as const) {
    const line = formatEventText(samples[name]);
    assert.match(
      line,
      /^\S+ {2}(?:late|stopped|resumed) +127\.0\.0\.1:5000 +.*silent_ms=\d+.* state=(?:alive|late|stopped)$/v,
      line,
    );
    assert.ok(line.endsWith(`state=${samples[name].state}`), line);
  }
});

test('text: control characters in a detail are escaped, so a line stays one line and cannot drive the terminal', () => {
  const line = formatEventText(
    makeEvent({
      event: 'malformed',
      client,
      detail: 'a\nb\r\tc\u001B[2Jd\u0000',
    }),
  );
  assert.equal(
    line,
    String.raw`${time}  malformed   127.0.0.1:5000         a\nb\r\tc\x1b[2Jd\x00`,
  );
  assert.ok(
    [...line].every((character) => character >= ' '),
    'no control characters',
  );
});

test('json: every event kind is one object with exactly the CSV fields and state, absent ones null', () => {
  for (const name of allEvents) {
    const event = samples[name];
    const line = formatEventJson(event, 'abcd1234');
    assert.doesNotMatch(line, /\n/v);
    const object = parseJsonObject(line);
    assert.deepEqual(Object.keys(object), [
      'v',
      'session',
      'time',
      'event',
      'client',
      'seq',
      'delay_ms',
      'detail',
      'state',
      // A named client's name, and its address where its key is that name, come last.
      ...(event.name === undefined ? [] : ['name']),
      ...(event.address === undefined ? [] : ['address']),
    ]);
    assert.equal(object.session, 'abcd1234');
    assert.equal(object.time, time);
    assert.equal(object.event, name);
    assert.equal(object.client, event.client ?? null);
    assert.equal(object.seq, event.seq ?? null);
    assert.deepEqual(
      object.detail,
      event.detail === undefined ? null : detailObject(event.detail),
    );
    assert.equal(object.state, event.state ?? null);
    assert.equal(object.v, 2);
  }
});

test('json: delay in milliseconds to three decimals; nulls for absent values', () => {
  assert.deepEqual(JSON.parse(formatEventJson(samples.replied, 's')), {
    v: 2,
    session: 's',
    time,
    event: 'replied',
    client,
    seq: 7,
    delay_ms: 0.412,
    detail: {lost_in_between: 0},
    state: 'alive',
  });
  assert.deepEqual(JSON.parse(formatEventJson(samples.stop, 's')), {
    v: 2,
    session: 's',
    time,
    event: 'stop',
    client: null,
    seq: null,
    delay_ms: null,
    detail: {duration_ms: 1234},
    state: null,
  });
  const weird = parseJsonObject(
    formatEventJson(
      makeEvent({event: 'malformed', delayMs: Number.NaN, detail: 'a\n"b"'}),
      's',
    ),
  );
  assert.equal(weird.delay_ms, null);
  assert.deepEqual(weird.detail, {message: 'a\n"b"'});
});

test('json: detail is an object of typed fields; text keeps k=v', () => {
  assert.deepEqual(
    detailObject(
      'received=10;replied=9;loss=9.1%;state=alive;delay_avg_ms=0.412;clock_offset_ms=-3600000',
    ),
    {
      received: 10,
      replied: 9,
      loss: '9.1%',
      state: 'alive',
      delay_avg_ms: 0.412,
      clock_offset_ms: -3_600_000,
    },
  );
  assert.deepEqual(detailObject('not a heartbeat: "x;y";unanswered'), {
    message: 'not a heartbeat: "x;y"',
    unanswered: true,
  });
  assert.deepEqual(
    detailObject('listening=0.0.0.0:1;allow=127.0.0.0/8,::1/128'),
    {
      listening: '0.0.0.0:1',
      allow: '127.0.0.0/8,::1/128',
    },
  );
  assert.deepEqual(detailObject('hook=a;error=exit 1; see log'), {
    hook: 'a',
    error: 'exit 1; see log',
  });
  const line = formatEventJson(
    makeEvent({event: 'summary', detail: 'received=3;lost=0'}),
    's',
  );
  assert.equal(
    (JSON.parse(line) as {detail: {received: number}}).detail.received,
    3,
  );
  assert.match(
    formatEventText(makeEvent({event: 'summary', detail: 'received=3;lost=0'})),
    /received=3;lost=0/v,
  );
});

test('a named client: its name on text lines (quoted when it has a blank) and in JSON; its address where the key is the name', () => {
  const named = makeEvent({
    event: 'replied',
    client,
    seq: 7,
    detail: 'lost_in_between=0',
    state: 'alive',
    name: 'boiler room "2"',
  });
  const text = formatEventText(named);
  assert.match(
    text,
    /replied {5}127\.0\.0\.1:5000 {9}seq=7 lost_in_between=0 name="boiler room \\"2\\"" state=alive$/v,
  );
  const json = parseJsonObject(formatEventJson(named, 's1'));
  assert.equal(json.name, 'boiler room "2"');
  assert.equal(json.address, undefined);
  assert.equal(
    parseJsonObject(formatEventJson(samples.replied, 's1')).name,
    undefined,
  );

  const moved = formatEventText(samples.moved);
  assert.match(
    moved,
    /moved {7}boiler-room {12}from=192\.0\.2\.7:5000;to=192\.0\.2\.7:5001 address=192\.0\.2\.7:5001 state=alive$/v,
  );
  const movedJson = parseJsonObject(formatEventJson(samples.moved, 's1'));
  assert.equal(movedJson.client, 'boiler-room');
  assert.equal(movedJson.name, 'boiler-room');
  assert.equal(movedJson.address, '192.0.2.7:5001');
  // A key that is a name with a blank is quoted, so the line still splits into its fields.
  assert.match(
    formatEventText({
      ...samples.moved,
      client: 'boiler room',
      name: 'boiler room',
    }),
    /moved {7}"boiler room" /v,
  );
});
