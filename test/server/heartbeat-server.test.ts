import assert from 'node:assert/strict';
import test from 'node:test';
import {parseAllowList} from '../../source/server/allow-list.js';
import {startTestServer, type TestServer} from '../helpers/test-server.js';
import {UdpPeer} from '../helpers/udp-peer.js';
import {waitFor} from '../helpers/wait-for.js';

const seedReply =
  /^Packet delivery delay = (?<delay>-?[\d:., a-z]+), Number of packets lost in between = (?<lost>\d+)$/v;

async function withServer(
  overrides: Parameters<typeof startTestServer>[0],
  run: (server: TestServer, peer: UdpPeer) => Promise<void>,
  seed?: number,
): Promise<void> {
  const server = await startTestServer(overrides, seed);
  const peer = await UdpPeer.open();
  try {
    await run(server, peer);
  } finally {
    await peer.close();
    await server.running.close();
  }
}

/** Sends and waits until the server has taken the datagram in, reply or not. */
async function sendHandled(
  server: TestServer,
  peer: UdpPeer,
  payload: string | Uint8Array,
): Promise<void> {
  const {totals} = server.running.store;
  const before = totals.received + totals.refused;
  await peer.send(payload, server.port);
  await waitFor(() => {
    const after = server.running.store.totals;
    return after.received + after.refused > before;
  });
}

test('at loss 0 every heartbeat gets the seed reply with the delay', async () => {
  await withServer({lossPercent: 0}, async (server, peer) => {
    // The client's clock is 412 microseconds behind the server's.
    const seconds = ((server.clock.now - 0.412) / 1000).toFixed(6);
    assert.equal(
      await peer.request(`1 ${seconds}`, server.port),
      'Packet delivery delay = 0:00:00.000412, Number of packets lost in between = 0',
    );
    for (let seq = 2; seq <= 5; seq++) {
      assert.match(
        await peer.request(`${seq}`, server.port),
        /delay = unknown, .* = 0$/v,
      );
    }

    const client = server.running.store.get(`127.0.0.1:${peer.port}`);
    assert.equal(client?.received, 5);
    assert.equal(client?.replied, 5);
    assert.equal(client?.dropped, 0);
  });
});

test('at loss 100 nothing is answered, and the next reply counts what was dropped', async () => {
  await withServer({lossPercent: 100}, async (server, peer) => {
    for (let seq = 1; seq <= 7; seq++) {
      await sendHandled(server, peer, `${seq}`);
    }

    assert.equal(peer.replies.length, 0);
    server.running.commands.setLoss(0);
    const reply = await peer.request('8', server.port);
    assert.equal(
      reply,
      'Packet delivery delay = unknown, Number of packets lost in between = 7',
    );
    assert.equal(peer.replies.length, 1);
    const lossEvents = server.events.filter((event) => event.event === 'loss');
    assert.equal(lossEvents.length, 1);
    assert.match(lossEvents[0]?.detail ?? '', /loss=0%/v);
  });
});

async function runSeededHalf(seed: number): Promise<number[]> {
  const counts: number[] = [];
  await withServer(
    {lossPercent: 50},
    async (server, peer) => {
      for (let seq = 1; seq <= 200; seq++) {
        await sendHandled(server, peer, `${seq}`);
      }

      // A last heartbeat at loss 0 collects the drops since the last reply.
      server.running.commands.setLoss(0);
      await peer.request('201', server.port);
      for (const text of peer.texts()) {
        const match = seedReply.exec(text);
        assert.ok(match?.groups, text);
        counts.push(Number(match.groups.lost));
      }

      const client = server.running.store.get(`127.0.0.1:${peer.port}`);
      assert.ok(client);
      const sum = counts.reduce((total, count) => total + count, 0);
      assert.equal(
        sum,
        client.dropped,
        'the lost-in-between counts add up to the drops',
      );
      assert.equal(counts.length, client.replied);
      assert.equal(client.replied + client.dropped, 201);
      assert.ok(
        client.dropped > 70 && client.dropped < 130,
        `about half dropped: ${client.dropped}`,
      );
      assert.ok(
        Math.abs((client.lossPercent ?? 0) - (client.dropped / 201) * 100) <
          1e-9,
      );
    },
    seed,
  );
  return counts;
}

test('a seeded 50 % loss is reproducible and its counts add up', async () => {
  const first = await runSeededHalf(7);
  const second = await runSeededHalf(7);
  assert.deepEqual(second, first, 'the same seed drops the same replies');
  const other = await runSeededHalf(8);
  assert.notDeepEqual(other, first);
});

test('labelled requests are echoed upper-case under auto; json replies parse', async () => {
  await withServer({lossPercent: 0}, async (server, peer) => {
    assert.equal(
      await peer.request('Ping 1 1764000000.5', server.port),
      'PING 1 1764000000.5',
    );
  });
  await withServer(
    {lossPercent: 0, replyMode: 'json'},
    async (server, peer) => {
      const reply = JSON.parse(
        await peer.request('Ping 3', server.port),
      ) as Record<string, unknown>;
      assert.deepEqual(reply, {
        seq: 3,
        delay_ms: null,
        lost_in_between: 0,
        state: 'alive',
      });
    },
  );
});

test('echo mode sends a binary payload back byte for byte', async () => {
  await withServer(
    {lossPercent: 0, replyMode: 'echo'},
    async (server, peer) => {
      const payload = Buffer.from([0, 1, 2, 0xff, 0xfe, 0x80, 10]);
      await peer.send(payload, server.port);
      const reply = await waitFor(() => peer.replies[0], {message: 'the echo'});
      assert.deepEqual(reply, payload);
    },
  );
});

test('a malformed text datagram gets one short ERROR per second; one held back is unanswered', async () => {
  await withServer({lossPercent: 0}, async (server, peer) => {
    assert.equal(
      await peer.request('-7 yesterday', server.port),
      'ERROR bad sequence number',
    );
    await sendHandled(server, peer, '-8 yesterday');
    await sendHandled(server, peer, Buffer.alloc(65_000, 0x41));
    // The next reply is the heartbeat's: the two malformed ones within the second got none.
    assert.match(await peer.request('1', server.port), seedReply);
    assert.equal(peer.replies.length, 2);
    server.clock.advance(1001);
    assert.equal(
      await peer.request('7\tnot-a-date', server.port),
      'ERROR bad timestamp',
    );
    for (const each of peer.replies) {
      assert.ok(
        each.length <= 64 || seedReply.test(each.toString()),
        'error replies stay short',
      );
    }

    const client = server.running.store.get(`127.0.0.1:${peer.port}`);
    assert.deepEqual(
      {
        received: client?.received,
        malformed: client?.malformed,
        replied: client?.replied,
        dropped: client?.dropped,
        unanswered: client?.unanswered,
      },
      {received: 5, malformed: 4, replied: 3, dropped: 0, unanswered: 2},
    );
    const {totals} = server.running.store;
    assert.equal(totals.malformed, 4);
    assert.equal(totals.unanswered, 2);
    assert.equal(
      totals.received,
      totals.replied + totals.dropped + totals.unanswered,
    );
    // The event convention: malformed, then its reply's event, or `;unanswered` and nothing.
    assert.deepEqual(
      server.events.map(({event, detail}) => `${event} ${detail ?? ''}`.trim()),
      [
        'malformed bad sequence number',
        'replied lost_in_between=0',
        'malformed bad sequence number;unanswered',
        'malformed too long;unanswered',
        'replied lost_in_between=0',
        'malformed bad timestamp',
        'replied lost_in_between=0',
      ],
    );
  });
});

test('auto echoes a binary datagram byte for byte, and is never rate-limited for it', async () => {
  await withServer({lossPercent: 0}, async (server, peer) => {
    // A binary pinger's struct: magic, sequence number, send time.
    const struct = Buffer.alloc(20);
    struct.writeUInt32BE(0xfe_ed_be_ef, 0);
    struct.writeUInt32BE(7, 4);
    struct.writeDoubleBE(server.clock.now, 8);
    for (const payload of [
      Buffer.alloc(8),
      struct,
      Buffer.from([0xff, 0xfe, 0x37]),
      Buffer.alloc(1024, 0xff),
    ]) {
      const before = peer.replies.length;
      await peer.send(payload, server.port);
      const reply = await waitFor(() => peer.replies[before], {
        message: 'an echo',
      });
      assert.deepEqual(reply, payload);
    }

    const client = server.running.store.get(`127.0.0.1:${peer.port}`);
    assert.equal(client?.received, 4);
    assert.equal(client?.malformed, 4);
    assert.equal(client?.replied, 4);
    assert.equal(client?.unanswered, 0);
  });
});

test('--reply json answers a malformed datagram with a JSON error, so a JSON client never chokes', async () => {
  await withServer(
    {lossPercent: 0, replyMode: 'json'},
    async (server, peer) => {
      const reply = await peer.request('-7 yesterday', server.port);
      assert.deepEqual(JSON.parse(reply), {error: 'bad sequence number'});
      server.clock.advance(1000);
      const binary = await peer.request(Buffer.alloc(8), server.port);
      assert.deepEqual(JSON.parse(binary), {error: 'control character'});
      server.clock.advance(1000);
      const long = await peer.request(Buffer.alloc(2000, 0x61), server.port);
      assert.deepEqual(JSON.parse(long), {error: 'too long'});
      const ok: unknown = JSON.parse(await peer.request('Ping 3', server.port));
      assert.deepEqual(ok, {
        seq: 3,
        delay_ms: null,
        lost_in_between: 0,
        state: 'alive',
      });
      for (const each of peer.replies.slice(0, 3)) {
        assert.ok(each.length <= 64);
      }
    },
  );
});

test('--reply seed answers a binary datagram with an error; --reply echo echoes malformed text', async () => {
  await withServer(
    {lossPercent: 0, replyMode: 'seed'},
    async (server, peer) => {
      assert.equal(
        await peer.request(Buffer.alloc(8), server.port),
        'ERROR control character',
      );
    },
  );
  await withServer(
    {lossPercent: 0, replyMode: 'echo'},
    async (server, peer) => {
      assert.equal(
        await peer.request('-7 yesterday', server.port),
        '-7 YESTERDAY',
      );
      assert.equal(
        await peer.request('-8 yesterday', server.port),
        '-8 YESTERDAY',
      );
      server.clock.advance(0);
      assert.equal(
        await peer.request(Buffer.alloc(1025, 0x61), server.port),
        'ERROR too long',
      );
    },
  );
});

test('the simulated loss applies to error replies and echoes too, each with its dropped event', async () => {
  await withServer({lossPercent: 100}, async (server, peer) => {
    await sendHandled(server, peer, '-7 yesterday');
    await sendHandled(server, peer, Buffer.alloc(8));
    await sendHandled(server, peer, 'Ping Java Udp Client');
    await sendHandled(server, peer, '-8 yesterday');
    const client = server.running.store.get(`127.0.0.1:${peer.port}`);
    assert.deepEqual(
      [client?.received, client?.replied, client?.dropped, client?.unanswered],
      [4, 0, 3, 1],
    );
    assert.deepEqual(
      server.events.map(({event, detail}) => `${event} ${detail ?? ''}`.trim()),
      [
        'malformed bad sequence number',
        'dropped',
        'malformed control character',
        'dropped',
        'dropped',
        'malformed bad sequence number;unanswered',
      ],
    );
    assert.equal(peer.replies.length, 0);
    server.running.loss.set(0);
    assert.match(
      await peer.request('1', server.port),
      /Number of packets lost in between = 3$/v,
    );
  });
});

test('--client-key host: a client that opens a new socket for every heartbeat is one client', async () => {
  const server = await startTestServer({lossPercent: 0, clientKey: 'host'});
  try {
    for (let seq = 1; seq <= 3; seq++) {
      const peer = await UdpPeer.open();
      try {
        assert.match(await peer.request(`${seq}`, server.port), seedReply);
      } finally {
        await peer.close();
      }
    }

    assert.equal(server.running.store.clientCount, 1);
    const client = server.running.store.get('127.0.0.1');
    assert.equal(client?.received, 3);
    assert.equal(client?.lost, 0);
    assert.equal(client?.lastSeq, 3);
  } finally {
    await server.running.close();
  }
});

test('datagrams from outside --allow are refused and never answered', async () => {
  await withServer(
    {lossPercent: 0, allow: parseAllowList('10.0.0.0/8')},
    async (server, peer) => {
      for (let seq = 1; seq <= 3; seq++) {
        await sendHandled(server, peer, `${seq}`);
      }

      assert.equal(server.running.store.totals.refused, 3);
      assert.equal(server.running.store.clientCount, 0);
      assert.equal(peer.replies.length, 0);
      assert.equal(
        server.events.filter((event) => event.event === 'refused').length,
        3,
      );
    },
  );
});

test('a stream of garbage never stops the server', async () => {
  await withServer({lossPercent: 0}, async (server, peer) => {
    const garbage = [
      '',
      '\u0000\u0000',
      'x'.repeat(2000),
      '9999999999999999999999',
      '1 9999-12-31 23:59:59.999999',
      '1 99999999999999',
      'Ping -1',
      '\uFFFF\uD800',
    ];
    for (const payload of garbage) {
      await sendHandled(server, peer, payload);
    }

    await sendHandled(server, peer, Buffer.from([0xc3, 0x28]));
    await sendHandled(server, peer, Buffer.alloc(65_507, 0xff));
    await peer.send('Heartbeat 9', server.port);
    await waitFor(() => peer.texts().includes('HEARTBEAT 9'), {
      message: 'the heartbeat answered after the garbage',
    });
    for (const each of peer.replies) {
      assert.ok(each.length <= 1024);
    }

    const {totals} = server.running.store;
    assert.equal(totals.received, garbage.length + 3);
    assert.equal(
      totals.received,
      totals.replied + totals.dropped + totals.unanswered,
    );
    assert.equal(server.running.server.internalErrors, 0);
  });
});
