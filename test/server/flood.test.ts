import assert from 'node:assert/strict';
import {Buffer} from 'node:buffer';
import {setTimeout as delay} from 'node:timers/promises';
import test from 'node:test';
import {systemClock} from '../../source/clock.js';
import {parseServerFlags} from '../../source/config/server-options.js';
import {replyKind} from '../../source/protocol/format-reply.js';
import {parseRequest} from '../../source/protocol/parse-request.js';
import {type Heartbeat, type HeartbeatEvent} from '../../source/vocabulary.js';
import {seededRandom, type RandomSource} from '../../source/random.js';
import {startServer} from '../../source/server/start-server.js';
import {HeartbeatStore} from '../../source/store/heartbeat-store.js';
import {UdpPeer} from '../helpers/udp-peer.js';
import {waitFor} from '../helpers/wait-for.js';

/** The largest payload a UDP datagram over IPv4 can carry. */
const maxUdpPayload = 65_507;

const errorReplyText =
  /^ERROR (?:too long|not UTF-8|control character|bad sequence number|bad timestamp)$/v;
const seedReply =
  /^Packet delivery delay = -?[\d:., a-z\(\)]+, Number of packets lost in between = 0$/v;

function pick<T>(random: RandomSource, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

function randomInt(random: RandomSource, max: number): number {
  return Math.floor(random() * (max + 1));
}

/** Tokens that look like heartbeats, some right, some nearly right. */
const tokens = [
  'Ping',
  'PING',
  'Heartbeat',
  'HB',
  'PyHB',
  'x'.repeat(33),
  '7',
  '0',
  '-1',
  '1.5',
  '9007199254740991',
  '9007199254740992',
  '18446744073709551616',
  '1764000000',
  '1764000000.123456',
  '1764000000123',
  '99999999999999',
  '2026-11-24',
  '05:31:07.123456',
  '2026-11-24T05:31:07.123Z',
  '2026-13-01',
  '25:61:00',
  '9999-12-31',
  'Mon',
  'Apr',
  '14',
  '12:00:00',
  '2025',
  'ɐ',
  '😀',
  'hello',
  '',
];

const separators = [' ', '\t', '  ', ' \t ', '\n', '\r\n'];

function tokenSoup(random: RandomSource): string {
  const count = randomInt(random, 5);
  const parts: string[] = [];
  for (let index = 0; index < count; index++) {
    parts.push(pick(random, tokens));
  }

  return parts.join(pick(random, separators)) + pick(random, ['', '\n', ' ']);
}

function randomText(random: RandomSource): string {
  const alphabet =
    'abcXYZ019 .:-T\tɐé😀\u0000\u0007\u001B\u007F\uFFFD\u00A0\u2028';
  const characters = [...alphabet];
  const length = randomInt(random, 300);
  let text = '';
  for (let index = 0; index < length; index++) {
    text += pick(random, characters);
  }

  return text;
}

function randomBytes(random: RandomSource, length: number): Buffer {
  const bytes = Buffer.alloc(length);
  for (let index = 0; index < length; index++) {
    bytes[index] = randomInt(random, 255);
  }

  return bytes;
}

/** Datagram number `index` of the flood: random bytes of 0 to 1500 bytes, 64 KiB ones, text, near-heartbeats. */
function floodDatagram(random: RandomSource, index: number): Buffer {
  if (index % 250 === 125) {
    return randomBytes(random, maxUdpPayload);
  }

  const kind = random();
  if (kind < 0.4) {
    return randomBytes(random, randomInt(random, 1500));
  }

  if (kind < 0.7) {
    return Buffer.from(randomText(random), 'utf8');
  }

  return Buffer.from(tokenSoup(random), 'utf8');
}

type FloodSocket = {
  readonly peer: UdpPeer;
  /** Datagrams it sent whose reply is not rate-limited (heartbeats, binary echoes): each is owed one at loss 0. */
  owed: number;
};

test('a flood of random datagrams from several sockets: a real client still gets every reply, and the counts add up', async () => {
  const options = {
    ...parseServerFlags({loss: '0', idleTimeout: '0'}, {interactive: false}),
    host: '127.0.0.1',
    port: 0,
    explicitPort: true,
  };
  const running = await startServer(
    options,
    {clock: systemClock, random: seededRandom(1), sink: undefined},
    {logFile: undefined, logError: () => undefined},
  );
  const {port, store} = running;
  const client = await UdpPeer.open();
  const flooders: FloodSocket[] = [];
  for (let index = 0; index < 6; index++) {
    flooders.push({peer: await UdpPeer.open(), owed: 0});
  }

  // Every datagram counts as received, malformed ones too.
  const handled = () => store.totals.received;
  const inFlight = () => sent - handled();
  let sent = 0;
  let floodMalformed = 0;
  const floodOver = new AbortController();
  let clientSent = 0;

  try {
    // The real client: one heartbeat about every 20 ms, each reply awaited (with a deadline)
    // before the next goes out, for as long as the flood lasts.
    const clientLoop = (async () => {
      while (!floodOver.signal.aborted) {
        const startedAt = performance.now();
        clientSent++;
        sent++;
        const reply = await client.request(
          `${clientSent} ${(Date.now() / 1000).toFixed(6)}`,
          port,
        );
        assert.match(reply, seedReply, `reply to heartbeat ${clientSent}`);
        // Pacing, not waiting for something to happen: the client's send interval.
        await delay(Math.max(0, 20 - (performance.now() - startedAt)));
      }
    })();

    const random = seededRandom(20_261_124);
    const floodStart = performance.now();
    for (let index = 0; index < 5000; index++) {
      const payload = floodDatagram(random, index);
      const flooder = flooders[index % flooders.length]!;
      const request = parseRequest(payload, Date.now());
      if (request.kind === 'malformed') {
        floodMalformed++;
      }

      if (replyKind('auto', request) !== 'error') {
        flooder.owed++;
      }

      // A window of datagrams in flight, so a small kernel receive buffer never overflows:
      // the test is about the server, not about the kernel dropping what the server never saw.
      const window = payload.length > 1500 ? 0 : 32;
      await waitFor(() => inFlight() <= window, {
        timeoutMs: 10_000,
        message: 'the server to take in the flood',
      });
      sent++;
      await flooder.peer.send(payload, port);
    }

    // A last heartbeat from each socket: its reply is the last one sent there, so once it is in,
    // every reply the flood drew has arrived (loopback keeps the order).
    for (const flooder of flooders) {
      flooder.owed++;
      sent++;
      await flooder.peer.send('Heartbeat 0', port);
    }

    await waitFor(() => handled() === sent, {
      timeoutMs: 10_000,
      message: 'the server to count every datagram',
    });
    const floodMs = performance.now() - floodStart;
    floodOver.abort();
    await clientLoop;

    for (const [index, flooder] of flooders.entries()) {
      await waitFor(
        () =>
          flooder.peer.texts().filter((text) => !errorReplyText.test(text))
            .length >= flooder.owed,
        {message: `the replies to flood socket ${index}`},
      );
    }

    const {totals} = store;
    assert.equal(running.server.internalErrors, 0);
    assert.equal(totals.received, sent);
    assert.equal(totals.malformed, floodMalformed);
    assert.equal(
      totals.replied + totals.dropped + totals.unanswered,
      totals.received,
    );
    assert.equal(totals.dropped, 0);
    assert.equal(totals.refused, 0);
    assert.equal(store.clientCount, 1 + flooders.length);
    const tracked = store.get(`127.0.0.1:${client.port}`);
    assert.equal(tracked?.received, clientSent);
    assert.equal(tracked?.malformed, 0);
    assert.equal(client.replies.length, clientSent, 'every reply, no more');
    assert.ok(clientSent >= 10, `the client kept sending (${clientSent})`);

    // Error replies: at most one per client per second of the flood, never over 64 bytes.
    const maxErrorsPerSocket = Math.floor(floodMs / 1000) + 1;
    for (const [index, flooder] of flooders.entries()) {
      const errors = flooder.peer
        .texts()
        .filter((text) => errorReplyText.test(text));
      assert.ok(errors.length > 0, `flood socket ${index} got an error reply`);
      assert.ok(
        errors.length <= maxErrorsPerSocket,
        `flood socket ${index}: ${errors.length} error replies in ${Math.round(floodMs)} ms`,
      );
      assert.equal(
        flooder.peer.replies.length,
        flooder.owed + errors.length,
        `flood socket ${index}: one reply per heartbeat and binary datagram, the rest errors`,
      );
      const counted = store.get(`127.0.0.1:${flooder.peer.port}`);
      assert.ok(counted);
      assert.equal(counted.replied, flooder.owed + errors.length);
      assert.equal(
        counted.replied + counted.dropped + counted.unanswered,
        counted.received,
      );
    }

    for (const peer of [client, ...flooders.map((flooder) => flooder.peer)]) {
      for (const reply of peer.replies) {
        assert.ok(reply.length <= 1024, `a reply of ${reply.length} bytes`);
        if (errorReplyText.test(reply.toString('utf8'))) {
          assert.ok(reply.length <= 64, `an error reply of ${reply.length}`);
        }
      }
    }
  } finally {
    floodOver.abort();
    await Promise.all(
      [client, ...flooders.map((flooder) => flooder.peer)].map(async (peer) =>
        peer.close(),
      ),
    );
    await running.close();
  }
});

test('50000 distinct senders with room for 1000: the store never holds more, and evicts the least recently seen', () => {
  let now = Date.UTC(2026, 10, 24, 5, 31, 7);
  const evicted: HeartbeatEvent[] = [];
  const store = new HeartbeatStore({
    clock: () => now,
    maxClients: 1000,
    sink(event) {
      if (event.event === 'evicted') {
        evicted.push(event);
      }
    },
  });
  // Ten ports per address, so eviction empties both lone entries and per-address port maps.
  const sender = (index: number) => {
    const host = Math.floor(index / 10);
    return {
      address: `10.0.${host >> 8}.${host & 255}`,
      port: 20_000 + (index % 10),
    };
  };

  const key = (index: number) => {
    const {address, port} = sender(index);
    return `${address}:${port}`;
  };

  for (let index = 0; index < 50_000; index++) {
    const {address, port} = sender(index);
    const heartbeat: Heartbeat = {
      kind: 'heartbeat',
      label: undefined,
      seq: 1,
      timestampMs: undefined,
    };
    const record = store.recordHeartbeat(address, port, heartbeat, now);
    store.recordReply(record, true, now);
    assert.ok(store.clientCount <= 1000, `${store.clientCount} clients`);
    now += 1;
  }

  assert.equal(store.clientCount, 1000);
  assert.equal(store.totals.evicted, 49_000);
  assert.equal(store.totals.received, 50_000);
  assert.equal(evicted.length, 49_000);
  for (const [index, event] of evicted.entries()) {
    if (event.client !== key(index)) {
      assert.fail(`eviction ${index} named ${event.client}, not ${key(index)}`);
    }
  }

  const kept = [...store.clients()].map((client) => client.key);
  assert.deepEqual(
    kept,
    Array.from({length: 1000}, (_, index) => key(49_000 + index)),
  );
  assert.equal(store.get(key(0)), undefined);
  assert.equal(store.get(key(48_999)), undefined);
});
