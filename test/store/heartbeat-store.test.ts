import assert from 'node:assert/strict';
import test from 'node:test';
import {
  type Heartbeat,
  type HeartbeatEvent,
  type Liveness,
} from '../../source/vocabulary.js';
import {HeartbeatStore} from '../../source/store/heartbeat-store.js';

const start = 1_764_000_000_000;

function heartbeat(
  seq?: number,
  timestampMs?: number,
  label?: string,
): Heartbeat {
  return {kind: 'heartbeat', label, seq, timestampMs};
}

function setup(options: {maxClients?: number; deadAfterMs?: number} = {}) {
  let now = start;
  const events: HeartbeatEvent[] = [];
  const store = new HeartbeatStore({
    clock: () => now,
    sink(event) {
      events.push(event);
    },
    ...options,
  });
  return {
    store,
    events,
    now: () => now,
    advance(ms: number) {
      now += ms;
      return now;
    },
  };
}

/** countByState must always agree with a count over the clients. */
function assertCountsConsistent(store: HeartbeatStore) {
  const counted: Record<Liveness, number> = {alive: 0, late: 0, stopped: 0};
  for (const client of store.clients()) {
    counted[client.state]++;
  }

  assert.deepEqual(store.countByState(), counted);
  assert.equal(
    counted.alive + counted.late + counted.stopped,
    store.clientCount,
  );
}

function keys(store: HeartbeatStore): string[] {
  return [...store.clients()].map((client) => client.key);
}

test('a heartbeat creates the client and counts it', () => {
  const {store, now} = setup();
  assert.equal(store.clientCount, 0);
  assert.equal(store.lastActivity, undefined);
  const client = store.recordHeartbeat(
    '192.0.2.7',
    5000,
    heartbeat(1, now() - 2, 'Ping'),
    now(),
  );
  assert.equal(client.key, '192.0.2.7:5000');
  assert.equal(client.label, 'Ping');
  assert.equal(client.received, 1);
  assert.equal(client.delayLastMs, 2);
  assert.equal(client.firstSeen, now());
  assert.equal(client.lastSeen, now());
  assert.equal(client.lastHeartbeat, now());
  assert.equal(client.state, 'alive');
  assert.equal(store.clientCount, 1);
  assert.equal(store.totals.received, 1);
  assert.equal(store.lastActivity, now());
  assert.equal(store.get('192.0.2.7:5000'), client);
  assertCountsConsistent(store);
});

test('clients are told apart by address and port, and found by their display key', () => {
  const {store, now} = setup();
  const a = store.recordHeartbeat('192.0.2.7', 5000, heartbeat(1), now());
  const b = store.recordHeartbeat('192.0.2.7', 5001, heartbeat(1), now());
  const c = store.recordHeartbeat(
    '::ffff:192.0.2.8',
    5000,
    heartbeat(1),
    now(),
  );
  const d = store.recordHeartbeat('2001:db8::1', 5000, heartbeat(1), now());
  assert.equal(store.clientCount, 4);
  assert.equal(
    store.recordHeartbeat('192.0.2.7', 5001, heartbeat(2), now()),
    b,
  );
  assert.equal(b.received, 2);
  assert.equal(a.received, 1);
  assert.equal(c.key, '192.0.2.8:5000');
  assert.equal(d.key, '[2001:db8::1]:5000');
  assert.equal(store.get('192.0.2.7:5000'), a);
  assert.equal(store.get('192.0.2.7:5001'), b);
  assert.equal(store.get('192.0.2.8:5000'), c);
  assert.equal(store.get('[2001:db8::1]:5000'), d);
  assert.equal(store.get('192.0.2.7:5002'), undefined);
  assert.equal(store.get('192.0.2.9:5000'), undefined);
  assert.equal(store.get('nonsense'), undefined);
  assert.equal(store.get('192.0.2.7:'), undefined);
  assert.equal(store.get('[2001:db8::1]:x'), undefined);
});

test('reply events carry the heartbeat, the N of the reply and the state', () => {
  const {store, events, now, advance} = setup();
  let client = store.recordHeartbeat(
    '192.0.2.7',
    5000,
    heartbeat(1, now() - 3),
    now(),
  );
  store.recordReply(client, false, now());
  advance(1000);
  client = store.recordHeartbeat('192.0.2.7', 5000, heartbeat(2), now());
  store.recordReply(client, false, now());
  advance(1000);
  client = store.recordHeartbeat(
    '192.0.2.7',
    5000,
    heartbeat(3, now() - 5),
    now(),
  );
  assert.equal(client.droppedSinceReply, 2);
  store.recordReply(client, true, now());
  assert.equal(client.droppedSinceReply, 0);
  assert.deepEqual(events, [
    {
      time: start,
      event: 'dropped',
      client: '192.0.2.7:5000',
      seq: 1,
      delayMs: 3,
      detail: undefined,
      state: 'alive',
    },
    {
      time: start + 1000,
      event: 'dropped',
      client: '192.0.2.7:5000',
      seq: 2,
      delayMs: undefined,
      detail: undefined,
      state: 'alive',
    },
    {
      time: start + 2000,
      event: 'replied',
      client: '192.0.2.7:5000',
      seq: 3,
      delayMs: 5,
      detail: 'lost_in_between=2',
      state: 'alive',
    },
  ]);
  assert.deepEqual(store.totals, {
    received: 3,
    replied: 1,
    dropped: 2,
    malformed: 0,
    unanswered: 0,
    refused: 0,
    evicted: 0,
  });
  assert.deepEqual(client.history(), ['dropped', 'dropped', 'replied']);
});

test('refused datagrams are counted and create no client', () => {
  const {store, events, now} = setup();
  const before = store.version;
  store.recordRefused('::ffff:203.0.113.9', 7000, now());
  assert.equal(store.totals.refused, 1);
  assert.equal(store.clientCount, 0);
  assert.equal(store.lastActivity, undefined);
  assert.ok(store.version > before);
  assert.deepEqual(events, [
    {
      time: start,
      event: 'refused',
      client: '203.0.113.9:7000',
      seq: undefined,
      delayMs: undefined,
      detail: undefined,
      state: undefined,
    },
  ]);
});

test('a malformed datagram is received and malformed, and shows its sender is running', () => {
  const {store, events, now, advance} = setup();
  const client = store.recordMalformed(
    '192.0.2.7',
    5000,
    'bad timestamp',
    now(),
    true,
  );
  assert.ok(client, 'its error reply is not held back');
  assert.equal(client.malformed, 1);
  assert.equal(client.received, 1);
  assert.equal(client.lastSeen, now());
  assert.equal(client.lastHeartbeat, undefined);
  assert.equal(store.totals.malformed, 1);
  assert.equal(store.totals.received, 1);
  assert.equal(store.lastActivity, now());
  assert.deepEqual(events.at(-1), {
    time: start,
    event: 'malformed',
    client: '192.0.2.7:5000',
    seq: undefined,
    delayMs: undefined,
    detail: 'bad timestamp',
    state: 'alive',
  });
  store.recordReply(client, true, now());
  assert.equal(client.replied, 1);
  assert.equal(events.at(-1)?.event, 'replied');
  assert.deepEqual(client.history(), ['malformed']);
  // It is an arrival for liveness: the interval between two datagrams is learned.
  advance(500);
  const again = store.recordMalformed(
    '192.0.2.7',
    5000,
    'control character',
    now(),
    false,
  );
  assert.equal(again, client);
  assert.equal(client.intervalMeanMs, 500);
  assert.equal(client.lastSeen, now());
});

test('every reply of a malformed datagram is replied or dropped, with its event after the malformed one', () => {
  const {store, events, now, advance} = setup();
  const client = store.recordHeartbeat(
    '192.0.2.7',
    5000,
    heartbeat(4, now() - 3),
    now(),
  );
  store.recordReply(client, false, now());
  advance(100);
  const record = store.recordMalformed(
    '192.0.2.7',
    5000,
    'not UTF-8',
    now(),
    false,
  );
  assert.ok(record);
  assert.equal(record.droppedSinceReply, 1);
  store.recordReply(record, true, now());
  assert.deepEqual(
    events.slice(-2).map(({event, seq, delayMs, detail}) => ({
      event,
      seq,
      delayMs,
      detail,
    })),
    [
      {
        event: 'malformed',
        seq: undefined,
        delayMs: undefined,
        detail: 'not UTF-8',
      },
      // The reply answers the malformed datagram: no seq or delay of the heartbeat before it.
      {
        event: 'replied',
        seq: undefined,
        delayMs: undefined,
        detail: 'lost_in_between=1',
      },
    ],
  );
  assert.equal(record.droppedSinceReply, 0);
  assert.deepEqual(record.history(), ['dropped', 'malformed']);
  assert.equal(record.received, record.replied + record.dropped);
});

test('error replies: one per client per second; one held back is unanswered and ends the malformed event', () => {
  const {store, events, now, advance} = setup();
  const first = store.recordMalformed(
    '192.0.2.7',
    5000,
    'too long',
    now(),
    true,
  );
  assert.ok(first);
  store.recordReply(first, true, now());
  const other = store.recordMalformed(
    '192.0.2.8',
    5000,
    'too long',
    now(),
    true,
  );
  assert.ok(other, 'another client has a limit of its own');
  store.recordReply(other, false, now());
  advance(999);
  const count = events.length;
  assert.equal(
    store.recordMalformed('192.0.2.7', 5000, 'too long', now(), true),
    undefined,
  );
  assert.deepEqual(events.slice(count), [
    {
      time: start + 999,
      event: 'malformed',
      client: '192.0.2.7:5000',
      seq: undefined,
      delayMs: undefined,
      detail: 'too long;unanswered',
      state: 'alive',
    },
  ]);
  // An echo is never held back.
  const echoed = store.recordMalformed(
    '192.0.2.7',
    5000,
    'not UTF-8',
    now(),
    false,
  );
  assert.ok(echoed);
  store.recordReply(echoed, true, now());
  advance(1);
  const later = store.recordMalformed(
    '192.0.2.7',
    5000,
    'too long',
    now(),
    true,
  );
  assert.ok(later, 'a second later the limit allows one more');
  store.recordReply(later, true, now());
  assert.equal(first.received, 4);
  assert.equal(first.replied, 3);
  assert.equal(first.unanswered, 1);
  assert.equal(first.malformed, 4);
  assert.deepEqual(first.history(), [
    'malformed',
    'malformed',
    'malformed',
    'malformed',
  ]);
  assert.deepEqual(store.totals, {
    received: 5,
    replied: 3,
    dropped: 1,
    malformed: 5,
    unanswered: 1,
    refused: 0,
    evicted: 0,
  });
});

test('--client-key host: every port of an address is one client, keyed by the address', () => {
  let now = start;
  const store = new HeartbeatStore({clock: () => now, clientKey: 'host'});
  const a = store.recordHeartbeat('192.0.2.7', 5000, heartbeat(1), now);
  now += 1000;
  const b = store.recordHeartbeat('192.0.2.7', 5001, heartbeat(2), now);
  const mapped = store.recordHeartbeat(
    '::ffff:192.0.2.8',
    6000,
    heartbeat(1),
    now,
  );
  const v6 = store.recordHeartbeat('2001:db8::1', 7000, heartbeat(1), now);
  assert.equal(a, b);
  assert.equal(a.key, '192.0.2.7');
  assert.equal(a.received, 2);
  assert.equal(a.lost, 0);
  assert.equal(a.intervalMeanMs, 1000);
  assert.equal(store.clientCount, 3);
  assert.equal(store.get('192.0.2.7'), a);
  assert.equal(store.get('192.0.2.8'), mapped);
  assert.equal(store.get('2001:db8::1'), v6);
  assert.equal(store.get('192.0.2.7:5000'), undefined);
  // By default the ports stay apart.
  const byAddress = new HeartbeatStore({clock: () => now});
  byAddress.recordHeartbeat('192.0.2.7', 5000, heartbeat(1), now);
  byAddress.recordHeartbeat('192.0.2.7', 5001, heartbeat(1), now);
  assert.equal(byAddress.clientCount, 2);
});

test('statistics against values worked by hand', () => {
  const {store, now, advance} = setup();
  // Arrivals 0, 100, 300, 400 ms: intervals 100, 200, 100.
  const delays = [10, 12, 9, 15];
  const gaps = [0, 100, 200, 100];
  const sent: Array<[number, boolean]> = [
    [1, true],
    [2, false],
    [5, true],
    [6, false],
  ];
  let client;
  for (const [index, [seq, replied]] of sent.entries()) {
    advance(gaps[index]!);
    client = store.recordHeartbeat(
      '192.0.2.7',
      5000,
      heartbeat(seq, now() - delays[index]!),
      now(),
    );
    store.recordReply(client, replied, now());
  }

  assert.ok(client);
  assert.equal(client.delayMinMs, 9);
  assert.equal(client.delayMaxMs, 15);
  assert.equal(client.delayAvgMs, 11.5);
  assert.equal(client.jitterMs, 0.660_644_531_25);
  const meanInterval = 400 / 3;
  assert.ok(Math.abs(client.intervalMeanMs! - meanInterval) < 1e-9);
  const deviation = Math.sqrt(
    (2 * (100 - meanInterval) ** 2 + (200 - meanInterval) ** 2) / 3,
  );
  assert.ok(Math.abs(client.intervalStdDevMs! - deviation) < 1e-9);
  // 4 received, 2 lost (3 and 4), 2 dropped: (2 + 2) / (4 + 2).
  assert.equal(client.lost, 2);
  assert.equal(client.lossPercent, (4 * 100) / 6);
  assert.deepEqual(client.history(), [
    'replied',
    'dropped',
    'lost',
    'lost',
    'replied',
    'dropped',
  ]);
});

test('the label follows the latest heartbeat', () => {
  const {store, now} = setup();
  const client = store.recordHeartbeat(
    '192.0.2.7',
    5000,
    heartbeat(1, undefined, 'Ping'),
    now(),
  );
  const other = store.recordHeartbeat(
    '192.0.2.8',
    5000,
    heartbeat(1, undefined, 'Ping'),
    now(),
  );
  assert.equal(client.label, 'Ping');
  assert.equal(other.label, 'Ping');
  store.recordHeartbeat(
    '192.0.2.7',
    5000,
    heartbeat(2, undefined, 'HB'),
    now(),
  );
  assert.equal(client.label, 'HB');
  store.recordHeartbeat('192.0.2.7', 5000, heartbeat(3), now());
  assert.equal(client.label, undefined);
});

test('clients are listed least recently seen first', () => {
  const {store, now, advance} = setup();
  store.recordHeartbeat('192.0.2.1', 1, heartbeat(1), now());
  advance(1);
  store.recordHeartbeat('192.0.2.2', 1, heartbeat(1), now());
  advance(1);
  store.recordHeartbeat('192.0.2.3', 1, heartbeat(1), now());
  assert.deepEqual(keys(store), ['192.0.2.1:1', '192.0.2.2:1', '192.0.2.3:1']);
  advance(1);
  store.recordMalformed('192.0.2.1', 1, 'bad sequence number', now(), false);
  assert.deepEqual(keys(store), ['192.0.2.2:1', '192.0.2.3:1', '192.0.2.1:1']);
  advance(1);
  store.recordHeartbeat('192.0.2.3', 1, heartbeat(2), now());
  assert.deepEqual(keys(store), ['192.0.2.2:1', '192.0.2.1:1', '192.0.2.3:1']);
});

test('when full, the least recently seen client is evicted', () => {
  const {store, events, now, advance} = setup({maxClients: 3});
  store.recordHeartbeat('192.0.2.1', 1, heartbeat(1), now());
  advance(10);
  store.recordHeartbeat('192.0.2.2', 1, heartbeat(1), now());
  advance(10);
  store.recordHeartbeat('192.0.2.3', 1, heartbeat(1), now());
  advance(10);
  store.recordHeartbeat('192.0.2.1', 1, heartbeat(2), now());
  advance(10);
  events.length = 0;
  store.recordHeartbeat('192.0.2.4', 1, heartbeat(1), now());
  assert.equal(store.clientCount, 3);
  assert.equal(store.totals.evicted, 1);
  assert.equal(store.get('192.0.2.2:1'), undefined);
  assert.deepEqual(keys(store), ['192.0.2.3:1', '192.0.2.1:1', '192.0.2.4:1']);
  assert.deepEqual(events, [
    {
      time: start + 40,
      event: 'evicted',
      client: '192.0.2.2:1',
      seq: undefined,
      delayMs: undefined,
      detail: 'silent_ms=30',
      state: 'alive',
    },
  ]);
  assertCountsConsistent(store);
  // A malformed datagram from a new source evicts too; the evicted client comes back as new.
  advance(10);
  store.recordMalformed('192.0.2.2', 1, 'too long', now(), false);
  assert.equal(store.totals.evicted, 2);
  assert.equal(store.get('192.0.2.3:1'), undefined);
  assert.equal(store.get('192.0.2.2:1')?.received, 1);
  assert.equal(store.get('192.0.2.2:1')?.malformed, 1);
  assertCountsConsistent(store);
});

test('eviction of one port leaves the other ports of its address', () => {
  const {store, now, advance} = setup({maxClients: 2});
  store.recordHeartbeat('192.0.2.1', 1, heartbeat(1), now());
  advance(1);
  store.recordHeartbeat('192.0.2.1', 2, heartbeat(1), now());
  advance(1);
  store.recordHeartbeat('192.0.2.1', 3, heartbeat(1), now());
  assert.deepEqual(keys(store), ['192.0.2.1:2', '192.0.2.1:3']);
  assert.equal(store.get('192.0.2.1:1'), undefined);
  advance(1);
  store.recordHeartbeat('192.0.2.9', 1, heartbeat(1), now());
  advance(1);
  store.recordHeartbeat('192.0.2.9', 2, heartbeat(1), now());
  assert.deepEqual(keys(store), ['192.0.2.9:1', '192.0.2.9:2']);
  assert.equal(store.get('192.0.2.1:3'), undefined);
  advance(1);
  const again = store.recordHeartbeat('192.0.2.1', 3, heartbeat(7), now());
  assert.equal(again.received, 1);
  assert.equal(store.get('192.0.2.1:3'), again);
});

test('resetCounters zeroes counters, statistics, history and totals; clients and liveness stay', () => {
  const {store, now, advance} = setup();
  const a = store.recordHeartbeat(
    '192.0.2.1',
    1,
    heartbeat(1, now() - 1),
    now(),
  );
  store.recordReply(a, false, now());
  store.recordHeartbeat('192.0.2.2', 1, heartbeat(1), now());
  store.recordRefused('203.0.113.1', 1, now());
  advance(100);
  store.recordHeartbeat('192.0.2.1', 1, heartbeat(4, now() - 1), now());
  store.recordMalformed('192.0.2.1', 1, 'too long', now(), false);
  // Let the second client go stopped.
  advance(10_000);
  store.evaluateLiveness(now());
  const states = store.countByState();
  const {version} = store;
  store.resetCounters();
  assert.ok(store.version > version);
  assert.deepEqual(store.totals, {
    received: 0,
    replied: 0,
    dropped: 0,
    malformed: 0,
    unanswered: 0,
    refused: 0,
    evicted: 0,
  });
  assert.equal(store.clientCount, 2);
  assert.deepEqual(store.countByState(), states);
  for (const client of store.clients()) {
    assert.equal(client.received, 0);
    assert.equal(client.dropped, 0);
    assert.equal(client.lost, 0);
    assert.equal(client.malformed, 0);
    assert.equal(client.delayAvgMs, undefined);
    assert.deepEqual(client.history(), []);
  }

  // Liveness statistics stay: the detector keeps its intervals.
  assert.equal(a.intervalMeanMs, 50);
  assert.equal(a.lastSeq, 4);
  assertCountsConsistent(store);
});

test('forgetStopped drops only the stopped clients', () => {
  const {store, now, advance} = setup();
  store.recordHeartbeat('192.0.2.1', 1, heartbeat(1), now());
  store.recordHeartbeat('192.0.2.2', 1, heartbeat(1), now());
  advance(2500);
  store.recordHeartbeat('192.0.2.3', 1, heartbeat(1), now());
  store.evaluateLiveness(now());
  assert.deepEqual(store.countByState(), {alive: 1, late: 2, stopped: 0});
  assert.equal(store.forgetStopped(), 0);
  // A client with one heartbeat is not stopped before 10 s of silence.
  advance(7499);
  store.evaluateLiveness(now());
  assert.deepEqual(store.countByState(), {alive: 0, late: 3, stopped: 0});
  advance(1);
  store.evaluateLiveness(now());
  assert.deepEqual(store.countByState(), {alive: 0, late: 1, stopped: 2});
  const {version} = store;
  assert.equal(store.forgetStopped(), 2);
  assert.ok(store.version > version);
  assert.deepEqual(keys(store), ['192.0.2.3:1']);
  assert.equal(store.get('192.0.2.1:1'), undefined);
  assert.deepEqual(store.countByState(), {alive: 0, late: 1, stopped: 0});
  assertCountsConsistent(store);
  // The survivor's deadline moved with it: it still goes stopped on time.
  advance(2499);
  store.evaluateLiveness(now());
  assert.equal(store.get('192.0.2.3:1')?.state, 'late');
  advance(1);
  store.evaluateLiveness(now());
  assert.equal(store.get('192.0.2.3:1')?.state, 'stopped');
});

test('version goes up on every change and only then', () => {
  const {store, now, advance} = setup();
  let {version} = store;
  const changed = () => {
    const moved = store.version > version;
    version = store.version;
    return moved;
  };

  const client = store.recordHeartbeat('192.0.2.1', 1, heartbeat(1), now());
  assert.ok(changed());
  store.recordReply(client, true, now());
  assert.ok(changed());
  advance(1000);
  store.recordMalformed('192.0.2.1', 1, 'too long', now(), false);
  assert.ok(changed());
  store.evaluateLiveness(now() + 10);
  assert.ok(!changed());
  store.countByState();
  store.heartbeatsPerSecond(now());
  assert.equal([...store.clients()].length, 1);
  assert.ok(!changed());
  advance(3000);
  store.evaluateLiveness(now());
  assert.ok(changed());
  store.resetCounters();
  assert.ok(changed());
  assert.equal(store.forgetStopped(), 0);
  assert.ok(!changed());
});

test('heartbeats per second over the last few seconds', () => {
  const {store, now, advance} = setup();
  assert.equal(store.heartbeatsPerSecond(now()), 0);
  // 20 heartbeats a second for 5 s, spread over 4 clients.
  for (let index = 0; index < 100; index++) {
    advance(50);
    store.recordHeartbeat('192.0.2.1', index % 4, heartbeat(index), now());
  }

  const rate = store.heartbeatsPerSecond(now());
  assert.ok(Math.abs(rate - 20) < 1, `rate ${rate}`);
  // Malformed datagrams are not heartbeats.
  store.recordMalformed('192.0.2.1', 9, 'too long', now(), false);
  assert.equal(store.heartbeatsPerSecond(now()), rate);
  // Silence brings it down to 0 within the window.
  advance(1500);
  assert.ok(store.heartbeatsPerSecond(now()) < 20);
  advance(2000);
  assert.equal(store.heartbeatsPerSecond(now()), 0);
  advance(60_000);
  assert.equal(store.heartbeatsPerSecond(now()), 0);
  store.recordHeartbeat('192.0.2.1', 1, heartbeat(1), now());
  assert.ok(store.heartbeatsPerSecond(now()) > 0);
});

test('the rate is right in the first second too', () => {
  const {store, now, advance} = setup();
  for (let index = 0; index < 10; index++) {
    advance(50);
    store.recordHeartbeat('192.0.2.1', 1, heartbeat(index), now());
  }

  // 10 heartbeats in the half second since the store started.
  assert.ok(Math.abs(store.heartbeatsPerSecond(now()) - 20) < 0.001);
});

test('without a sink nothing is emitted and everything still counts', () => {
  let now = start;
  const store = new HeartbeatStore({clock: () => now, maxClients: 1});
  const client = store.recordHeartbeat('192.0.2.1', 1, heartbeat(1), now);
  store.recordReply(client, true, now);
  store.recordRefused('192.0.2.9', 1, now);
  store.recordMalformed('192.0.2.2', 1, 'too long', now, false);
  now += 10_000;
  store.evaluateLiveness(now);
  assert.deepEqual(store.totals, {
    received: 2,
    replied: 1,
    dropped: 0,
    malformed: 1,
    unanswered: 0,
    refused: 1,
    evicted: 1,
  });
  assert.deepEqual(store.countByState(), {alive: 0, late: 0, stopped: 1});
});

test('records that the store did not hand out are refused', () => {
  const {store, now} = setup();
  const client = store.recordHeartbeat('192.0.2.1', 1, heartbeat(1), now());
  assert.throws(() => {
    store.recordReply({...client, history: () => []}, true, now());
  }, TypeError);
});

test('100000 clients are tracked', () => {
  let now = start;
  const store = new HeartbeatStore({clock: () => now});
  const request = heartbeat(1, start);
  for (let index = 0; index < 100_000; index++) {
    now += 0.01;
    const address = `10.${(index >> 16) & 255}.${(index >> 8) & 255}.${index & 255}`;
    const client = store.recordHeartbeat(
      address,
      40_000 + (index % 7),
      request,
      now,
    );
    store.recordReply(client, (index & 1) === 0, now);
  }

  assert.equal(store.clientCount, 100_000);
  assert.equal(store.totals.received, 100_000);
  // The last one: index 99999 = 1·65536 + 134·256 + 159, port 40000 + 99999 % 7.
  assert.equal(store.get('10.1.134.159:40004')?.received, 1);
  now += 10_000;
  store.evaluateLiveness(now);
  assert.deepEqual(store.countByState(), {alive: 0, late: 0, stopped: 100_000});
  // One more client evicts the least recently seen.
  store.recordHeartbeat('192.0.2.1', 1, request, now);
  assert.equal(store.clientCount, 100_000);
  assert.equal(store.totals.evicted, 1);
  assert.equal(store.get('10.0.0.0:40000'), undefined);
});
