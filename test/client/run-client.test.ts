import assert from 'node:assert/strict';
import test from 'node:test';
import {
  parseClientFlags,
  type RawClientFlags,
} from '../../source/client/client-options.js';
import {
  clientExitCode,
  runClient,
  type ClientReport,
} from '../../source/client/run-client.js';
import {parseRequest} from '../../source/protocol/parse-request.js';
import {waitFor} from '../helpers/wait-for.js';
import {
  activeResources,
  closedPort,
  echoUpperCase,
  LoopbackServer,
  text,
  type Responder,
} from './loopback.js';

const seedReply =
  'Packet delivery delay = 0:00:00.000412, Number of packets lost in between = 0';

type Run = {
  readonly lines: string[];
  readonly report: Promise<ClientReport>;
  readonly abort: AbortController;
};

function run(flags: RawClientFlags): Run {
  const lines: string[] = [];
  const abort = new AbortController();
  const report = runClient(parseClientFlags(flags), {
    write(line) {
      lines.push(line);
    },
    signal: abort.signal,
  });
  return {lines, report, abort};
}

/** Opens a server, runs the client against it, and checks that nothing is left running. */
async function withServer(
  responder: Responder | undefined,
  body: (server: LoopbackServer) => Promise<void>,
): Promise<void> {
  const server = await LoopbackServer.open(responder);
  const resources = activeResources();
  try {
    await body(server);
    await resources.settled();
  } finally {
    await server.close();
  }
}

const statsHeader = (port: number) =>
  `--- 127.0.0.1:${port} heartbeat statistics ---`;
const rttLine =
  /^rtt min\/avg\/max\/mdev = (?<min>[\d.]+)\/(?<avg>[\d.]+)\/(?<max>[\d.]+)\/[\d.]+ ms$/v;

function assertSaneRtt(line: string | undefined): void {
  const groups = line === undefined ? undefined : rttLine.exec(line)?.groups;
  assert.ok(groups, `an rtt line, got ${line}`);
  const [min, avg, max] = [groups.min, groups.avg, groups.max].map(Number);
  assert.ok(min! >= 0 && min! <= avg! && avg! <= max! && max! < 1000, line);
}

test('--count 3 against an echo server: three reply lines, then statistics with 0% loss', async () => {
  await withServer(echoUpperCase, async (server) => {
    const {lines, report} = run({
      port: String(server.port),
      count: '3',
      interval: '0.02',
      timeout: '1',
      format: 'ping',
    });
    const result = await report;

    assert.match(
      lines[0]!,
      new RegExp(
        String.raw`^HEARTBEAT 127\.0\.0\.1:${server.port}: ping format`,
        'v',
      ),
    );
    const heartbeats = lines.filter((line) => line.startsWith('seq='));
    assert.equal(heartbeats.length, 3);
    heartbeats.forEach((line, index) => {
      assert.match(
        line,
        new RegExp(
          String.raw`^seq=${index + 1} reply from 127\.0\.0\.1:${server.port} time=[\d.]+ ms: PING ${index + 1} \d+\.\d{6}$`,
          'v',
        ),
      );
    });
    const stats = lines.indexOf(statsHeader(server.port));
    assert.ok(stats > 3, lines.join('\n'));
    assert.equal(lines[stats + 1], '3 sent, 3 received, 0% loss');
    assertSaneRtt(lines[stats + 2]);
    assert.equal(lines.length, stats + 3);

    assert.equal(result.sent, 3);
    assert.equal(result.received, 3);
    assert.equal(result.lossPercent, 0);
    assert.ok(result.rtt !== undefined && result.rtt.min <= result.rtt.max);
    assert.equal(clientExitCode(result), 0);

    // What the server got: three heartbeats it accepts, numbered 1, 2, 3, from one socket.
    const seqs = server.received.map(({payload}) => {
      const request = parseRequest(payload, Date.now());
      assert.equal(request.kind, 'heartbeat');
      return request.kind === 'heartbeat' ? request.seq : undefined;
    });
    assert.deepEqual(seqs, [1, 2, 3]);
    assert.equal(server.ports().size, 1);
  });
});

test('a server that answers every other heartbeat: the rest time out and count as loss', async () => {
  // Seed replies name no heartbeat; with a timeout longer than the interval two heartbeats wait at
  // once, and each reply still belongs to the one just sent.
  const everyOther: Responder = (_payload, index, reply) => {
    if (index % 2 === 0) {
      reply(seedReply);
    }
  };

  await withServer(everyOther, async (server) => {
    const {lines, report} = run({
      port: String(server.port),
      count: '4',
      interval: '0.1',
      timeout: '0.25',
    });
    const result = await report;

    const heartbeats = lines.filter((line) => line.startsWith('seq='));
    assert.deepEqual(
      heartbeats
        .map((line) => line.replace(/ time=[\d.]+ ms/v, ''))
        .toSorted((a, b) => a.localeCompare(b)),
      [
        `seq=1 reply from 127.0.0.1:${server.port}: ${seedReply}`,
        'seq=2 timed out',
        `seq=3 reply from 127.0.0.1:${server.port}: ${seedReply}`,
        'seq=4 timed out',
      ],
    );
    const stats = lines.indexOf(statsHeader(server.port));
    assert.equal(lines[stats + 1], '4 sent, 2 received, 50% loss');
    assertSaneRtt(lines[stats + 2]);
    assert.equal(result.received, 2);
    assert.equal(result.lossPercent, 50);
    assert.equal(clientExitCode(result), 0);
  });
});

test('a late reply that names a heartbeat already timed out is ignored, not given to the next', async () => {
  const lateFirst: Responder = (payload, index, reply) => {
    const echo = text(payload).toUpperCase();
    if (index === 0) {
      // The server's own delay: the answer to seq 1 comes after its timeout, while seq 2 waits.
      setTimeout(() => {
        reply(echo);
      }, 250);
    } else if (index === 2) {
      reply(echo);
    }
  };

  await withServer(lateFirst, async (server) => {
    const {lines, report} = run({
      port: String(server.port),
      count: '3',
      interval: '0.2',
      timeout: '0.15',
      format: 'heartbeat',
    });
    const result = await report;
    const heartbeats = lines.filter((line) => line.startsWith('seq='));
    assert.equal(heartbeats[0], 'seq=1 timed out');
    assert.equal(heartbeats[1], 'seq=2 timed out');
    assert.match(heartbeats[2]!, /^seq=3 reply from .*: HEARTBEAT 3 /v);
    assert.equal(result.received, 1);
  });
});

test('a port where nothing listens: every heartbeat times out, a clear line, no crash, exit 1', async () => {
  const port = await closedPort();
  const resources = activeResources();
  const {lines, report} = run({
    port: String(port),
    count: '3',
    interval: '0.05',
    timeout: '0.1',
  });
  const result = await report;

  const heartbeats = lines.filter((line) => line.startsWith('seq='));
  assert.deepEqual(
    heartbeats.map((line) => line.replace(' (port unreachable)', '')),
    ['seq=1 timed out', 'seq=2 timed out', 'seq=3 timed out'],
  );
  if (process.platform === 'linux') {
    // Linux reports ICMP port unreachable on loopback to a connected socket at once.
    assert.ok(
      heartbeats.every((line) => line.endsWith('(port unreachable)')),
      heartbeats.join('\n'),
    );
  }

  const stats = lines.indexOf(statsHeader(port));
  assert.equal(lines[stats + 1], '3 sent, 0 received, 100% loss');
  assert.match(
    lines[stats + 2]!,
    new RegExp(
      String.raw`^no replies from 127\.0\.0\.1:${port}.*: is the server running, and is the port right\?$`,
      'v',
    ),
  );
  assert.equal(lines.length, stats + 3, 'no rtt line without replies');
  assert.equal(result.received, 0);
  assert.equal(result.rtt, undefined);
  assert.equal(clientExitCode(result), 1);
  await resources.settled();
});

test('--clients 3: three sockets, three source ports, lines and statistics per client', async () => {
  await withServer(echoUpperCase, async (server) => {
    const {lines, report} = run({
      port: String(server.port),
      count: '2',
      interval: '0.03',
      clients: '3',
    });
    const result = await report;

    assert.equal(server.ports().size, 3);
    assert.equal(server.received.length, 6);
    for (const client of [1, 2, 3]) {
      const own = lines.filter((line) =>
        line.startsWith(`[client ${client}] seq=`),
      );
      assert.equal(own.length, 2, lines.join('\n'));
      assert.match(own[0]!, /^\[client \d\] seq=1 reply from /v);
      assert.ok(
        lines.some((line) =>
          line.startsWith(
            `[client ${client}] 2 sent, 2 received, 0% loss, rtt `,
          ),
        ),
        lines.join('\n'),
      );
    }

    const stats = lines.indexOf(
      `--- 127.0.0.1:${server.port} heartbeat statistics (rtt min/avg/max/mdev in ms) ---`,
    );
    assert.ok(stats !== -1, lines.join('\n'));
    assert.equal(
      lines[stats + 4],
      'all 3 clients: 6 sent, 6 received, 0% loss',
    );
    // Each client's line stays well inside a terminal's width.
    for (const line of lines.slice(stats + 1, stats + 4)) {
      assert.match(line, /^\[client \d\] 2 sent, .* rtt [\d.\/]+$/v);
      assert.ok(line.length < 80, line);
    }

    assertSaneRtt(lines[stats + 5]);
    assert.equal(result.sent, 6);
    assert.equal(result.clients.length, 3);
    assert.ok(result.clients.every((client) => client.received === 2));
  });
});

test('aborting mid-run (Ctrl+C) stops sending and prints the statistics so far', async () => {
  await withServer(echoUpperCase, async (server) => {
    const {lines, report, abort} = run({
      port: String(server.port),
      interval: '0.02',
    });
    await waitFor(
      () => lines.filter((line) => line.includes(' reply from ')).length >= 3,
      {
        message: 'three replies',
      },
    );
    abort.abort();
    const result = await report;

    const stats = lines.indexOf(statsHeader(server.port));
    assert.ok(stats > 0, lines.join('\n'));
    assert.match(lines[stats + 1]!, /^\d+ sent, \d+ received, /v);
    assert.ok(result.sent >= 3);
    assert.ok(result.received >= 3);
    assert.equal(
      result.sent,
      result.received + result.awaiting,
      'nothing lost on loopback',
    );
    assert.equal(result.lossPercent, 0);
    assertSaneRtt(lines.at(-1));
  });
});

test('a signal aborted before the start sends nothing and still reports', async () => {
  await withServer(echoUpperCase, async (server) => {
    const lines: string[] = [];
    const result = await runClient(
      parseClientFlags({port: String(server.port)}),
      {
        write(line) {
          lines.push(line);
        },
        signal: AbortSignal.abort(),
      },
    );
    assert.equal(result.sent, 0);
    assert.ok(lines.includes('0 sent, 0 received, 0% loss'), lines.join('\n'));
    assert.ok(!lines.some((line) => line.startsWith('no replies')));
  });
});

test('a host name that does not resolve is one clear line, not an exception', async () => {
  const {lines, report} = run({host: 'no-such-host.invalid', count: '1'});
  const result = await report;
  assert.equal(lines.length, 1);
  assert.match(
    lines[0]!,
    /^--host: cannot resolve "no-such-host\.invalid" \(\w+\); expected /v,
  );
  assert.equal(result.sent, 0);
  assert.equal(clientExitCode(result), 1);
});

test('a name is resolved once, and the header shows the address it stands for', async () => {
  await withServer(echoUpperCase, async (server) => {
    const {lines, report} = run({
      host: 'localhost',
      port: String(server.port),
      count: '1',
    });
    const result = await report;
    assert.match(
      lines[0]!,
      new RegExp(
        String.raw`^HEARTBEAT localhost:${server.port} \(127\.0\.0\.1\): `,
        'v',
      ),
    );
    assert.equal(result.received, 1);
  });
});

test('a reply with terminal escapes is shown escaped on its line', async () => {
  const hostile: Responder = (_payload, _index, reply) => {
    reply('\u001B[2J\u001B]0;owned\u0007' + 'x'.repeat(500));
  };

  await withServer(hostile, async (server) => {
    const {lines, report} = run({port: String(server.port), count: '1'});
    await report;
    const line = lines.find((text) => text.startsWith('seq=1 reply'));
    assert.ok(line, lines.join('\n'));
    assert.ok(line.includes(String.raw`: \x1b[2J\x1b]0;owned\x07xxx`), line);
    assert.ok(line.endsWith('x…'), line);
    assert.ok(![...line].some((character) => character < ' '), line);
  });
});

test('a timeout is told before the replies to later heartbeats, in sequence order', async () => {
  // The second heartbeat gets no answer; its deadline falls when the third is sent (the timeout
  // equals the interval), and the third's reply comes right after.
  const notTheSecond: Responder = (_payload, index, reply) => {
    if (index !== 1) {
      reply(seedReply);
    }
  };

  for (let attempt = 0; attempt < 3; attempt++) {
    await withServer(notTheSecond, async (server) => {
      const {lines, report} = run({
        port: String(server.port),
        count: '4',
        interval: '0.1',
        timeout: '0.1',
      });
      await report;
      const order = lines
        .filter((line) => line.startsWith('seq='))
        .map((line) => /^seq=(?<seq>\d+)/v.exec(line)!.groups!.seq);
      assert.deepEqual(order, ['1', '2', '3', '4'], lines.join('\n'));
    });
  }
});
