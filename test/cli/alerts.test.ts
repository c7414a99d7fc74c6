import assert from 'node:assert/strict';
import {existsSync} from 'node:fs';
import {mkdtemp, readFile, rm} from 'node:fs/promises';
import http from 'node:http';
import {once} from 'node:events';
import type {AddressInfo, Socket} from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {CliProcess, runCli} from '../helpers/cli-process.js';
import {freePort} from '../helpers/free-port.js';
import {UdpPeer} from '../helpers/udp-peer.js';
import {waitFor} from '../helpers/wait-for.js';
import {parseEventLine} from '../helpers/json-events.js';

type JsonEvent = {
  event: string;
  client: string | null;
  detail: string | null;
  state: string | null;
};

/** The JSON events written so far: whole lines only, as a line may be read half written. */
function events(cli: CliProcess): JsonEvent[] {
  return cli.stdout
    .slice(0, cli.stdout.lastIndexOf('\n') + 1)
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => parseEventLine<JsonEvent>(line));
}

let directory: string;

before(async () => {
  directory = await mkdtemp(path.join(os.tmpdir(), 'udp-heartbeat-alerts-'));
});

after(async () => {
  await rm(directory, {recursive: true, force: true});
});

async function startServer(extra: readonly string[]) {
  const port = await freePort();
  const cli = new CliProcess([
    '--port',
    String(port),
    '--output',
    'json',
    '--idle-timeout',
    '0',
    '--loss',
    '0',
    ...extra,
  ]);
  await cli.waitForLine(/"event":"start"/v);
  return {cli, port};
}

/** Three quick heartbeats, then silence: with --dead-after 0.4 the client is late, then stopped. */
async function beatThenFallSilent(
  peer: UdpPeer,
  port: number,
  label = '',
): Promise<void> {
  for (let seq = 1; seq <= 3; seq++) {
    await peer.request(
      `${label}${seq} ${(Date.now() / 1000).toFixed(6)}`,
      port,
    );
  }
}

describe('--on-change from the built CLI', () => {
  test('runs on late, stopped and resumed with the client in its environment', async () => {
    const out = path.join(directory, 'changes.txt');
    const {cli, port} = await startServer([
      '--dead-after',
      '0.4',
      '--alert-on',
      'late,stopped,resumed',
      '--on-change',
      String.raw`printf '%s %s %s %s\n' "$HEARTBEAT_EVENT" "$HEARTBEAT_CLIENT" "$HEARTBEAT_STATE" "$HEARTBEAT_PREVIOUS_STATE" >> '${out}'`,
    ]);
    const peer = await UdpPeer.open();
    const key = `127.0.0.1:${peer.port}`;
    try {
      await beatThenFallSilent(peer, port);
      await waitFor(
        () => events(cli).some((event) => event.event === 'stopped'),
        {
          message: 'the client to stop',
        },
      );
      await peer.request(`4 ${(Date.now() / 1000).toFixed(6)}`, port);
      const lines = await waitFor(
        async () => {
          const text = existsSync(out) ? await readFile(out, 'utf8') : '';
          const all = text.split('\n').filter(Boolean);
          return all.length === 3 ? all : undefined;
        },
        {message: 'three hook runs'},
      );
      assert.deepEqual(lines, [
        `late ${key} late alive`,
        `stopped ${key} stopped late`,
        `resumed ${key} alive stopped`,
      ]);
      assert.equal(
        events(cli).filter((event) => event.event === 'hook-error').length,
        0,
      );
    } finally {
      await peer.close();
      cli.child.kill('SIGTERM');
      assert.equal(await cli.exit(), 0);
    }
  });

  test('a label full of shell metacharacters runs nothing', async () => {
    const out = path.join(directory, 'hostile.txt');
    const marker = path.join(directory, 'pwned');
    const {cli, port} = await startServer([
      '--dead-after',
      '0.4',
      '--client-key',
      'address',
      '--on-change',
      `echo "$HEARTBEAT_CLIENT" >> '${out}'`,
    ]);
    const peer = await UdpPeer.open();
    try {
      const hostile = `$(touch ${marker}); touch ${marker}; \`touch ${marker}\` && touch ${marker}`;
      for (let seq = 1; seq <= 3; seq++) {
        await peer.send(`Ping ${hostile} ${seq}`, port);
        await peer.send(`${hostile}`, port);
      }

      await waitFor(() => existsSync(out), {message: 'the hook to run'});
      assert.equal(await readFile(out, 'utf8'), `127.0.0.1:${peer.port}\n`);
      assert.equal(existsSync(marker), false);
    } finally {
      await peer.close();
      cli.child.kill('SIGTERM');
      await cli.exit();
    }
  });

  test('a hook that hangs and a webhook nobody answers never delay a reply, and end as hook errors', async () => {
    const sockets = new Set<Socket>();
    const silent = http.createServer(() => {
      // Never answers.
    });
    silent.on('connection', (socket) => {
      sockets.add(socket);
    });
    silent.listen(0, '127.0.0.1');
    await once(silent, 'listening');
    const hookPort = (silent.address() as AddressInfo).port;
    const {cli, port} = await startServer([
      '--dead-after',
      '0.3',
      '--hook-timeout',
      '1',
      '--on-change',
      'sleep 60',
      '--webhook',
      `http://127.0.0.1:${hookPort}/hook`,
    ]);
    const quiet = await UdpPeer.open();
    const busy = await UdpPeer.open();
    try {
      await beatThenFallSilent(quiet, port);
      await waitFor(
        () => events(cli).some((event) => event.event === 'stopped'),
        {
          message: 'the quiet client to stop',
        },
      );
      // While both hooks hang, a client beating every 5 ms gets every reply.
      const started = Date.now();
      for (let seq = 1; seq <= 300; seq++) {
        await busy.send(`${seq} ${(Date.now() / 1000).toFixed(6)}`, port);
        await new Promise((resolve) => {
          setTimeout(resolve, 5);
        });
      }

      await waitFor(() => busy.replies.length === 300, {
        message: `300 replies, got ${busy.replies.length}`,
      });
      assert.ok(
        Date.now() - started > 1500,
        'the hooks were hanging meanwhile',
      );
      const errors = await waitFor(
        () => {
          const details = events(cli)
            .filter((event) => event.event === 'hook-error')
            .map((event) => event.detail ?? '');
          const quietKey = `127.0.0.1:${quiet.port}`;
          const command = details.find((detail) =>
            detail.startsWith(`--on-change for ${quietKey} stopped:`),
          );
          const webhook = details.find((detail) =>
            detail.startsWith(
              `--webhook http://127.0.0.1:${hookPort} for ${quietKey} stopped:`,
            ),
          );
          return command !== undefined && webhook !== undefined
            ? [command, webhook]
            : undefined;
        },
        {timeoutMs: 20_000, message: 'both hooks of the quiet client to fail'},
      );
      assert.match(errors[0], /: still running after 1 s, stopped$/v);
      assert.match(errors[1], /: no answer within 1 s \(3 tries\)$/v);
    } finally {
      for (const socket of sockets) {
        socket.destroy();
      }

      silent.close();
      await quiet.close();
      await busy.close();
      cli.child.kill('SIGTERM');
      assert.equal(await cli.exit(), 0);
    }
  });

  test('the queue stays bounded under a thousand state changes', async () => {
    const {cli, port} = await startServer([
      '--dead-after',
      '0.2',
      '--alert-on',
      'late,stopped',
      '--on-change',
      'sleep 60',
    ]);
    try {
      // Every socket stays open until the end, so that no port is reused and each is one client.
      const peers: UdpPeer[] = [];
      for (let index = 0; index < 1000; index++) {
        const peer = await UdpPeer.open();
        peers.push(peer);
        await peer.send(`1 ${(Date.now() / 1000).toFixed(6)}`, port);
      }

      await Promise.all(peers.map(async (peer) => peer.close()));
      // 1000 clients, each stopped after 0.2 s: far more hook runs than four at a time and 256 waiting.
      await waitFor(
        () =>
          events(cli).filter((event) => event.event === 'stopped').length ===
          1000,
        {timeoutMs: 20_000, message: '1000 stopped clients'},
      );
      const full = await waitFor(
        () =>
          events(cli).find(
            (event) =>
              event.event === 'hook-error' &&
              event.detail?.startsWith('alert queue full'),
          ),
        {message: 'an overflow report'},
      );
      assert.match(
        full.detail!,
        /^alert queue full \(256 waiting\): \d+ hook run\(s\) dropped so far$/v,
      );
      // One report a second at most, not one per dropped hook.
      const reports = events(cli).filter(
        (event) => event.event === 'hook-error',
      ).length;
      assert.ok(reports < 30, `${reports} hook-error lines`);
      const peer = await UdpPeer.open();
      assert.match(await peer.request('Ping 1', port), /^PING 1$/v);
      await peer.close();
    } finally {
      cli.child.kill('SIGTERM');
      assert.equal(await cli.exit(), 0);
    }
  });
});

describe('--webhook from the built CLI', () => {
  test('posts each stopped and resumed client as JSON', async () => {
    const bodies: unknown[] = [];
    const server = http.createServer((request, response) => {
      let body = '';
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => {
        body += chunk;
      });
      request.on('end', () => {
        bodies.push(JSON.parse(body));
        response.writeHead(200).end();
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const hookPort = (server.address() as AddressInfo).port;
    const {cli, port} = await startServer([
      '--dead-after',
      '0.4',
      '--webhook',
      `http://127.0.0.1:${hookPort}/hook`,
    ]);
    const peer = await UdpPeer.open();
    try {
      await beatThenFallSilent(peer, port);
      await waitFor(() => bodies.length === 1, {message: 'the stopped alert'});
      await peer.request(`9 ${(Date.now() / 1000).toFixed(6)}`, port);
      await waitFor(() => bodies.length === 2, {message: 'the resumed alert'});
      const {session} = JSON.parse(cli.lines()[0]!) as {session: string};
      assert.deepEqual(
        bodies.map((body) => {
          const {
            time,
            silent_ms: silentMs,
            ...rest
          } = body as Record<string, unknown>;
          assert.match(
            String(time),
            /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+\-]\d\d:\d\d$/v,
          );
          assert.ok(Number(silentMs) >= 400, `silent_ms ${String(silentMs)}`);
          return rest;
        }),
        [
          {
            event: 'stopped',
            client: `127.0.0.1:${peer.port}`,
            state: 'stopped',
            previous_state: 'late',
            session,
          },
          {
            event: 'resumed',
            client: `127.0.0.1:${peer.port}`,
            state: 'alive',
            previous_state: 'stopped',
            session,
          },
        ],
      );
    } finally {
      await peer.close();
      server.close();
      cli.child.kill('SIGTERM');
      await cli.exit();
    }
  });
});

describe('alert flag mistakes from the built CLI', () => {
  for (const [flag, value] of [
    ['--webhook', 'not a url'],
    ['--webhook', 'ftp://127.0.0.1/x'],
    ['--alert-on', 'dead'],
    ['--alert-on', ''],
    ['--on-change', ''],
    ['--hook-timeout', '0'],
    ['--hook-timeout', 'soon'],
  ] as const) {
    test(`${flag} ${JSON.stringify(value)} is one line and exit 2`, async () => {
      const result = await runCli(['--output', 'text', flag, value]);
      assert.equal(result.code, 2);
      assert.match(
        result.stderr,
        new RegExp(String.raw`^udp-heartbeat: ${flag}: .+\n$`, 'v'),
      );
      assert.equal(result.stdout, '');
    });
  }
});
