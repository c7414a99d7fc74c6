import assert from 'node:assert/strict';
import test from 'node:test';
import {type Heartbeat, type HeartbeatEvent} from '../../source/vocabulary.js';
import type {ClientKeyMode} from '../../source/store/client-key.js';
import {HeartbeatStore} from '../../source/store/heartbeat-store.js';

const start = 1_764_000_000_000;

function named(name: string | undefined, seq?: number): Heartbeat {
  return {
    kind: 'heartbeat',
    label: undefined,
    seq,
    timestampMs: undefined,
    format: 'json',
    ...(name === undefined ? {} : {name}),
  };
}

function setup(clientKey: ClientKeyMode, maxClients?: number) {
  let now = start;
  const events: HeartbeatEvent[] = [];
  const store = new HeartbeatStore({
    clock: () => now,
    sink(event) {
      events.push(event);
    },
    clientKey,
    ...(maxClients === undefined ? {} : {maxClients}),
  });
  return {
    store,
    events,
    advance(ms: number) {
      now += ms;
      return now;
    },
  };
}

test('by address, a name is shown with the client and carried by its events', () => {
  const {store, events} = setup('address');
  const client = store.recordHeartbeat(
    '192.0.2.7',
    5000,
    named('boiler-room', 1),
    start,
  );
  store.recordReply(client, true, start);
  assert.equal(client.key, '192.0.2.7:5000');
  assert.equal(client.name, 'boiler-room');
  assert.equal(events.at(-1)?.name, 'boiler-room');
  assert.equal(events.at(-1)?.address, undefined);
  // Another port is another client, named or not.
  store.recordHeartbeat('192.0.2.7', 5001, named('boiler-room', 2), start);
  assert.equal(store.clientCount, 2);
});

test('by name, a client that changes port and address keeps its row and counters: moved', () => {
  const {store, events, advance} = setup('name');
  const first = store.recordHeartbeat(
    '192.0.2.7',
    5000,
    named('boiler-room', 1),
    start,
  );
  store.recordReply(first, true, start);
  const now = advance(1000);
  const second = store.recordHeartbeat(
    '192.0.2.7',
    5001,
    named('boiler-room', 2),
    now,
  );
  store.recordReply(second, true, now);
  assert.equal(second, first);
  assert.equal(store.clientCount, 1);
  assert.equal(second.key, 'boiler-room');
  assert.equal(second.port, 5001);
  assert.equal(second.received, 2);
  assert.equal(second.lost, 0);
  assert.equal(second.lastSeq, 2);
  assert.equal(store.get('boiler-room'), second);
  const moved = events.filter((event) => event.event === 'moved');
  assert.equal(moved.length, 1);
  assert.equal(moved[0]!.client, 'boiler-room');
  assert.equal(moved[0]!.detail, 'from=192.0.2.7:5000;to=192.0.2.7:5001');
  assert.equal(moved[0]!.address, '192.0.2.7:5001');
  // The same address again: no second move.
  store.recordHeartbeat('192.0.2.7', 5001, named('boiler-room', 3), now);
  assert.equal(events.filter((event) => event.event === 'moved').length, 1);
  // To IPv6 and back, written as keys are.
  store.recordHeartbeat('2001:db8::1', 7, named('boiler-room', 4), now);
  assert.equal(events.at(-1)?.detail, 'from=192.0.2.7:5001;to=[2001:db8::1]:7');
});

test('by name, a stopped client that comes back from a new address resumes on the same row', () => {
  const {store, events, advance} = setup('name');
  store.recordHeartbeat('192.0.2.7', 5000, named('pump', 1), start);
  store.recordHeartbeat('192.0.2.7', 5000, named('pump', 2), advance(1000));
  store.evaluateLiveness(advance(600_000));
  assert.equal(store.get('pump')?.state, 'stopped');
  store.recordHeartbeat('198.51.100.9', 40_000, named('pump', 3), advance(1));
  assert.equal(store.clientCount, 1);
  assert.equal(store.get('pump')?.state, 'alive');
  const names = events.map((event) => event.event);
  assert.ok(names.indexOf('moved') < names.indexOf('resumed'), String(names));
});

test('by name, datagrams without one are told apart by address and port', () => {
  const {store} = setup('name');
  store.recordHeartbeat('192.0.2.7', 5000, named('a', 1), start);
  store.recordHeartbeat('192.0.2.7', 5000, named(undefined, 1), start);
  store.recordMalformed('192.0.2.7', 5000, 'bad JSON', start, true);
  assert.deepEqual(
    [...store.clients()].map((client) => client.key),
    ['a', '192.0.2.7:5000'],
  );
  assert.equal(store.get('192.0.2.7:5000')?.malformed, 1);
});

test('by name, a flood of invented names is bounded by max clients: the least recently seen go', () => {
  const {store, events} = setup('name', 50);
  for (let index = 0; index < 1000; index++) {
    store.recordHeartbeat('192.0.2.7', 5000, named(`fake-${index}`, 1), start);
  }

  assert.equal(store.clientCount, 50);
  assert.equal(store.totals.evicted, 950);
  assert.equal(store.get('fake-0'), undefined);
  assert.equal(store.get('fake-999')?.key, 'fake-999');
  assert.equal(events.filter((event) => event.event === 'evicted').length, 950);
  // An evicted name comes back as a new client.
  store.recordHeartbeat('192.0.2.7', 5000, named('fake-0', 1), start);
  assert.equal(store.get('fake-0')?.received, 1);
  assert.equal(store.clientCount, 50);
});

test('forgetting a stopped named client frees its name', () => {
  const {store, advance} = setup('name');
  store.recordHeartbeat('192.0.2.7', 5000, named('gone', 1), start);
  store.evaluateLiveness(advance(600_000));
  assert.equal(store.forgetStopped(), 1);
  assert.equal(store.get('gone'), undefined);
  const again = store.recordHeartbeat(
    '192.0.2.8',
    5000,
    named('gone', 1),
    advance(1),
  );
  assert.equal(again.received, 1);
  assert.equal(again.address, '192.0.2.8');
});
