import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {
  access,
  chmod,
  mkdir,
  mkdtemp,
  readFile,
  rm,
  writeFile,
  rename,
} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, describe, test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {parse} from 'csv-parse/sync';
import {CliProcess} from '../helpers/cli-process.js';
import {freePort} from '../helpers/free-port.js';
import {UdpPeer} from '../helpers/udp-peer.js';
import {waitFor} from '../helpers/wait-for.js';

/*
SIGUSR1 reopens the --log file at its path, for logrotate: under a steady stream of heartbeats,
every one is in exactly one of the files, each file ends on a whole row, and each new file starts
with the header. SIGHUP still shuts down.
*/

const root = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
);
const directories: string[] = [];
const processes: CliProcess[] = [];
after(async () => {
  for (const cli of processes) {
    cli.child.kill('SIGKILL');
  }

  await Promise.all(
    directories.map(async (directory) =>
      rm(directory, {recursive: true, force: true}),
    ),
  );
});

async function workDirectory(): Promise<string> {
  const directory = await mkdtemp(path.join(tmpdir(), 'udp-heartbeat-reopen-'));
  await chmod(directory, 0o700);
  directories.push(directory);
  return directory;
}

async function startServer(logPath: string) {
  const port = await freePort();
  const cli = new CliProcess([
    '--port',
    String(port),
    '--output',
    'text',
    '--quiet',
    '--loss',
    '0',
    '--idle-timeout',
    '0',
    '--log',
    logPath,
  ]);
  processes.push(cli);
  await cli.waitForLine(/\bstart\b/v);
  return {cli, port};
}

/** Sends numbered heartbeats every `intervalMs` until stopped; says how many it sent. */
function stream(peer: UdpPeer, port: number, intervalMs: number) {
  let sent = 0;
  const timer = setInterval(() => {
    sent++;
    void peer.send(String(sent), port).catch(() => undefined);
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      return sent;
    },
  };
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

/** Every file's rows for `client`: the sequence numbers of its replied heartbeats, and checks. */
async function accountFor(
  files: readonly string[],
  client: string,
): Promise<number[]> {
  const seqs: number[] = [];
  for (const file of files) {
    const text = await readFile(file, 'utf8');
    assert.ok(text.endsWith('\n'), `${file} ends on a whole row`);
    assert.ok(
      text.startsWith('session,time,event,'),
      `${file} starts with the header`,
    );
    const rows = parse<Record<string, string>>(text, {
      columns: true,
      relax_column_count: true,
    });
    for (const row of rows) {
      if (row.event === 'replied' && row.client === client) {
        seqs.push(Number(row.seq));
      }
    }
  }

  return seqs.toSorted((a, b) => a - b);
}

async function rotate(
  logPath: string,
  generation: number,
  signal: () => Promise<void>,
): Promise<string> {
  const moved = `${logPath}.${generation}`;
  await rename(logPath, moved);
  await signal();
  // The server opens a fresh file at the path, header first.
  await waitFor(async () => exists(logPath), {
    timeoutMs: 10_000,
    message: 'a fresh log at the same path',
  });
  return moved;
}

async function finish(
  cli: CliProcess,
  peer: UdpPeer,
  port: number,
  sending: {stop(): number},
  files: string[],
): Promise<void> {
  const sent = sending.stop();
  await waitFor(() => peer.replies.length >= sent, {
    timeoutMs: 20_000,
    message: `replies to all ${sent} heartbeats`,
  });
  cli.child.kill('SIGTERM');
  assert.equal(await cli.exit(), 0);
  const seqs = await accountFor(files, `127.0.0.1:${peer.port}`);
  // Each heartbeat once: none lost, none doubled, across every file.
  assert.equal(seqs.length, sent);
  assert.deepEqual(
    seqs,
    Array.from({length: sent}, (_, index) => index + 1),
  );
  assert.ok(port > 0);
}

describe('SIGUSR1 reopens the log', () => {
  test('three rotations under a steady stream: every row in exactly one file', async () => {
    const directory = await workDirectory();
    const logPath = path.join(directory, 'heartbeats.csv');
    const {cli, port} = await startServer(logPath);
    const peer = await UdpPeer.open();
    const sending = stream(peer, port, 3);
    const files: string[] = [];
    for (let generation = 1; generation <= 3; generation++) {
      const before = peer.replies.length;
      await waitFor(() => peer.replies.length > before + 100, {
        timeoutMs: 20_000,
        message: 'a hundred more replies',
      });
      files.push(
        await rotate(logPath, generation, async () => {
          cli.child.kill('SIGUSR1');
        }),
      );
    }

    const before = peer.replies.length;
    await waitFor(() => peer.replies.length > before + 100, {
      timeoutMs: 20_000,
      message: 'a hundred more replies',
    });
    files.push(logPath);
    await finish(cli, peer, port, sending, files);
    await peer.close();
  });

  test('SIGHUP still shuts down, with the summary', async () => {
    const directory = await workDirectory();
    const {cli} = await startServer(path.join(directory, 'log.csv'));
    cli.child.kill('SIGHUP');
    assert.equal(await cli.exit(), 0);
    assert.match(cli.stdout, /udp-heartbeat summary/v);
  });

  test('logrotate with the shipped config rotates a live log', async (t) => {
    const logrotate = spawnSync('sh', ['-c', 'command -v logrotate'], {
      encoding: 'utf8',
    }).stdout.trim();
    if (logrotate === '') {
      t.skip('logrotate is not installed (apt-get install logrotate); skipped');
      return;
    }

    const directory = await workDirectory();
    const logPath = path.join(directory, 'heartbeats.csv');
    const {cli, port} = await startServer(logPath);
    // The shipped config, its path moved here; its postrotate runs `systemctl kill`, which a stub
    // on the PATH turns into the same signal to this server, after checking the words it was given.
    const shipped = await readFile(
      path.join(root, 'docs', 'logrotate', 'udp-heartbeat'),
      'utf8',
    );
    assert.ok(shipped.includes('/var/lib/udp-heartbeat/heartbeats.csv {'));
    const config = path.join(directory, 'logrotate.conf');
    await writeFile(
      config,
      shipped.replace('/var/lib/udp-heartbeat/heartbeats.csv', logPath),
      {mode: 0o644},
    );
    const bin = path.join(directory, 'bin');
    await mkdir(bin);
    const calls = path.join(directory, 'systemctl-calls');
    await writeFile(
      path.join(bin, 'systemctl'),
      [
        '#!/bin/sh',
        `echo "$*" >> ${JSON.stringify(calls)}`,
        'if [ "$*" = "kill --kill-whom=main --signal=USR1 udp-heartbeat.service" ]; then',
        `  exec kill -USR1 ${cli.child.pid}`,
        'fi',
        'exit 1',
        '',
      ].join('\n'),
      {mode: 0o755},
    );
    const peer = await UdpPeer.open();
    const sending = stream(peer, port, 3);
    await waitFor(() => peer.replies.length > 200, {
      timeoutMs: 20_000,
      message: 'two hundred replies',
    });
    const rotation = spawnSync(
      logrotate,
      ['--force', '--state', path.join(directory, 'state'), config],
      {
        encoding: 'utf8',
        env: {...process.env, PATH: `${bin}:${process.env.PATH ?? ''}`},
      },
    );
    assert.equal(rotation.status, 0, rotation.stderr);
    const called = await readFile(calls, 'utf8');
    assert.equal(
      called.trim(),
      'kill --kill-whom=main --signal=USR1 udp-heartbeat.service',
    );
    // delaycompress: the first rotated file stays as it is, for the rows written before the signal.
    const rotated = `${logPath}.1`;
    assert.ok(await exists(rotated), 'logrotate moved the log to .1');
    await waitFor(async () => exists(logPath), {
      timeoutMs: 10_000,
      message: 'the server to open a fresh log',
    });
    const before = peer.replies.length;
    await waitFor(() => peer.replies.length > before + 100, {
      timeoutMs: 20_000,
      message: 'a hundred more replies',
    });
    await finish(cli, peer, port, sending, [rotated, logPath]);
    await peer.close();
  });
});
