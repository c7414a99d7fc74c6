import assert from 'node:assert/strict';
import test from 'node:test';
import {formatIsoTime} from '../../source/output/format-time.js';
import {parseClientKey} from '../../source/replay/event-translation.js';
import {parseLogTime, type LogRow} from '../../source/replay/log-reader.js';
import {createReplayClock} from '../../source/replay/replay-clock.js';
import {ReplayDriver} from '../../source/replay/replay-driver.js';
import type {HeartbeatEvent} from '../../source/vocabulary.js';

const t0 = Date.UTC(2026, 10, 24, 6, 0, 0);
const a = '127.0.0.1:5000';
const b = '127.0.0.1:5001';

let line = 1;

function row(
  time: number,
  event: string,
  fields: Partial<Omit<LogRow, 'time' | 'event'>> = {},
): LogRow {
  line++;
  return {
    line,
    session: 's',
    time,
    exact: true,
    event,
    client: undefined,
    seq: undefined,
    delayMs: undefined,
    detail: undefined,
    clockOffsetMs: 0,
    ...fields,
  };
}

async function play(
  rows: LogRow[],
): Promise<{driver: ReplayDriver; events: HeartbeatEvent[]}> {
  const events: HeartbeatEvent[] = [];
  const driver = new ReplayDriver({
    clock: createReplayClock(0),
    sink(event) {
      events.push(event);
    },
    source: 'test.csv',
  });
  await driver.play([rows]);
  return {driver, events};
}

/** A delay as the live store got it: receive time minus a timestamp, both doubles. */
function liveDelay(receivedAt: number, delayMs: number): number {
  return receivedAt - (receivedAt - delayMs);
}

test('heartbeats replay with their exact delays, as the store computed them live', async () => {
  const first = t0 + 1000.123_456;
  const second = t0 + 2000.5;
  const {driver, events} = await play([
    row(t0, 'start', {detail: 'listening=0.0.0.0:12000;loss=40%;seed=3'}),
    row(first, 'dropped', {
      client: a,
      seq: 1,
      delayMs: liveDelay(first, 0.4125),
    }),
    row(second, 'replied', {
      client: a,
      seq: 3,
      delayMs: liveDelay(second, 0.2),
    }),
  ]);
  const client = driver.store.get(a)!;
  assert.equal(client.received, 2);
  assert.equal(client.replied, 1);
  assert.equal(client.dropped, 1);
  assert.equal(client.lost, 1);
  assert.equal(client.delayMinMs, liveDelay(second, 0.2));
  assert.equal(client.delayMaxMs, liveDelay(first, 0.4125));
  // Intervals are kept as codes of an eighth of a millisecond, live and on replay alike.
  assert.ok(Math.abs(client.intervalMeanMs! - (second - first)) <= 0.125);
  const replied = events.find((event) => event.event === 'replied');
  assert.equal(replied?.detail, 'lost_in_between=1');
  assert.equal(driver.settings.seed, 3);
  assert.equal(driver.lossPercent, 40);
});

test('a malformed datagram and the reply right after it: one datagram, its reply counted', async () => {
  const at = t0 + 500.25;
  const {driver} = await play([
    row(t0, 'start'),
    row(at, 'malformed', {client: a, detail: 'bad timestamp'}),
    row(at, 'replied', {client: a}),
    row(t0 + 700, 'malformed', {client: b, detail: 'not UTF-8;unanswered'}),
    // Not the reply of b's malformed datagram: a heartbeat of its own, later.
    row(t0 + 900, 'dropped', {client: b}),
  ]);
  const first = driver.store.get(a)!;
  assert.equal(first.malformed, 1);
  assert.equal(first.replied, 1);
  assert.equal(first.received, 1, 'one datagram, no heartbeat made up');
  assert.equal(first.unanswered, 0);
  const second = driver.store.get(b)!;
  assert.equal(second.malformed, 1);
  assert.equal(second.received, 2);
  assert.equal(second.dropped, 1);
  assert.equal(second.unanswered, 1);
  assert.equal(driver.store.totals.unanswered, 1);
});

test('the log decides which error replies were held back, not the replayed rate limit', async () => {
  const {driver, events} = await play([
    row(t0, 'start'),
    // Held back although this client drew no error for a second: the log says so.
    row(t0 + 5000, 'malformed', {
      client: a,
      detail: 'bad timestamp;unanswered',
    }),
    // Two answered in the same millisecond (echoes of binary datagrams), which a rate limit
    // on errors would have held back.
    row(t0 + 5001, 'malformed', {client: a, detail: 'not UTF-8'}),
    row(t0 + 5001, 'replied', {client: a}),
    row(t0 + 5001, 'malformed', {client: a, detail: 'not UTF-8'}),
    row(t0 + 5001, 'dropped', {client: a}),
  ]);
  const client = driver.store.get(a)!;
  assert.deepEqual(
    [client.received, client.replied, client.dropped, client.unanswered],
    [3, 1, 1, 1],
  );
  assert.deepEqual(
    events
      .filter((event) => event.event === 'malformed')
      .map((event) => event.detail),
    ['bad timestamp;unanswered', 'not UTF-8', 'not UTF-8'],
  );
});

test('clients keyed by address alone: one client per address, IPv4 and IPv6, whatever the port', async () => {
  for (const detail of ['client_key=host', undefined]) {
    const {driver, events} = await play([
      row(t0, 'start', {detail}),
      row(t0 + 10, 'replied', {client: '192.0.2.7', seq: 1}),
      row(t0 + 20, 'replied', {client: '2001:db8::1', seq: 1}),
      row(t0 + 30, 'malformed', {client: '192.0.2.7', detail: 'bad timestamp'}),
      row(t0 + 30, 'replied', {client: '192.0.2.7'}),
      row(t0 + 40, 'refused', {client: '198.51.100.1:4000'}),
      row(t0 + 1010, 'replied', {client: '2001:db8::1', seq: 2}),
    ]);
    assert.deepEqual(
      [...driver.clients()].map((client) => [client.key, client.received]),
      [
        ['192.0.2.7', 2],
        ['2001:db8::1', 2],
      ],
      String(detail),
    );
    assert.deepEqual(
      events
        .filter((event) => event.event === 'summary')
        .map((event) => event.client),
      ['192.0.2.7', '2001:db8::1'],
    );
    assert.equal(driver.store.totals.refused, 1);
  }
});

test('a start row that says address keeps clients by address and port', async () => {
  const {driver} = await play([
    row(t0, 'start', {detail: 'client_key=address'}),
    row(t0 + 10, 'replied', {client: a, seq: 1}),
    row(t0 + 20, 'replied', {client: b, seq: 1}),
  ]);
  assert.deepEqual(
    [...driver.clients()].map((client) => client.key),
    [a, b],
  );
  assert.equal(driver.settings.clientKey, 'address');
});

test('late and stopped are the live tick evaluated again; a log cut to the millisecond ends the millisecond', async () => {
  // Intervals of 100, 101 and 101 ms: late 201.33 ms after the last heartbeat, at t0 + 503.33.
  const heartbeats = [0, 100, 201, 302].map((offset, index) =>
    row(t0 + offset, 'replied', {client: a, seq: index + 1, exact: false}),
  );
  const {driver, events} = await play([
    row(t0 - 1, 'start', {detail: 'dead_after=2s', exact: false}),
    ...heartbeats,
    // The tick came at 503.4 and the log kept 503.
    row(t0 + 503, 'late', {client: a, detail: 'silent_ms=201', exact: false}),
  ]);
  assert.equal(driver.store.get(a)?.state, 'late');
  assert.deepEqual(
    events
      .filter((event) => event.event === 'late')
      .map((event) => event.client),
    [a],
  );

  const exact = await play([
    row(t0 - 1, 'start', {detail: 'dead_after=2s'}),
    ...heartbeats.map((heartbeat) => ({...heartbeat, exact: true})),
    row(t0 + 2302, 'stopped', {client: a}),
  ]);
  // With dead_after=2s the client is stopped 2 s after its last heartbeat, late on the way.
  assert.deepEqual(
    exact.events
      .filter((event) => event.event === 'late' || event.event === 'stopped')
      .map((event) => [event.event, formatIsoTime(event.time)]),
    [
      ['late', formatIsoTime(t0 + 2302)],
      ['stopped', formatIsoTime(t0 + 2302)],
    ],
  );
});

test('reset zeroes the counters and forget drops the stopped clients, as the live commands did', async () => {
  const {driver, events} = await play([
    row(t0, 'start', {detail: 'dead_after=1s'}),
    row(t0 + 10, 'replied', {client: a, seq: 1}),
    row(t0 + 20, 'replied', {client: b, seq: 1}),
    row(t0 + 1500, 'replied', {client: b, seq: 2}),
    row(t0 + 1600, 'stopped', {client: a}),
    row(t0 + 1700, 'reset'),
    row(t0 + 1800, 'forget', {detail: 'forgotten=1'}),
  ]);
  assert.equal(driver.store.get(a), undefined);
  const kept = driver.store.get(b)!;
  assert.equal(kept.received, 0);
  assert.equal(driver.store.totals.received, 0);
  assert.deepEqual(
    events.slice(-3).map((event) => event.event),
    ['reset', 'forget', 'summary'],
  );
});

test('max_clients from the start row: the replayed store evicts as the live one did', async () => {
  const {driver, events} = await play([
    row(t0, 'start', {detail: 'max_clients=1'}),
    row(t0 + 10, 'replied', {client: a, seq: 1}),
    row(t0 + 20, 'evicted', {client: a, detail: 'silent_ms=10'}),
    row(t0 + 20, 'replied', {client: b, seq: 1}),
  ]);
  assert.equal(driver.store.get(a), undefined);
  assert.equal(driver.store.totals.evicted, 1);
  assert.deepEqual(
    events.map((event) => event.event),
    ['start', 'replied', 'evicted', 'replied', 'summary'],
  );
});

test('the summary is the replay’s own, at the time of the first summary row; the stop follows', async () => {
  const end = t0 + 5000.75;
  const {driver, events} = await play([
    row(t0, 'start'),
    row(t0 + 10, 'replied', {client: a, seq: 1}),
    row(t0 + 20, 'replied', {client: b, seq: 1}),
    row(end, 'summary', {client: a, detail: 'received=99'}),
    row(end, 'summary', {client: b, detail: 'received=99'}),
    row(end + 1, 'stop', {detail: 'duration_ms=5001'}),
  ]);
  const summaries = events.filter((event) => event.event === 'summary');
  assert.equal(summaries.length, 2);
  for (const summary of summaries) {
    assert.equal(summary.time, end);
    assert.match(summary.detail!, /^received=1;replied=1;/v);
  }

  assert.equal(events.at(-1)?.event, 'stop');
  assert.equal(driver.finished, true);
  assert.equal(driver.endedAt, end);
});

test('a log that ends without a shutdown still gets a summary, at its last row; time never runs back', async () => {
  const {driver, events} = await play([
    row(t0, 'start'),
    row(t0 + 100, 'replied', {client: a, seq: 1}),
    row(t0 + 50, 'replied', {client: a, seq: 2}),
  ]);
  assert.equal(driver.finished, false);
  assert.equal(driver.endedAt, t0 + 100);
  assert.equal(events.at(-1)?.event, 'summary');
  assert.equal(driver.store.get(a)?.received, 2);
});

test('client keys: address and port, IPv6 in brackets, and the address alone', () => {
  assert.deepEqual(parseClientKey('192.0.2.7:5000'), {
    address: '192.0.2.7',
    port: 5000,
  });
  assert.deepEqual(parseClientKey('[2001:db8::1]:5000'), {
    address: '2001:db8::1',
    port: 5000,
  });
  assert.deepEqual(parseClientKey('192.0.2.7'), {
    address: '192.0.2.7',
    port: undefined,
  });
  assert.deepEqual(parseClientKey('2001:db8::1'), {
    address: '2001:db8::1',
    port: undefined,
  });
  assert.deepEqual(parseClientKey('[2001:db8::1]'), {
    address: '2001:db8::1',
    port: undefined,
  });
  for (const bad of ['host:5000', '192.0.2.7:70000', '[::1]x', '', ':5000']) {
    assert.equal(parseClientKey(bad), undefined, bad);
  }
});

test('log times: the offset counts, impossible dates do not pass', () => {
  assert.equal(
    parseLogTime('2026-11-24T07:31:07.123+01:00'),
    Date.UTC(2026, 10, 24, 6, 31, 7, 123),
  );
  assert.equal(
    parseLogTime('2026-11-24T01:01:07.123-05:30'),
    Date.UTC(2026, 10, 24, 6, 31, 7, 123),
  );
  for (const bad of [
    '2026-13-01T00:00:00.000+00:00',
    '2026-02-29T00:00:00.000+00:00',
    '2026-11-24T24:00:00.000+00:00',
    '2026-11-24T06:31:07+00:00',
    '2026-11-24T06:31:07.123Z',
    '2026-11-24T06:31:07.123+15:00',
  ]) {
    assert.equal(parseLogTime(bad), undefined, bad);
  }
});

test('uptime counts from the recorded start, not from the first heartbeat', async () => {
  const first = t0 + 3000;
  const {driver} = await play([
    row(t0, 'start', {detail: 'listening=0.0.0.0:12000;loss=0%;seed=3'}),
    row(first, 'replied', {client: a, seq: 1, delayMs: 0.2}),
    row(t0 + 22_000, 'replied', {client: a, seq: 2, delayMs: 0.2}),
  ]);
  assert.equal(driver.engine.info.startedAt, t0);
  assert.equal(driver.startedAt, t0);
});
