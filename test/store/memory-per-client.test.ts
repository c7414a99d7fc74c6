/*
What a client costs the store, counted rather than timed: every number of a client sits in flat
typed arrays by slot, so the bytes per client are the arrays' lengths over the clients, the same
on every run. The heap beside them (the small record, its key, the address map) is checked with a
margin, after a full collection.
*/
import assert from 'node:assert/strict';
import test from 'node:test';
import v8 from 'node:v8';
import vm from 'node:vm';
import {bytesPerSlot, ClientTable} from '../../source/store/client-table.js';
import {HeartbeatStore} from '../../source/store/heartbeat-store.js';
import {RingPool} from '../../source/store/interval-rings.js';

const clients = 20_000;
const start = 1_764_000_000_000;

function collectGarbage(): void {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  gc();
  gc();
}

function heapBytes(): number {
  const {heapUsed, arrayBuffers} = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

test('a slot of the client table is 25 doubles, 6 integers and 8 bytes, and grows a quarter at a time', () => {
  assert.equal(bytesPerSlot, 25 * 8 + 6 * 4 + 8);
  const table = new ClientTable(4);
  assert.equal(table.byteLength, 4 * bytesPerSlot);
  table.clear(4, start);
  assert.equal(table.capacity, 5);
  table.clear(5, start);
  assert.equal(table.capacity, 7);
});

test('a client with a full window costs the store under 800 bytes of typed arrays, and under 1100 in all', () => {
  // Addresses made before the measure: the datagrams' own strings are not the store's.
  const addresses = Array.from(
    {length: clients},
    (_, index) => `10.${index >> 16}.${(index >> 8) & 255}.${index & 255}`,
  );
  collectGarbage();
  const before = heapBytes();
  let now = start;
  const store = new HeartbeatStore({clock: () => now, maxClients: clients});
  // Eleven heartbeats each: ten intervals and delays, past the small rings, so at full size.
  for (let round = 1; round <= 11; round++) {
    for (let index = 0; index < clients; index++) {
      now += 1000 / clients;
      const client = store.recordHeartbeat(
        addresses[index]!,
        40_000,
        {kind: 'heartbeat', label: 'Ping', seq: round, timestampMs: now - 3},
        now,
      );
      store.recordReply(client, true, now);
    }
  }

  collectGarbage();
  const perClient = (heapBytes() - before) / clients;
  assert.equal(store.clientCount, clients);
  assert.equal(store.clientAt(0)!.history().length, 11);
  assert.equal(store.detailOf(store.clientAt(0)!)!.intervalsMs.length, 10);
  const typedPerClient = store.typedArrayBytes() / clients;
  // 200 B of intervals and 200 of delays (100 of each, 16-bit codes), 232 B of numbers, the
  // state changes and deadlines; the small rings the clients started in are given back.
  assert.ok(
    typedPerClient > 600 && typedPerClient < 770,
    `${typedPerClient} B of typed arrays per client`,
  );
  assert.ok(perClient < 1100, `${perClient} B per client in all`);
});

test('a ring pool lets go of its chunks once no ring is in use, and cuts new ones after', () => {
  const pool = new RingPool(8, 4);
  const ids = Array.from({length: 6}, () => pool.allocate());
  assert.equal(pool.byteLength, 2 * 4 * 8 * 2);
  for (const id of ids.slice(0, 5)) {
    pool.release(id);
  }

  assert.equal(pool.byteLength, 2 * 4 * 8 * 2, 'one ring still in use');
  pool.release(ids[5]!);
  assert.equal(pool.byteLength, 0);
  const id = pool.allocate();
  assert.equal(pool.byteLength, 4 * 8 * 2);
  assert.deepEqual(
    [...pool.chunk(id).subarray(pool.offset(id), 8)],
    [0, 0, 0, 0, 0, 0, 0, 0],
  );
});
