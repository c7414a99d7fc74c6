/*
Clients' numbers live in the store's table by slot, so the store moves them: a client that leaves
takes a copy of its numbers with it, the last client moves into its slot, and a still copy of
every client stands while the store goes on.
*/
import assert from 'node:assert/strict';
import test from 'node:test';
import {HeartbeatStore} from '../../source/store/heartbeat-store.js';
import type {ClientRecord} from '../../source/vocabulary.js';
import {toClientRow} from '../../source/engine/client-row.js';

const start = 1_764_000_000_000;

function setup() {
  let now = start;
  const store = new HeartbeatStore({clock: () => now, maxClients: 3});
  const beat = (address: string, seq: number, delayMs: number) => {
    now += 1000;
    const client = store.recordHeartbeat(
      address,
      5000,
      {kind: 'heartbeat', label: 'Ping', seq, timestampMs: now - delayMs},
      now,
    );
    store.recordReply(client, seq % 3 !== 0, now);
    return client;
  };

  return {store, beat, now: () => now};
}

function figures(record: ClientRecord) {
  const {history, ...rest} = toClientRow(record);
  return {...rest, history: [...history]};
}

test('an evicted client keeps what it showed; the client moved into its slot keeps its own', () => {
  const {store, beat} = setup();
  for (let seq = 1; seq <= 12; seq++) {
    beat('192.0.2.1', seq, 5);
    beat('192.0.2.2', seq, 7);
    beat('192.0.2.3', seq, 9);
  }

  const first = store.get('192.0.2.1:5000')!;
  const last = store.get('192.0.2.3:5000')!;
  const firstBefore = figures(first);
  const lastBefore = figures(last);
  assert.equal(firstBefore.received, 12);
  assert.equal(firstBefore.dropped, 4);
  assert.equal(firstBefore.delayLastMs, 5);
  assert.ok(firstBefore.intervalMeanMs! > 0);
  // A fourth client evicts the least recently seen, the first: the last slot fills its hole.
  beat('192.0.2.4', 1, 11);
  assert.equal(store.tracks(first), false);
  assert.equal(store.get('192.0.2.1:5000'), undefined);
  assert.deepEqual(figures(first), firstBefore);
  assert.deepEqual(figures(last), lastBefore);
  assert.equal(store.clientAt(0), last);
  // The moved client goes on from where it was.
  beat('192.0.2.3', 13, 9);
  assert.equal(last.received, 13);
  assert.equal(last.lastSeq, 13);
  assert.equal(store.detailOf(last)!.delaysMs.length, 13);
  // The new client starts from nothing, though its slot was another's.
  const fourth = store.get('192.0.2.4:5000')!;
  assert.equal(fourth.received, 1);
  assert.equal(fourth.lost, 0);
  assert.equal(fourth.delayMinMs, 11);
  assert.equal(fourth.intervalMeanMs, undefined);
});

test('a still copy shows every client as it was, whatever the store records after, through a cursor and kept records alike', () => {
  const {store, beat} = setup();
  for (let seq = 1; seq <= 5; seq++) {
    beat('192.0.2.1', seq, 5);
    beat('192.0.2.2', seq, 7);
  }

  const copy = store.stillCopy();
  assert.equal(copy.step(1), true);
  assert.equal(copy.clientCount, 1);
  assert.equal(copy.step(10), false);
  assert.equal(copy.clientCount, 2);
  const byKey = (a: {key: string}, b: {key: string}) =>
    a.key.localeCompare(b.key);
  const before = [...store.clients()]
    .map((record) => figures(record))
    .toSorted(byKey);
  const read = () =>
    Array.from({length: copy.clientCount}, (_, index) =>
      figures(copy.clientAt(index)!),
    ).toSorted(byKey);
  const kept = [0, 1].map((index) => copy.keep(index));
  assert.deepEqual(read(), before);
  assert.deepEqual(
    kept.map((record) => figures(record)).toSorted(byKey),
    before,
  );
  for (let seq = 6; seq <= 8; seq++) {
    beat('192.0.2.1', seq, 50);
  }

  store.evaluateLiveness(start + 60_000);
  assert.equal(store.get('192.0.2.1:5000')!.received, 8);
  assert.equal(store.get('192.0.2.1:5000')!.state, 'stopped');
  assert.deepEqual(read(), before);
  assert.deepEqual(
    kept.map((record) => figures(record)).toSorted(byKey),
    before,
  );
  assert.ok(kept.every((record) => !store.tracks(record)));
  assert.equal(copy.clientAt(2), undefined);
});
