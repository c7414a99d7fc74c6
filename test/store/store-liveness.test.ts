import assert from 'node:assert/strict';
import test from 'node:test';
import {
  type Heartbeat,
  type ClientRecord,
  type HeartbeatEvent,
  type Liveness,
} from '../../source/vocabulary.js';
import {HeartbeatStore} from '../../source/store/heartbeat-store.js';
import {lateZ, phi, stoppedZ} from '../../source/store/liveness.js';

const start = 1_764_000_000_000;
/** How close to a deadline "just before" is. */
const epsilon = 0.01;

function heartbeat(seq?: number): Heartbeat {
  return {kind: 'heartbeat', label: undefined, seq, timestampMs: undefined};
}

function setup(deadAfterMs?: number) {
  const events: HeartbeatEvent[] = [];
  const store = new HeartbeatStore({
    clock: () => start,
    deadAfterMs,
    sink(event) {
      events.push(event);
    },
  });
  return {store, events};
}

/** countByState must always agree with a count over the clients. */
function assertCountsConsistent(store: HeartbeatStore) {
  const counted: Record<Liveness, number> = {alive: 0, late: 0, stopped: 0};
  for (const client of store.clients()) {
    counted[client.state]++;
  }

  assert.deepEqual(store.countByState(), counted);
}

function stateAt(
  store: HeartbeatStore,
  client: ClientRecord,
  time: number,
): Liveness {
  store.evaluateLiveness(time);
  assertCountsConsistent(store);
  return client.state;
}

/** Sends heartbeats after the given intervals; returns the client and the last arrival. */
function beat(
  store: HeartbeatStore,
  intervals: readonly number[],
  from = start,
) {
  let now = from;
  let seq = 0;
  let client = store.recordHeartbeat('192.0.2.7', 5000, heartbeat(seq++), now);
  for (const interval of intervals) {
    now += interval;
    store.evaluateLiveness(now);
    client = store.recordHeartbeat('192.0.2.7', 5000, heartbeat(seq++), now);
  }

  return {client, last: now};
}

test('a 10 Hz client that goes silent is late, then stopped, exactly when phi reaches 1 and 8', () => {
  const {store, events} = setup();
  // 100 ms on average with a spread above m/4: intervals alternate 40 and 160 ms (s = 60).
  const intervals = Array.from({length: 150}, (_, index) =>
    index % 2 === 0 ? 40 : 160,
  );
  const {client, last} = beat(store, intervals);
  const held = intervals.slice(-100);
  const m = held.reduce((sum, value) => sum + value, 0) / held.length;
  const s = Math.sqrt(
    held.reduce((sum, value) => sum + (value - m) ** 2, 0) / held.length,
  );
  assert.equal(m, 100);
  assert.equal(s, 60);
  assert.equal(client.intervalMeanMs, m);
  assert.ok(Math.abs(client.intervalStdDevMs! - s) < 1e-9);
  const mu = 2 * m;
  const sigma = Math.max(s, m / 4);
  const lateAt = last + mu + sigma * lateZ;
  const stoppedAt = last + mu + sigma * stoppedZ;
  // phi really is 1 and 8 there.
  assert.ok(Math.abs(phi(mu + sigma * lateZ, mu, sigma) - 1) < 1e-6);
  assert.ok(Math.abs(phi(mu + sigma * stoppedZ, mu, sigma) - 8) < 1e-6);

  events.length = 0;
  assert.equal(stateAt(store, client, lateAt - epsilon), 'alive');
  assert.equal(stateAt(store, client, lateAt + epsilon), 'late');
  assert.equal(stateAt(store, client, stoppedAt - epsilon), 'late');
  assert.equal(stateAt(store, client, stoppedAt + epsilon), 'stopped');
  assert.deepEqual(
    events.map(({event, time, state, client: key}) => ({
      event,
      time,
      state,
      key,
    })),
    [
      {
        event: 'late',
        time: lateAt + epsilon,
        state: 'late',
        key: '192.0.2.7:5000',
      },
      {
        event: 'stopped',
        time: stoppedAt + epsilon,
        state: 'stopped',
        key: '192.0.2.7:5000',
      },
    ],
  );
  assert.equal(
    events[0]!.detail,
    `silent_ms=${Math.round(lateAt + epsilon - last)}`,
  );
});

test('the smallest deviation is m/4: a steady 10 Hz client is late at 2m + 25 z ms', () => {
  const {store} = setup();
  const {client, last} = beat(
    store,
    Array.from({length: 30}, () => 100),
  );
  assert.equal(client.intervalStdDevMs, 0);
  const lateAt = last + 200 + 25 * lateZ;
  const stoppedAt = last + 200 + 25 * stoppedZ;
  assert.equal(stateAt(store, client, lateAt - epsilon), 'alive');
  assert.equal(stateAt(store, client, lateAt), 'late');
  assert.equal(stateAt(store, client, stoppedAt - epsilon), 'late');
  assert.equal(stateAt(store, client, stoppedAt), 'stopped');
});

test('before its second heartbeat a client is late with m = 1 s, and not stopped before 10 s', () => {
  const {store} = setup();
  const client = store.recordHeartbeat('192.0.2.7', 5000, heartbeat(1), start);
  assert.equal(client.intervalMeanMs, undefined);
  const lateAt = start + 2000 + 250 * lateZ;
  // phi 8 with m = 1 s comes at 3.4 s: far too soon for a client that beats every 5 s.
  assert.ok(2000 + 250 * stoppedZ < 4000);
  const stoppedAt = start + 10_000;
  assert.equal(stateAt(store, client, lateAt - epsilon), 'alive');
  assert.equal(stateAt(store, client, lateAt + epsilon), 'late');
  assert.equal(stateAt(store, client, stoppedAt - epsilon), 'late');
  assert.equal(stateAt(store, client, stoppedAt), 'stopped');
});

test('with --dead-after 2 s a 10 Hz client is late after 2m and stopped after 2 s', () => {
  const {store} = setup(2000);
  const {client, last} = beat(
    store,
    Array.from({length: 20}, () => 100),
  );
  assert.equal(stateAt(store, client, last + 200 - epsilon), 'alive');
  assert.equal(stateAt(store, client, last + 200), 'late');
  assert.equal(stateAt(store, client, last + 2000 - epsilon), 'late');
  assert.equal(stateAt(store, client, last + 2000), 'stopped');
});

test('a fixed limit shorter than 2m goes straight to stopped', () => {
  const {store, events} = setup(1500);
  const {client, last} = beat(store, [1000, 1000]);
  events.length = 0;
  assert.equal(stateAt(store, client, last + 1500 - epsilon), 'alive');
  assert.equal(stateAt(store, client, last + 1500), 'stopped');
  assert.deepEqual(
    events.map(({event}) => event),
    ['stopped'],
  );
});

test('a tick that comes after both deadlines reports late, then stopped', () => {
  const {store, events} = setup();
  const {client, last} = beat(store, [100, 100, 100]);
  events.length = 0;
  assert.equal(stateAt(store, client, last + 60_000), 'stopped');
  assert.deepEqual(
    events.map(({event, state}) => [event, state]),
    [
      ['late', 'late'],
      ['stopped', 'stopped'],
    ],
  );
});

test('a stopped client that sends again is resumed, and the outage is not an interval', () => {
  const {store, events} = setup();
  const {client, last} = beat(
    store,
    Array.from({length: 20}, () => 100),
  );
  assert.equal(stateAt(store, client, last + 5000), 'stopped');
  const {intervalMeanMs, intervalStdDevMs} = client;
  events.length = 0;
  store.recordHeartbeat('192.0.2.7', 5000, heartbeat(21), last + 60_000);
  assert.equal(client.state, 'alive');
  assert.deepEqual(events, [
    {
      time: last + 60_000,
      event: 'resumed',
      client: '192.0.2.7:5000',
      seq: 21,
      delayMs: undefined,
      detail: 'after=stopped;silent_ms=60000',
      state: 'alive',
      previousState: 'stopped',
      silentMs: 60_000,
    },
  ]);
  assert.equal(client.intervalMeanMs, intervalMeanMs);
  assert.equal(client.intervalStdDevMs, intervalStdDevMs);
  assertCountsConsistent(store);
  // The detector is as quick as before: late again 2m + 25 z after the resumption.
  assert.equal(
    stateAt(store, client, last + 60_000 + 200 + 25 * lateZ - epsilon),
    'alive',
  );
  assert.equal(
    stateAt(store, client, last + 60_000 + 200 + 25 * lateZ),
    'late',
  );
});

test('a late client that sends again is resumed and its silence is learned', () => {
  const {store, events} = setup();
  const {client, last} = beat(store, [100, 100, 100]);
  assert.equal(stateAt(store, client, last + 250), 'late');
  events.length = 0;
  store.recordHeartbeat('192.0.2.7', 5000, heartbeat(4), last + 300);
  assert.equal(client.state, 'alive');
  assert.equal(events[0]?.event, 'resumed');
  assert.equal(events[0]?.detail, 'after=late;silent_ms=300');
  assert.equal(client.intervalMeanMs, 150);
});

test('a malformed datagram resumes a stopped client too', () => {
  const {store, events} = setup();
  const client = store.recordHeartbeat('192.0.2.7', 5000, heartbeat(1), start);
  assert.equal(stateAt(store, client, start + 10_000), 'stopped');
  events.length = 0;
  store.recordMalformed(
    '192.0.2.7',
    5000,
    'bad timestamp',
    start + 20_000,
    true,
  );
  assert.equal(client.state, 'alive');
  assert.deepEqual(
    events.map(({event, detail, state}) => [event, detail, state]),
    [
      ['resumed', 'after=stopped;silent_ms=20000', 'alive'],
      ['malformed', 'bad timestamp', 'alive'],
    ],
  );
});

test('a client that beats every 5 s is never stopped: late once in its first interval, then learned', () => {
  const {store, events} = setup();
  const client = store.recordHeartbeat('192.0.2.7', 5000, heartbeat(0), start);
  for (let seq = 1; seq <= 5; seq++) {
    const now = start + seq * 5000;
    for (let tick = now - 4900; tick < now; tick += 100) {
      store.evaluateLiveness(tick);
    }

    store.recordHeartbeat('192.0.2.7', 5000, heartbeat(seq), now);
  }

  assert.deepEqual(
    events.filter(({event}) => event !== 'replied').map(({event}) => event),
    ['late', 'resumed'],
  );
  assert.equal(client.intervalMeanMs, 5000);
});

test('a client that beats every 9.9 s is never stopped either', () => {
  const {store, events} = setup();
  store.recordHeartbeat('192.0.2.7', 5000, heartbeat(0), start);
  store.evaluateLiveness(start + 9899);
  store.recordHeartbeat('192.0.2.7', 5000, heartbeat(1), start + 9900);
  store.evaluateLiveness(start + 9900 + 19_000);
  assert.deepEqual(
    events.map(({event}) => event),
    ['late', 'resumed'],
  );
});

test('countByState stays consistent through every transition, with many clients', () => {
  const {store} = setup();
  let now = start;
  for (let round = 0; round < 60; round++) {
    for (let index = 0; index < 12; index++) {
      // Client i beats every (i + 1) rounds; some stop for a while and come back.
      const resting = index % 4 === 0 && round > 20 && round < 40;
      if (round % (index + 1) === 0 && !resting) {
        store.recordHeartbeat('192.0.2.7', index, heartbeat(round), now);
      }
    }

    now += 400;
    store.evaluateLiveness(now);
    assertCountsConsistent(store);
    if (round === 45) {
      store.forgetStopped();
      assertCountsConsistent(store);
    }
  }

  const counts = store.countByState();
  assert.ok(counts.alive > 0);
  assert.equal(counts.alive + counts.late + counts.stopped, store.clientCount);
});
