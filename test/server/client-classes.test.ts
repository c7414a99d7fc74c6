import assert from 'node:assert/strict';
import test from 'node:test';
import {CliProcess} from '../helpers/cli-process.js';
import {freePort} from '../helpers/free-port.js';
import {UdpPeer} from '../helpers/udp-peer.js';
import {waitFor} from '../helpers/wait-for.js';
import {parseEventLine} from '../helpers/json-events.js';

/*
 * Every kind of client the protocol names (docs/protocol.md), against the built CLI over
 * loopback: the reply each one's own code expects, and the counts the exit summary shows. The
 * server runs in Asia/Kolkata (UTC+5:30, no daylight saving time), so that local times are the
 * server's and a client whose clock keeps UTC is in another time zone.
 */

const serverZoneMs = 5.5 * 3_600_000;
const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** The wall-clock fields of `ms` in a zone `offsetMs` ahead of UTC. */
function wall(ms: number, offsetMs: number): Date {
  return new Date(ms + offsetMs);
}

/** Python's `str(datetime.now())` on a machine whose zone is `offsetMs` ahead of UTC. */
function pythonDatetime(ms: number, offsetMs = serverZoneMs, fraction = true) {
  const date = wall(ms, offsetMs);
  const text = `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
  return fraction ? `${text}.${pad(date.getUTCMilliseconds(), 3)}000` : text;
}

function timeOfDay(ms: number): string {
  const date = wall(ms, serverZoneMs);
  return `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
}

/** Python's `time.ctime()` in the server's zone. */
function ctime(ms: number): string {
  const date = wall(ms, serverZoneMs);
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
  return `${days[date.getUTCDay()]} ${months[date.getUTCMonth()]} ${String(date.getUTCDate()).padStart(2, ' ')} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} ${date.getUTCFullYear()}`;
}

const epochSeconds = () => (Date.now() / 1000).toFixed(6);

/** A seed reply whose delay is under ten seconds: a time zone never shows as a delay. */
const seedNearZero =
  /^Packet delivery delay = -?0:00:0\d\.\d{6}, Number of packets lost in between = 0$/v;
const seedUnknown =
  'Packet delivery delay = unknown, Number of packets lost in between = 0';

/** The struct of a binary pinger: magic, sequence number, send time. */
function binaryStruct(seq: number): Buffer {
  const struct = Buffer.alloc(20);
  struct.writeUInt32BE(0xca_fe_ba_be, 0);
  struct.writeUInt32BE(seq, 4);
  struct.writeDoubleLE(Date.now(), 8);
  return struct;
}

type Expected = string | RegExp | Buffer | 'none';

type ClientCase = {
  readonly client: string;
  /** What it sends, one datagram after the other, and the reply each one expects. */
  readonly exchange: ReadonlyArray<
    readonly [() => string | Buffer, Expected | ((sent: string) => Expected)]
  >;
  /** Counts the summary must show beyond received = datagrams and replied = replies. */
  readonly unanswered?: number;
  readonly malformed?: number;
  readonly clockOffsetMs?: number;
  readonly lost?: number;
};

const upper = (sent: string) =>
  sent.replaceAll(/[a-z]/gv, (letter) => letter.toUpperCase());

const cases: ClientCase[] = [
  {
    client: 'the original exercise client (tab, datetime with microseconds)',
    exchange: [
      [() => `1\t${pythonDatetime(Date.now())}`, seedNearZero],
      [
        () => `2\t${pythonDatetime(Date.now(), serverZoneMs, false)}`,
        seedNearZero,
      ],
      [() => `3\t${pythonDatetime(Date.now())}\n`, seedNearZero],
    ],
  },
  {
    client: 'the original client on a machine that keeps UTC',
    exchange: [
      [() => `1\t${pythonDatetime(Date.now(), 0)}`, seedNearZero],
      [() => `2\t${pythonDatetime(Date.now(), 0)}`, seedNearZero],
    ],
    clockOffsetMs: -serverZoneMs,
  },
  {
    client: 'a client that sends a sequence number and a time of day',
    exchange: [
      [
        () => `1 ${timeOfDay(Date.now())}`,
        /^Packet delivery delay = -?0:00:0\d\.\d{6}, /v,
      ],
      [
        () => `2 ${timeOfDay(Date.now())}`,
        /^Packet delivery delay = -?0:00:0\d\.\d{6}, /v,
      ],
    ],
  },
  {
    client: 'a classic pinger (Ping seq time.time())',
    exchange: [
      [() => `Ping 1 ${epochSeconds()}`, upper],
      [() => `ping 2 ${epochSeconds()}`, upper],
      [() => `PING 3 ${Date.now()}\r\n`, upper],
    ],
  },
  {
    client: 'a heartbeat variant',
    exchange: [[() => `Heartbeat 1 ${epochSeconds()}`, upper]],
  },
  {
    client: 'a Java pinger with free text after its label',
    exchange: [
      [() => 'Ping Java Udp Client', 'PING JAVA UDP CLIENT'],
      [() => 'Ping 7 yesterday', 'PING 7 YESTERDAY'],
    ],
  },
  {
    client: 'a word with dots, and a label in another script',
    exchange: [
      [() => 'ping...', 'PING...'],
      [() => 'Привет', 'Привет'],
      [() => 'hello world', 'HELLO WORLD'],
    ],
  },
  {
    client: 'a Java pinger that sends System.currentTimeMillis() alone',
    exchange: [
      [() => `Ping ${Date.now()}`, upper],
      [() => `Ping ${Date.now()}`, upper],
    ],
    // Read as times, not as sequence numbers about 2000 apart.
    lost: 0,
  },
  {
    client: 'a client that sends only a time',
    exchange: [[() => `Heartbeat ${(Date.now() / 1000).toFixed(1)}`, upper]],
  },
  {
    client: 'a client that sends ctime()',
    exchange: [[() => `Ping 3 ${ctime(Date.now())}`, upper]],
  },
  {
    client: 'keep-alive senders (a label alone, an empty datagram)',
    exchange: [
      [() => 'PyHB', 'PYHB'],
      [() => '', seedUnknown],
    ],
  },
  {
    client: 'a JavaScript client (Date.now(), toISOString())',
    exchange: [
      [() => `1 ${Date.now()}`, seedNearZero],
      [() => `2 ${new Date().toISOString()}`, seedNearZero],
    ],
  },
  {
    client: 'a binary pinger (a struct, eight zero bytes)',
    exchange: [
      [() => binaryStruct(1), (sent) => Buffer.from(sent, 'latin1')],
      [() => Buffer.alloc(8), Buffer.alloc(8)],
      [() => binaryStruct(2), (sent) => Buffer.from(sent, 'latin1')],
    ],
    malformed: 3,
  },
  {
    client: 'a broken seed-format client, twice within a second',
    exchange: [
      [() => '-7 yesterday', 'ERROR bad sequence number'],
      [() => '7\tnot-a-date', 'none'],
    ],
    malformed: 2,
    unanswered: 1,
  },
  {
    client: 'a client that sends more than 1024 bytes',
    exchange: [[() => `Ping 1 ${'x'.repeat(1100)}`, 'ERROR too long']],
    malformed: 1,
  },
];

type Summary = Record<string, number>;

/** The counts of each client's summary line (`summary  127.0.0.1:5000  received=…;…`). */
function summaries(lines: readonly string[]): Map<string, Summary> {
  const result = new Map<string, Summary>();
  for (const line of lines) {
    const match =
      /\bsummary\s+(?<client>\S+)\s+.*?(?<detail>received=\S+)/v.exec(line);
    if (match?.groups) {
      const fields: Summary = {};
      for (const field of match.groups.detail!.split(';')) {
        const [key, value] = field.split('=');
        if (/^-?\d+$/v.test(value ?? '')) {
          fields[key!] = Number(value);
        }
      }

      result.set(match.groups.client!, fields);
    }
  }

  return result;
}

async function exchange(
  peer: UdpPeer,
  port: number,
  payload: string | Buffer,
  expected: Expected,
): Promise<void> {
  const before = peer.replies.length;
  await peer.send(payload, port);
  if (expected === 'none') {
    // Sent after it, the next datagram's reply shows the server took this one in.
    return;
  }

  const reply = await waitFor(() => peer.replies[before], {
    message: `a reply to ${JSON.stringify(String(payload))}`,
  });
  if (Buffer.isBuffer(expected)) {
    assert.deepEqual(reply, expected);
  } else if (typeof expected === 'string') {
    assert.equal(reply.toString('utf8'), expected);
  } else {
    assert.match(reply.toString('utf8'), expected);
  }
}

test('every kind of client gets the reply it expects from the built CLI, and the summary counts every datagram', async () => {
  const port = await freePort();
  const cli = new CliProcess(
    ['--port', String(port), '--loss', '0', '--idle-timeout', '0'],
    {TZ: 'Asia/Kolkata'},
  );
  const peers: UdpPeer[] = [];
  try {
    await cli.waitForLine(/\bstart\b/v);
    const sent = new Map<string, {datagrams: number; replies: number}>();
    for (const each of cases) {
      const peer = await UdpPeer.open();
      peers.push(peer);
      for (const [payload, reply] of each.exchange) {
        const datagram = payload();
        const expected =
          typeof reply === 'function'
            ? reply(
                typeof datagram === 'string'
                  ? datagram
                  : datagram.toString('latin1'),
              )
            : reply;
        await exchange(peer, port, datagram, expected);
      }

      sent.set(`127.0.0.1:${peer.port}`, {
        datagrams: each.exchange.length,
        replies: each.exchange.filter(([, reply]) => reply !== 'none').length,
      });
    }

    // Every datagram is in (the held-back error leaves no reply to wait for).
    await waitFor(
      () =>
        cli.lines().filter((line) => /\b(?:replied|malformed)\b/v.test(line))
          .length >= cases.reduce((sum, each) => sum + each.exchange.length, 0),
      {message: 'an event for every datagram'},
    );
    cli.child.kill('SIGTERM');
    assert.equal(await cli.exit(), 0);
    const counts = summaries(cli.lines());
    for (const [index, each] of cases.entries()) {
      const key = `127.0.0.1:${peers[index]!.port}`;
      const summary = counts.get(key);
      assert.ok(summary, `a summary line for ${each.client}`);
      const {datagrams, replies} = sent.get(key)!;
      assert.equal(summary.received, datagrams, `${each.client}: received`);
      assert.equal(summary.replied, replies, `${each.client}: replied`);
      assert.equal(summary.dropped, 0, `${each.client}: dropped`);
      assert.equal(
        summary.unanswered,
        each.unanswered ?? 0,
        `${each.client}: unanswered`,
      );
      assert.equal(
        summary.malformed,
        each.malformed ?? 0,
        `${each.client}: malformed`,
      );
      assert.equal(
        summary.clock_offset_ms,
        each.clockOffsetMs,
        `${each.client}: clock offset`,
      );
      if (each.lost !== undefined) {
        assert.equal(summary.lost, each.lost, `${each.client}: lost`);
      }

      assert.equal(
        peers[index]!.replies.length,
        replies,
        `${each.client}: replies`,
      );
    }

    // The exit table and its totals say the same.
    const total = (name: string) =>
      [...counts.values()].reduce((sum, summary) => sum + summary[name]!, 0);
    assert.match(
      cli.stdout,
      new RegExp(
        `totals +received ${total('received')}, replied ${total('replied')}, dropped 0, unanswered 1, malformed ${total('malformed')}`,
        'v',
      ),
    );
    assert.match(cli.stdout, /\bclock\b[\s\S]*-5:30/v);
  } finally {
    await Promise.all(peers.map(async (peer) => peer.close()));
    cli.child.kill('SIGKILL');
  }
});

test('a client that parses every reply as JSON gets JSON from --reply json, errors included', async () => {
  const port = await freePort();
  const cli = new CliProcess([
    '--port',
    String(port),
    '--loss',
    '0',
    '--idle-timeout',
    '0',
    '--reply',
    'json',
    '--output',
    'json',
  ]);
  const peer = await UdpPeer.open();
  const binaryPeer = await UdpPeer.open();
  try {
    await cli.waitForLine(/"event":"start"/v);
    const replies: Array<Record<string, unknown>> = [];
    for (const payload of [
      `7 ${Date.now()}`,
      'Ping Java Udp Client',
      '-7 yesterday',
    ]) {
      replies.push(
        JSON.parse(await peer.request(payload, port)) as Record<
          string,
          unknown
        >,
      );
    }

    const binary: unknown = JSON.parse(
      await binaryPeer.request(Buffer.alloc(8), port),
    );
    const [first, second, error] = replies;
    assert.equal(first!.seq, 7);
    assert.equal(typeof first!.delay_ms, 'number');
    assert.ok(Math.abs(first!.delay_ms as number) < 10_000);
    assert.deepEqual(second, {
      seq: null,
      delay_ms: null,
      lost_in_between: 0,
      state: 'alive',
    });
    assert.deepEqual(error, {error: 'bad sequence number'});
    assert.deepEqual(binary, {error: 'control character'});
    cli.child.kill('SIGTERM');
    assert.equal(await cli.exit(), 0);
    const details = new Map(
      cli
        .lines()
        .map((line) => parseEventLine<Record<string, unknown>>(line))
        .filter((event) => event.event === 'summary')
        .map((event) => [event.client, String(event.detail)]),
    );
    assert.match(
      details.get(`127.0.0.1:${peer.port}`) ?? '',
      /^received=3;replied=3;dropped=0;lost=0;.*;malformed=1;unanswered=0/v,
    );
    assert.match(
      details.get(`127.0.0.1:${binaryPeer.port}`) ?? '',
      /^received=1;replied=1;dropped=0;lost=0;.*;malformed=1;unanswered=0/v,
    );
  } finally {
    await peer.close();
    await binaryPeer.close();
    cli.child.kill('SIGKILL');
  }
});

test('--client-key host: a client that opens a new socket for every heartbeat is one row', async () => {
  const port = await freePort();
  const cli = new CliProcess([
    '--port',
    String(port),
    '--loss',
    '0',
    '--idle-timeout',
    '0',
    '--client-key',
    'host',
  ]);
  try {
    await cli.waitForLine(/\bstart\b/v);
    for (let seq = 1; seq <= 4; seq++) {
      const peer = await UdpPeer.open();
      try {
        assert.equal(await peer.request(`Ping ${seq}`, port), `PING ${seq}`);
      } finally {
        await peer.close();
      }
    }

    cli.child.kill('SIGTERM');
    assert.equal(await cli.exit(), 0);
    const counts = summaries(cli.lines());
    assert.deepEqual([...counts.keys()], ['127.0.0.1']);
    assert.equal(counts.get('127.0.0.1')?.received, 4);
    assert.equal(counts.get('127.0.0.1')?.lost, 0);
    assert.match(cli.stdout, /^ {2}clients +1$/mv);
  } finally {
    cli.child.kill('SIGKILL');
  }
});
