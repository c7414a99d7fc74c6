import assert from 'node:assert/strict';
import {mkdtemp, readFile, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import test from 'node:test';
import {parse} from 'csv-parse/sync';
import {CliProcess, runCli} from '../helpers/cli-process.js';
import {freePort} from '../helpers/free-port.js';
import {UdpPeer} from '../helpers/udp-peer.js';
import {waitFor} from '../helpers/wait-for.js';

/*
 * Devices and services as they send heartbeats (docs/protocol.md, "Structured heartbeats",
 * "Separators and epoch units", "Names and client identity"), against the built CLI over
 * loopback: each gets the reply its own code parses, and a named client keeps its row.
 */

const jsonReply =
  /^\{"seq":(?<seq>\d+|null),"delay_ms":(?<delay>-?[\d.]+|null),"lost_in_between":0,"state":"alive"\}$/v;
const logfmtReply =
  /^(?:seq=(?<seq>\d+) )?(?:delay_ms=(?<delay>-?[\d.]+) )?lost_in_between=0 state=alive$/v;
const seedNearZero =
  /^Packet delivery delay = -?0:00:0\d\.\d{6}, Number of packets lost in between = 0$/v;

type Case = {
  readonly sender: string;
  readonly payload: () => string;
  /** The reply as the sender reads it; a delay, where there is one, under ten seconds. */
  readonly reply: RegExp | string;
  readonly seq?: string;
  readonly name?: string;
};

/** Regular expression syntax characters escaped, for a pattern with the `v` flag. */
function escapeRegExp(text: string): string {
  return text.replaceAll(/[\\^$.*+?\(\)\[\]\{\}\|\/]/gv, String.raw`\$&`);
}

const seconds = () => (Date.now() / 1000).toFixed(3);
const nanoseconds = () => `${Date.now()}${'123456'}`;

const cases: readonly Case[] = [
  {
    sender: 'a microcontroller: JSON, epoch ms',
    payload: () => `{"id":"sensor-7","seq":42,"ts":${Date.now()}}`,
    reply: jsonReply,
    seq: '42',
    name: 'sensor-7',
  },
  {
    sender: 'a Node service: JSON, ISO time, keys in another case',
    payload: () =>
      `{"Name":"api-1","SEQUENCE":"17","time":"${new Date().toISOString()}","region":"eu"}`,
    reply: jsonReply,
    seq: '17',
    name: 'api-1',
  },
  {
    sender: 'Python time.time_ns() in JSON',
    payload: () => `{"device":"pump-3","n":3,"timestamp":${nanoseconds()}}`,
    reply: jsonReply,
    seq: '3',
    name: 'pump-3',
  },
  {
    sender: 'a Go sender: logfmt with a quoted name',
    payload: () => `name="boiler room" seq=5 ts=${seconds()}`,
    reply: logfmtReply,
    seq: '5',
    name: 'boiler room',
  },
  {
    sender: 'a shell sender: logfmt, no time',
    payload: () => 'host=edge-2 count=9',
    reply: 'seq=9 lost_in_between=0 state=alive',
    name: 'edge-2',
  },
  {
    sender: 'a CSV-minded script: comma',
    payload: () => `3,${seconds()}`,
    reply: seedNearZero,
  },
  {
    sender: 'a CSV-minded script: semicolon, ms with a fraction',
    payload: () =>
      `4;${(performance.timeOrigin + performance.now()).toFixed(3)}`,
    reply: seedNearZero,
  },
  {
    sender: 'epoch microseconds after a seq',
    payload: () => `5 ${Date.now()}123`,
    reply: seedNearZero,
  },
  {
    sender: 'epoch nanoseconds after a seq',
    payload: () => `6 ${nanoseconds()}`,
    reply: seedNearZero,
  },
  {
    sender: 'JSON cut short: a JSON error',
    payload: () => '{"seq":1,',
    reply: '{"error":"bad JSON"}',
  },
  {
    sender: 'logfmt with a bad sequence number: a logfmt error',
    payload: () => 'id=x seq=-1',
    reply: 'error="bad sequence number"',
  },
  {
    sender: 'a name with an escape sequence: refused',
    payload: () => String.raw`{"id":"\u001b[2Jevil","seq":1}`,
    reply: '{"error":"bad name"}',
  },
  {
    sender: 'nanoseconds 25 years away: malformed as before',
    payload: () => '7 1000000000000000000',
    reply: 'ERROR bad timestamp',
  },
];

test('every device sender gets the reply its code parses from the built CLI, names shown in the output', async () => {
  const port = await freePort();
  const cli = new CliProcess([
    '--port',
    String(port),
    '--loss',
    '0',
    '--idle-timeout',
    '0',
  ]);
  const peers: UdpPeer[] = [];
  try {
    await cli.waitForLine(/\bstart\b/v);
    for (const each of cases) {
      const peer = await UdpPeer.open();
      peers.push(peer);
      const reply = await peer.request(each.payload(), port);
      if (typeof each.reply === 'string') {
        assert.equal(reply, each.reply, each.sender);
        continue;
      }

      const match = each.reply.exec(reply);
      assert.ok(match, `${each.sender}: ${reply}`);
      if (each.seq !== undefined) {
        assert.equal(match.groups?.seq, each.seq, each.sender);
      }

      const delay = match.groups?.delay;
      if (delay !== undefined) {
        assert.ok(Math.abs(Number(delay)) < 10_000, `${each.sender}: ${reply}`);
      }
    }

    // Every reply event names its client; a named one says its name, quoted where it has a blank.
    for (const [index, each] of cases.entries()) {
      if (each.name === undefined) {
        continue;
      }

      const name = each.name.includes(' ')
        ? JSON.stringify(each.name)
        : each.name;
      await cli.waitForLine(
        new RegExp(
          String.raw`\breplied\s+127\.0\.0\.1:${peers[index]!.port}\s.*\bname=${escapeRegExp(name)}(?: |$)`,
          'v',
        ),
      );
    }

    // The refused name never reaches the output, raw or otherwise.
    assert.ok(!cli.stdout.includes('\u001B[2J'));
    assert.ok(!cli.stdout.includes('evil'));
    cli.child.kill('SIGTERM');
    assert.equal(await cli.exit(), 0);
  } finally {
    cli.child.kill('SIGKILL');
    await Promise.all(peers.map(async (peer) => peer.close()));
  }
});

test('--reply logfmt answers every heartbeat in logfmt, and a malformed one with error=', async () => {
  const port = await freePort();
  const cli = new CliProcess([
    '--port',
    String(port),
    '--loss',
    '0',
    '--idle-timeout',
    '0',
    '--reply',
    'logfmt',
  ]);
  const peer = await UdpPeer.open();
  try {
    await cli.waitForLine(/\bstart\b/v);
    assert.match(
      await peer.request(`8\t${new Date().toISOString()}`, port),
      /^seq=8 delay_ms=-?[\d.]+ lost_in_between=0 state=alive$/v,
    );
    assert.equal(
      await peer.request('Ping', port),
      'lost_in_between=0 state=alive',
    );
    assert.equal(await peer.request('-3', port), 'error="bad sequence number"');
  } finally {
    cli.child.kill('SIGKILL');
    await peer.close();
  }
});

async function withTempDir(body: (directory: string) => Promise<void>) {
  const directory = await mkdtemp(path.join(tmpdir(), 'udp-heartbeat-names-'));
  try {
    await body(directory);
  } finally {
    await rm(directory, {recursive: true, force: true});
  }
}

/** The exit summary's counts of one client (`summary  KEY  received=…;…`). */
function summaryOf(
  lines: readonly string[],
  key: string,
): Record<string, string> | undefined {
  const line = lines.find((each) =>
    new RegExp(String.raw`\bsummary\s+${escapeRegExp(key)}\s`, 'v').test(each),
  );
  if (line === undefined) {
    return undefined;
  }

  const detail = /\breceived=\S+/v.exec(line)?.[0] ?? '';
  const fields: Record<string, string> = {};
  for (const field of detail.split(';')) {
    const [name = '', value = ''] = field.split('=');
    fields[name] = value;
  }

  return fields;
}

test('--client-key name: a client that changes its source port keeps its row, with a moved event in the output, the log and its replay', async () => {
  await withTempDir(async (directory) => {
    const log = path.join(directory, 'run.csv');
    const port = await freePort();
    const cli = new CliProcess([
      '--port',
      String(port),
      '--loss',
      '0',
      '--idle-timeout',
      '0',
      '--client-key',
      'name',
      '--log',
      log,
    ]);
    const before = await UdpPeer.open();
    const after = await UdpPeer.open();
    const beforePort = before.port;
    const afterPort = after.port;
    try {
      await cli.waitForLine(/\bstart\b/v);
      for (let seq = 1; seq <= 3; seq++) {
        assert.match(
          await before.request(`{"id":"boiler-room","seq":${seq}}`, port),
          jsonReply,
        );
      }

      // A NAT rebinding: the same device, a new source port, the sequence going on.
      for (let seq = 4; seq <= 5; seq++) {
        assert.match(
          await after.request(`id=boiler-room seq=${seq}`, port),
          logfmtReply,
        );
      }

      // Without a name, a datagram from that port is a client of its own.
      await after.request('9 1795504759', port);
      const moved = await cli.waitForLine(/\bmoved\b/v);
      assert.match(
        moved,
        new RegExp(
          String.raw`\bmoved\s+boiler-room\s+from=127\.0\.0\.1:${beforePort};to=127\.0\.0\.1:${afterPort}\b.*\baddress=127\.0\.0\.1:${afterPort}\b`,
          'v',
        ),
      );
      cli.child.kill('SIGTERM');
      assert.equal(await cli.exit(), 0);
    } finally {
      cli.child.kill('SIGKILL');
      await before.close();
      await after.close();
    }

    const lines = cli.lines();
    const summary = summaryOf(lines, 'boiler-room');
    assert.ok(summary, cli.stdout);
    assert.equal(summary.received, '5');
    assert.equal(summary.lost, '0');
    assert.equal(summary.restarts, '0');
    assert.ok(summaryOf(lines, `127.0.0.1:${afterPort}`));
    assert.equal(summaryOf(lines, `127.0.0.1:${beforePort}`), undefined);

    // The log: the name and the address in columns of their own, and the move.
    const rows = parse<Record<string, string>>(await readFile(log, 'utf8'), {
      columns: true,
    });
    const movedRow = rows.find((row) => row.event === 'moved');
    assert.ok(movedRow);
    assert.equal(movedRow.client, 'boiler-room');
    assert.equal(movedRow.name, 'boiler-room');
    assert.equal(movedRow.address, `127.0.0.1:${afterPort}`);
    assert.match(
      movedRow.detail!,
      /^from=127\.0\.0\.1:\d+;to=127\.0\.0\.1:\d+$/v,
    );

    // Played back, the run shows the same rows and the same move.
    const replay = await runCli(['replay', log, '--speed', '0']);
    assert.equal(replay.code, 0, replay.stderr);
    const replayed = replay.stdout.split('\n');
    assert.equal(summaryOf(replayed, 'boiler-room')?.received, '5');
    assert.ok(summaryOf(replayed, `127.0.0.1:${afterPort}`));
    assert.equal(
      replayed.filter((line) => /\bmoved\s+boiler-room\b/v.test(line)).length,
      1,
      replay.stdout,
    );
  });
});

test('--client-key name: a flood of invented names is bounded by --max-clients', async () => {
  const port = await freePort();
  const cli = new CliProcess([
    '--port',
    String(port),
    '--loss',
    '0',
    '--idle-timeout',
    '0',
    '--client-key',
    'name',
    '--max-clients',
    '20',
    '--quiet',
  ]);
  const peer = await UdpPeer.open();
  try {
    await cli.waitForLine(/\bstart\b/v);
    const flood = 300;
    for (let index = 0; index < flood; index++) {
      await peer.send(`{"id":"fake-${index}","seq":1}`, port);
      if (index % 50 === 49) {
        // Paced, so that loopback's receive buffer never drops what the test counts.
        await waitFor(() => peer.replies.length >= index + 1, {
          message: `replies to the first ${index + 1} names`,
        });
      }
    }

    await waitFor(() => peer.replies.length >= flood, {
      message: 'a reply to every invented name',
    });
    cli.child.kill('SIGTERM');
    assert.equal(await cli.exit(), 0);
    const summaries = cli
      .lines()
      .filter((line) => /\bsummary\s+fake-\d+\s/v.test(line));
    assert.equal(summaries.length, 20);
    // The most recent names are the ones kept.
    assert.ok(summaryOf(cli.lines(), `fake-${flood - 1}`));
    assert.equal(summaryOf(cli.lines(), 'fake-0'), undefined);
    assert.equal(
      cli.lines().filter((line) => /\bevicted\s+fake-\d+\s/v.test(line)).length,
      flood - 20,
    );
  } finally {
    cli.child.kill('SIGKILL');
    await peer.close();
  }
});
