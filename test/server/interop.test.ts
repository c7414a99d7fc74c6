import assert from 'node:assert/strict';
import test from 'node:test';
import {startTestServer, type TestServer} from '../helpers/test-server.js';
import {UdpPeer} from '../helpers/udp-peer.js';
import {waitFor} from '../helpers/wait-for.js';

/**
 * The messages real heartbeat and pinger clients send (docs/protocol.md), over real UDP, and the
 * reply each of those clients expects under `--reply auto`.
 */
type Case = {
  readonly client: string;
  readonly payload: (server: TestServer) => string | Uint8Array;
  readonly reply: RegExp | ((payload: string) => string);
};

const seed =
  /^Packet delivery delay = -?(?:\d+ days?, )?\d+:\d\d:\d\d\.\d{6}, Number of packets lost in between = 0$/v;
const seedUnknown =
  'Packet delivery delay = unknown, Number of packets lost in between = 0';
// The classic pinger server's `message.upper()` on bytes: ASCII letters only.
const upper = (payload: string) =>
  payload.replaceAll(/[a-z]/gv, (letter) => letter.toUpperCase());

function pythonDatetime(ms: number, withFraction: boolean): string {
  const date = new Date(ms);
  const pad = (value: number, width = 2) => String(value).padStart(width, '0');
  const base = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
  return withFraction ? `${base}.${pad(date.getMilliseconds(), 3)}456` : base;
}

function ctime(ms: number): string {
  const date = new Date(ms);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = [
    'Jan',
    'Feb',
    'Mar',
    'Apr',
    'May',
    'Jun',
    'Jul',
    'Aug',
    'Sep',
    'Oct',
    'Nov',
    'Dec',
  ];
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${days[date.getDay()]} ${months[date.getMonth()]} ${String(date.getDate()).padStart(2, ' ')} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())} ${date.getFullYear()}`;
}

const cases: Case[] = [
  {
    client: 'the original exercise client, with a fraction',
    payload: (server) => `7\t${pythonDatetime(server.clock.now - 1500, true)}`,
    reply: seed,
  },
  {
    client: 'the original exercise client, microsecond 0',
    payload: (server) => `8\t${pythonDatetime(server.clock.now - 2000, false)}`,
    reply:
      /^Packet delivery delay = 0:00:02\.000000, Number of packets lost in between = 0$/v,
  },
  {
    client: 'a classic pinger',
    payload: (server) => `Ping 7 ${(server.clock.now / 1000).toFixed(6)}`,
    reply: upper,
  },
  {
    client: 'a pinger in lower case',
    payload: (server) => `ping 3 ${(server.clock.now / 1000).toFixed(6)}`,
    reply: upper,
  },
  {
    client: 'a heartbeat variant',
    payload: (server) => `Heartbeat 7 ${(server.clock.now / 1000).toFixed(4)}`,
    reply: upper,
  },
  {
    client: 'a client that sends ctime()',
    payload: (server) => `Ping 3 ${ctime(server.clock.now)}`,
    reply: upper,
  },
  {
    client: 'a client that sends only a time',
    payload: (server) => `Heartbeat ${(server.clock.now / 1000).toFixed(1)}`,
    reply: upper,
  },
  {client: 'a keep-alive label', payload: () => 'PyHB', reply: upper},
  {
    client: 'an empty keep-alive',
    payload: () => '',
    reply: () => seedUnknown,
  },
  {
    client: 'a JavaScript client, epoch milliseconds',
    payload: (server) => `7 ${Math.round(server.clock.now - 250)}`,
    reply:
      /^Packet delivery delay = 0:00:00\.250000, Number of packets lost in between = 0$/v,
  },
  {
    client: 'a JavaScript client, ISO 8601',
    payload: (server) => `7 ${new Date(server.clock.now - 1000).toISOString()}`,
    reply:
      /^Packet delivery delay = 0:00:01\.000000, Number of packets lost in between = 0$/v,
  },
  {
    client: 'a Java pinger with CRLF',
    payload: (server) => `PING 0 ${Math.round(server.clock.now)}\r\n`,
    reply: upper,
  },
  {
    client: 'a Java pinger with free text after its label',
    payload: () => 'Ping Java Udp Client',
    reply: () => 'PING JAVA UDP CLIENT',
  },
  {
    client: 'a pinger whose label ends in dots',
    payload: () => 'ping...',
    reply: () => 'PING...',
  },
  {
    client: 'a pinger with a label in another script',
    payload: () => 'Привет 1',
    reply: () => 'Привет 1',
  },
  {
    client: 'a Java pinger that sends System.currentTimeMillis() alone',
    payload: (server) => `Ping ${Math.round(server.clock.now - 40)}`,
    reply: upper,
  },
  {
    client: 'a client that sends a sequence number and a time of day',
    payload: (server) =>
      `2 ${pythonDatetime(server.clock.now - 3000, false).slice(11)}`,
    reply:
      /^Packet delivery delay = 0:00:03\.000000, Number of packets lost in between = 0$/v,
  },
];

for (const each of cases) {
  test(`interoperates with ${each.client}`, async () => {
    const server = await startTestServer({lossPercent: 0});
    const peer = await UdpPeer.open();
    try {
      const payload = each.payload(server);
      const text =
        typeof payload === 'string' ? payload : Buffer.from(payload).toString();
      const reply = await peer.request(payload, server.port);
      if (typeof each.reply === 'function') {
        assert.equal(reply, each.reply(text));
      } else {
        assert.match(reply, each.reply);
      }

      const client = server.running.store.get(`127.0.0.1:${peer.port}`);
      assert.equal(client?.received, 1, 'counted as a heartbeat');
      assert.equal(client?.malformed, 0);
    } finally {
      await peer.close();
      await server.running.close();
    }
  });
}

test('an IPv6 client is tracked, and IPv4 through an IPv6 socket shows as plain IPv4', async () => {
  const server = await startTestServer({lossPercent: 0, host: '::'});
  const v6 = await UdpPeer.open('udp6');
  const v4 = await UdpPeer.open('udp4');
  try {
    assert.equal(await v6.request('1', server.port, '::1'), seedUnknown);
    assert.equal(await v4.request('1', server.port, '127.0.0.1'), seedUnknown);
    assert.ok(
      server.running.store.get(`[::1]:${v6.port}`),
      'IPv6 key in brackets',
    );
    assert.ok(
      server.running.store.get(`127.0.0.1:${v4.port}`),
      'IPv4-mapped shown as IPv4',
    );
  } finally {
    await v6.close();
    await v4.close();
    await server.running.close();
  }
});

test('interoperates with a binary pinger: its struct comes back byte for byte', async () => {
  const server = await startTestServer({lossPercent: 0});
  const peer = await UdpPeer.open();
  try {
    for (const struct of [
      Buffer.from([
        0xfe, 0xed, 0, 0, 0, 7, 0x41, 0xd9, 0x9a, 0x9b, 0x6c, 0, 0, 0,
      ]),
      Buffer.alloc(8),
    ]) {
      const before = peer.replies.length;
      await peer.send(struct, server.port);
      const reply = await waitFor(() => peer.replies[before], {
        message: 'the echo',
      });
      assert.deepEqual(reply, struct);
    }

    const client = server.running.store.get(`127.0.0.1:${peer.port}`);
    assert.equal(client?.received, 2);
    assert.equal(client?.malformed, 2, 'counted as malformed: not read');
    assert.equal(client?.replied, 2);
  } finally {
    await peer.close();
    await server.running.close();
  }
});
