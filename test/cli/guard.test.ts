import assert from 'node:assert/strict';
import test from 'node:test';
import {CliProcess} from '../helpers/cli-process.js';
import {freePort} from '../helpers/free-port.js';
import {UdpPeer} from '../helpers/udp-peer.js';
import {parseEventLine} from '../helpers/json-events.js';

function byText(a: string | null, b: string | null): number {
  return String(a).localeCompare(String(b));
}

/** The text as a regular expression that matches it literally. */
function literal(text: string): string {
  return text.replaceAll(/[.\[\]]/gv, String.raw`\$&`);
}

type JsonEvent = {
  readonly event: string;
  readonly client: string | null;
  readonly detail: string | null;
};

/** Opens `count` client sockets on loopback, each on a port of its own. */
async function openPeers(
  count: number,
  type: 'udp4' | 'udp6' = 'udp4',
): Promise<UdpPeer[]> {
  const peers: UdpPeer[] = [];
  for (let index = 0; index < count; index++) {
    peers.push(await UdpPeer.open(type));
  }

  return peers;
}

async function closeAll(peers: readonly UdpPeer[]): Promise<void> {
  await Promise.all(peers.map(async (peer) => peer.close()));
}

/** Twelve clients, one heartbeat each in turn, into a server with room for five. */
async function evictionRun(
  output: 'json' | 'text',
): Promise<{cli: CliProcess; keys: string[]}> {
  const port = await freePort();
  const cli = new CliProcess([
    '--max-clients',
    '5',
    '--output',
    output,
    '--idle-timeout',
    '0',
    '--loss',
    '0',
    '--port',
    String(port),
  ]);
  const peers = await openPeers(12);
  try {
    await cli.waitForLine(/\bstart\b/v);
    for (const [index, peer] of peers.entries()) {
      // The reply proves the heartbeat was taken in before the next client sends.
      await peer.request(`${index + 1}`, port);
    }

    cli.child.kill('SIGTERM');
    assert.equal(await cli.exit(), 0);
    assert.equal(cli.stderr, '');
    return {cli, keys: peers.map((peer) => `127.0.0.1:${peer.port}`)};
  } finally {
    await closeAll(peers);
    cli.child.kill('SIGKILL');
  }
}

test('--max-clients 5 with 12 clients: 7 evicted events for the least recently seen, in order, and 5 in the summary', async () => {
  const {cli, keys} = await evictionRun('json');
  const events = cli.lines().map((line) => parseEventLine<JsonEvent>(line));
  const evicted = events.filter((event) => event.event === 'evicted');
  assert.deepEqual(
    evicted.map((event) => event.client),
    keys.slice(0, 7),
  );
  for (const event of evicted) {
    assert.match(event.detail ?? '', /^silent_ms=\d+$/v);
  }

  const summaries = events.filter((event) => event.event === 'summary');
  assert.deepEqual(
    summaries.map((event) => event.client).toSorted(byText),
    keys.slice(7).toSorted(byText),
  );
  assert.equal(events.at(-1)?.event, 'stop');
});

test('--max-clients 5 with 12 clients: the summary table lists the last 5 and counts 7 evicted', async () => {
  const {cli, keys} = await evictionRun('text');
  const evictedLines = cli
    .lines()
    .filter((line) => /^\S+\s+evicted\s/v.test(line));
  assert.equal(evictedLines.length, 7);
  for (const [index, line] of evictedLines.entries()) {
    assert.ok(line.includes(`${keys[index]!} `), line);
  }

  const summary = cli.stdout.slice(cli.stdout.indexOf('udp-heartbeat summary'));
  assert.match(summary, /^ {2}totals\s.*\bevicted 7$/mv);
  assert.match(summary, /^ {2}clients\s+5$/mv);
  for (const key of keys.slice(7)) {
    assert.ok(summary.includes(key), `the summary lists ${key}`);
  }

  for (const key of keys.slice(0, 7)) {
    assert.ok(!summary.includes(key), `the summary leaves out ${key}`);
  }
});

type AllowCase = {
  readonly name: string;
  readonly args: readonly string[];
  /** Sockets whose heartbeats must be answered, and how the client shows in the output. */
  readonly answered: ReadonlyArray<'udp4' | 'udp6'>;
  readonly refused: ReadonlyArray<'udp4' | 'udp6'>;
};

const allowCases: AllowCase[] = [
  {
    name: '--host :: --allow ::1/128 answers ::1 and refuses 127.0.0.1',
    args: ['--host', '::', '--allow', '::1/128'],
    answered: ['udp6'],
    refused: ['udp4'],
  },
  {
    name: '--allow 127.0.0.0/8 answers 127.0.0.1',
    args: ['--allow', '127.0.0.0/8'],
    answered: ['udp4'],
    refused: [],
  },
  {
    name: '--host :: --allow 127.0.0.0/8 answers 127.0.0.1 (IPv4-mapped) and refuses ::1',
    args: ['--host', '::', '--allow', '127.0.0.0/8'],
    answered: ['udp4'],
    refused: ['udp6'],
  },
];

function shownKey(peer: UdpPeer, type: 'udp4' | 'udp6'): string {
  return type === 'udp4' ? `127.0.0.1:${peer.port}` : `[::1]:${peer.port}`;
}

const target = {udp4: '127.0.0.1', udp6: '::1'} as const;

for (const allowCase of allowCases) {
  test(allowCase.name, async (t) => {
    try {
      const probe = await UdpPeer.open('udp6');
      await probe.close();
    } catch {
      t.skip('this machine has no IPv6 loopback');
      return;
    }

    const port = await freePort();
    const cli = new CliProcess([
      ...allowCase.args,
      '--output',
      'text',
      '--loss',
      '0',
      '--idle-timeout',
      '0',
      '--port',
      String(port),
    ]);
    const refused = await Promise.all(
      allowCase.refused.map(async (type) => UdpPeer.open(type)),
    );
    const answered = await Promise.all(
      allowCase.answered.map(async (type) => UdpPeer.open(type)),
    );
    try {
      await cli.waitForLine(/\bstart\b/v);
      for (const [index, peer] of refused.entries()) {
        const type = allowCase.refused[index]!;
        await peer.send('1', port, target[type]);
        const line = await cli.waitForLine(/\srefused\s/v);
        assert.ok(line.trimEnd().endsWith(shownKey(peer, type)), line);
      }

      // The refused datagrams were handled before these: had they drawn a reply, it would be in.
      for (const [index, peer] of answered.entries()) {
        const type = allowCase.answered[index]!;
        assert.match(
          await peer.request('1', port, target[type]),
          /^Packet delivery delay = unknown, Number of packets lost in between = 0$/v,
        );
        const key = shownKey(peer, type);
        await cli.waitForLine(
          new RegExp(String.raw`\sreplied\s+${literal(key)}\s`, 'v'),
        );
      }

      for (const peer of refused) {
        assert.equal(peer.replies.length, 0, 'a refused sender gets no reply');
      }

      cli.child.kill('SIGTERM');
      assert.equal(await cli.exit(), 0);
      assert.doesNotMatch(cli.stdout, /::ffff:/iv, 'IPv4 shows as plain IPv4');
      const summary = cli.stdout.slice(
        cli.stdout.indexOf('udp-heartbeat summary'),
      );
      assert.match(
        summary,
        new RegExp(String.raw`\brefused ${refused.length}\b`, 'v'),
      );
      assert.match(
        summary,
        new RegExp(String.raw`^ {2}clients\s+${answered.length}$`, 'mv'),
      );
    } finally {
      await closeAll([...refused, ...answered]);
      cli.child.kill('SIGKILL');
    }
  });
}
