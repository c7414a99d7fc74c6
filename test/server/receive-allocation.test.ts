/*
The receive path with many datagrams: a million heartbeats from a thousand known clients through
`handleDatagram` (parse, store, loss, reply), measured by V8's sampling heap profiler, which
counts the bytes each function allocates, garbage included. The store allocates nothing per
datagram (a double passed to or returned from a call that V8 does not inline is boxed: 16 bytes
each), and what the whole path keeps does not grow with the datagrams.
*/
import assert from 'node:assert/strict';
import {Buffer} from 'node:buffer';
import type dgram from 'node:dgram';
import {Session} from 'node:inspector/promises';
import test from 'node:test';
import v8 from 'node:v8';
import vm from 'node:vm';
import {seededRandom} from '../../source/random.js';
import {HeartbeatServer} from '../../source/server/heartbeat-server.js';
import {LossSimulator} from '../../source/server/loss-simulator.js';
import {HeartbeatStore} from '../../source/store/heartbeat-store.js';

const clients = 1000;
const datagrams = 1_000_000;

type ProfileNode = {
  readonly callFrame: {readonly functionName: string; readonly url: string};
  readonly selfSize: number;
  readonly children: readonly ProfileNode[];
};

/** Bytes allocated by frames whose script's address holds `part`, over the whole tree. */
function bytesIn(node: ProfileNode, part: string): number {
  let total = node.callFrame.url.includes(part) ? node.selfSize : 0;
  for (const child of node.children) {
    total += bytesIn(child, part);
  }

  return total;
}

function collectGarbage(): void {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  gc();
  gc();
}

test('a million heartbeats through the receive path: the store allocates nothing, the heap does not grow', async () => {
  let now = 1_764_000_000_000;
  const store = new HeartbeatStore({clock: () => now});
  let sent = 0;
  const socket = {
    on: () => socket,
    send() {
      sent++;
    },
  };
  const server = new HeartbeatServer({
    socket: socket as unknown as dgram.Socket,
    store,
    loss: new LossSimulator(10, seededRandom(3)),
    clock: () => now,
    replyMode: 'auto',
    allow: undefined,
  });
  // One payload per client and sequence number modulo 100, made before the measure.
  const payloads = Array.from({length: 100}, (_, seq) =>
    Buffer.from(`Ping ${seq + 1}`),
  );
  const addresses = Array.from(
    {length: clients},
    (_, index) => `10.0.${index >> 8}.${index & 255}`,
  );
  const send = (count: number) => {
    for (let index = 0; index < count; index++) {
      const client = index % clients;
      now += 0.05;
      server.handleDatagram(
        payloads[Math.floor(index / clients) % 100]!,
        addresses[client]!,
        40_000,
      );
    }
  };

  // Every client known and every ring at its full size before the measure.
  send(20 * clients);
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 256,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  send(datagrams);
  const {profile} = (await session.post('HeapProfiler.stopSampling')) as {
    profile: {head: ProfileNode};
  };
  session.disconnect();
  // What the path keeps, measured apart from the profiler.
  collectGarbage();
  const heapBefore = process.memoryUsage().heapUsed;
  send(datagrams);
  collectGarbage();
  const heapGrowth = process.memoryUsage().heapUsed - heapBefore;

  assert.equal(store.clientCount, clients);
  assert.ok(
    sent > 0.85 * (2 * datagrams + 20 * clients),
    `${sent} replies sent`,
  );
  const total = bytesIn(profile.head, '');
  const inStore = bytesIn(profile.head, '/source/store/');
  // The profile sees the path's own garbage (the parser's strings, the replies): it works.
  assert.ok(total > datagrams * 16, `${total} B sampled in all`);
  // One boxed double per datagram would be 16 B each: the store allocates nothing per datagram
  // (what is left is a recount of a detector's sums every hundred arrivals).
  assert.ok(
    inStore < datagrams * 4,
    `the store allocated ${inStore} B over ${datagrams} datagrams`,
  );
  assert.ok(
    heapGrowth < 2 * 1024 * 1024,
    `the heap grew ${heapGrowth} B over ${datagrams} datagrams`,
  );
});
