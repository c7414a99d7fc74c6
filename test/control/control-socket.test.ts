import assert from 'node:assert/strict';
import {
  chmod,
  lstat,
  mkdir,
  mkdtemp,
  readFile,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import process from 'node:process';
import {after, describe, test} from 'node:test';
import {controlProtocolVersion} from '../../source/control/control-protocol.js';
import {CliProcess, runCli} from '../helpers/cli-process.js';
import {ControlPeer} from '../helpers/control-peer.js';
import {freePort} from '../helpers/free-port.js';
import {UdpPeer} from '../helpers/udp-peer.js';
import {waitFor} from '../helpers/wait-for.js';

const directories: string[] = [];
const servers: CliProcess[] = [];

/** A directory only this user can enter, removed after the tests. */
async function privateDirectory(): Promise<string> {
  const directory = await mkdtemp(
    path.join(tmpdir(), 'udp-heartbeat-control-'),
  );
  await chmod(directory, 0o700);
  directories.push(directory);
  return directory;
}

after(async () => {
  for (const server of servers) {
    server.child.kill('SIGKILL');
  }

  await Promise.all(
    directories.map(async (directory) =>
      rm(directory, {recursive: true, force: true}),
    ),
  );
});

/** A headless server with a control socket; resolves once it serves. */
async function startServer(
  control: readonly string[],
  env: NodeJS.ProcessEnv = {},
  extra: readonly string[] = [],
) {
  const port = await freePort();
  const cli = new CliProcess(
    [
      '--port',
      String(port),
      '--output',
      'text',
      '--idle-timeout',
      '0',
      ...control,
      ...extra,
    ],
    env,
  );
  servers.push(cli);
  await cli.waitForLine(/\bstart\b/v);
  // The control socket opens just after the UDP socket is bound.
  const index = control.indexOf('--control');
  const socketPath =
    control[index + 1] ??
    (env.XDG_RUNTIME_DIR
      ? path.join(env.XDG_RUNTIME_DIR, 'udp-heartbeat', `${port}.sock`)
      : undefined);
  if (socketPath !== undefined) {
    await waitFor(async () => socketAt(socketPath), {
      timeoutMs: 10_000,
      message: `the control socket at ${socketPath}`,
    });
  }

  return {cli, port};
}

async function repliesTo(port: number): Promise<boolean> {
  const peer = await UdpPeer.open();
  try {
    await peer.send(`1 ${(Date.now() / 1000).toFixed(6)}`, port);
    // At 0 % loss every heartbeat is answered.
    await waitFor(() => peer.replies.length > 0, {
      timeoutMs: 10_000,
      message: 'a reply',
    });
    return true;
  } finally {
    await peer.close();
  }
}

function oneLine(stderr: string): string {
  const lines = stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one line, not:\n${stderr}`);
  assert.doesNotMatch(stderr, /\bat .+:\d+:\d+/v, 'no stack trace');
  return lines[0]!;
}

describe('--control from the built CLI', () => {
  test('the socket is 0600 in a directory it creates 0700, and is removed at shutdown', async () => {
    const directory = await privateDirectory();
    const socketPath = path.join(directory, 'run', 'control.sock');
    const {cli} = await startServer(['--control', socketPath]);
    const socketStats = await lstat(socketPath);
    assert.ok(socketStats.isSocket());
    assert.equal(socketStats.mode & 0o777, 0o600);
    assert.equal(await modeOf(path.dirname(socketPath)), 0o700);
    const peer = await ControlPeer.open(socketPath);
    const hello = await peer.waitFor('hello');
    assert.equal(hello.version, controlProtocolVersion);
    assert.equal(hello.pid, cli.child.pid);
    peer.close();
    cli.child.kill('SIGTERM');
    assert.equal(await cli.exit(), 0);
    await assert.rejects(lstat(socketPath), {code: 'ENOENT'});
  });

  test('--control alone puts the socket at $XDG_RUNTIME_DIR/udp-heartbeat/PORT.sock', async () => {
    const runtime = await privateDirectory();
    const {cli, port} = await startServer(['--control'], {
      XDG_RUNTIME_DIR: runtime,
    });
    const socketPath = path.join(runtime, 'udp-heartbeat', `${port}.sock`);
    assert.ok(await socketAt(socketPath));
    assert.equal(await modeOf(path.dirname(socketPath)), 0o700);
    cli.child.kill('SIGTERM');
    assert.equal(await cli.exit(), 0);
  });

  test('without $XDG_RUNTIME_DIR, a directory of its own under the temporary folder', async () => {
    const temporary = await privateDirectory();
    const {cli, port} = await startServer(['--control'], {
      XDG_RUNTIME_DIR: '',
      TMPDIR: temporary,
    });
    const uid = process.getuid?.() ?? 0;
    const directory = path.join(temporary, `udp-heartbeat-${uid}`);
    await waitFor(async () => socketAt(path.join(directory, `${port}.sock`)), {
      timeoutMs: 10_000,
      message: 'the socket under the temporary folder',
    });
    assert.equal(await modeOf(directory), 0o700);
    cli.child.kill('SIGTERM');
    assert.equal(await cli.exit(), 0);
  });

  test('a directory others can enter is refused with one line and exit 2', async () => {
    const directory = await privateDirectory();
    const open = path.join(directory, 'open');
    await mkdir(open, {mode: 0o755});
    await chmod(open, 0o755);
    const {code, stderr} = await runCli([
      '--output',
      'text',
      '--port',
      String(await freePort()),
      '--control',
      path.join(open, 'c.sock'),
    ]);
    assert.equal(code, 2);
    assert.match(
      oneLine(stderr),
      /--control: others can enter the directory .*open.* \(mode 755\)/v,
    );
  });

  test('a directory another user owns is refused with one line and exit 2', async (t) => {
    if (process.getuid?.() !== 0) {
      t.skip('needs root to give a directory to another user');
      return;
    }

    const directory = await privateDirectory();
    const theirs = path.join(directory, 'theirs');
    await mkdir(theirs, {mode: 0o700});
    const {chown} = await import('node:fs/promises');
    await chown(theirs, 65_534, 65_534);
    const {code, stderr} = await runCli([
      '--output',
      'text',
      '--port',
      String(await freePort()),
      '--control',
      path.join(theirs, 'c.sock'),
    ]);
    assert.equal(code, 2);
    assert.match(oneLine(stderr), /belongs to another user/v);
  });

  test('a second server on the same path is refused with exit 1; the first goes on', async () => {
    const directory = await privateDirectory();
    const socketPath = path.join(directory, 'c.sock');
    const first = await startServer(['--control', socketPath], {}, [
      '--loss',
      '0',
    ]);
    const {code, stderr} = await runCli([
      '--output',
      'text',
      '--port',
      String(await freePort()),
      '--control',
      socketPath,
    ]);
    assert.equal(code, 1);
    assert.match(oneLine(stderr), /a running server already holds/v);
    assert.ok(await repliesTo(first.port));
    const peer = await ControlPeer.open(socketPath);
    assert.equal(await helloPid(peer), first.cli.child.pid);
    peer.close();
    first.cli.child.kill('SIGTERM');
    assert.equal(await first.cli.exit(), 0);
  });

  test('a stale socket (its server was killed) is replaced', async () => {
    const directory = await privateDirectory();
    const socketPath = path.join(directory, 'c.sock');
    const dead = await startServer(['--control', socketPath]);
    dead.cli.child.kill('SIGKILL');
    await dead.cli.exit();
    assert.ok(await socketAt(socketPath), 'the killed server left its socket');
    const next = await startServer(['--control', socketPath]);
    const peer = await ControlPeer.open(socketPath);
    assert.equal(await helloPid(peer), next.cli.child.pid);
    peer.close();
    next.cli.child.kill('SIGTERM');
    assert.equal(await next.cli.exit(), 0);
  });

  test('a path longer than a Unix socket allows is one line and exit 2', async () => {
    const directory = await privateDirectory();
    const long = path.join(directory, `${'x'.repeat(120)}.sock`);
    const {code, stderr} = await runCli([
      '--output',
      'text',
      '--port',
      String(await freePort()),
      '--control',
      long,
    ]);
    assert.equal(code, 2);
    assert.match(
      oneLine(stderr),
      /--control: .* is too long for a Unix socket \(at most 107 bytes\)/v,
    );
  });

  test('a file that is not a socket is left alone: one line, exit 2', async () => {
    const directory = await privateDirectory();
    const file = path.join(directory, 'notes.txt');
    await writeFile(file, 'keep me\n');
    const {code, stderr} = await runCli([
      '--output',
      'text',
      '--port',
      String(await freePort()),
      '--control',
      file,
    ]);
    assert.equal(code, 2);
    assert.match(oneLine(stderr), /is not a socket; it is left alone/v);
    assert.equal(await readFile(file, 'utf8'), 'keep me\n');
  });

  test('garbage, oversized, early and half frames close their connection and are counted; serving goes on', async () => {
    const directory = await privateDirectory();
    const socketPath = path.join(directory, 'c.sock');
    const {cli, port} = await startServer(['--control', socketPath], {}, [
      '--loss',
      '0',
    ]);

    const garbage = await ControlPeer.open(socketPath);
    garbage.socket.write(
      Buffer.from([0, 0, 0, 5, 0xff, 0xfe, 0x00, 0x13, 0x37]),
    );
    await garbage.waitClosed();

    const oversized = await ControlPeer.open(socketPath);
    oversized.socket.write(Buffer.from([0xff, 0xff, 0xff, 0xff, 1, 2, 3]));
    await oversized.waitClosed();

    const early = await ControlPeer.open(socketPath);
    early.send({type: 'status'});
    await early.waitClosed();

    const badQuery = await ControlPeer.greeted(socketPath);
    badQuery.send({
      type: 'view',
      // A viewer may not ask for a million rows.
      query: {
        sort: 'client',
        descending: false,
        filter: '',
        start: 0,
        count: 1_000_000,
      },
    });
    await badQuery.waitClosed();

    const half = await ControlPeer.open(socketPath);
    half.socket.write(Buffer.from([0, 0, 0, 100, 1, 2, 3, 4, 5]));
    await waitFor(async () => (await counter(socketPath, 'badFrames')) === 4, {
      timeoutMs: 10_000,
      message: 'four bad frames counted',
    });
    half.close();

    const mismatch = await ControlPeer.open(socketPath);
    await mismatch.waitFor('hello');
    mismatch.send({type: 'hello', version: controlProtocolVersion + 1});
    const refused = await mismatch.waitFor('refused');
    assert.match(refused.reason, /control protocol/v);
    await mismatch.waitClosed();

    const status = await waitFor(
      async () => {
        const now = await ControlPeer.status(socketPath);
        return now.cutOff === 1 && now;
      },
      {timeoutMs: 10_000, message: `the half frame counted`},
    );
    assert.equal(status.badFrames, 4);
    assert.ok(await repliesTo(port));
    assert.equal(cli.child.exitCode, null);
    cli.child.kill('SIGTERM');
    assert.equal(await cli.exit(), 0);
  });

  test('a viewer that never reads has its snapshots dropped; the server answers and stays small', async () => {
    const directory = await privateDirectory();
    const socketPath = path.join(directory, 'c.sock');
    const {cli, port} = await startServer(['--control', socketPath], {}, [
      '--loss',
      '0',
    ]);
    // Many clients, so that every snapshot of a thousand-row view is large.
    const clients: CliProcess = new CliProcess([
      'client',
      '--port',
      String(port),
      '--clients',
      '300',
      '--interval',
      '0.5',
    ]);
    servers.push(clients);
    try {
      await waitFor(async () => (await counter(socketPath, 'viewers')) === 1, {
        timeoutMs: 10_000,
        message: 'the status peer alone',
      });
      const stalled = await ControlPeer.open(socketPath, {read: false});
      stalled.send({type: 'hello', version: controlProtocolVersion});
      stalled.send({
        type: 'view',
        query: {
          sort: 'client',
          descending: false,
          filter: '',
          start: 0,
          count: 1000,
        },
      });
      await waitFor(
        async () => (await counter(socketPath, 'framesDropped')) > 0,
        {
          timeoutMs: 60_000,
          message: 'snapshots dropped for the stalled viewer',
        },
      );
      const rssBefore = await residentBytes(cli.child.pid!);
      const droppedBefore = await counter(socketPath, 'framesDropped');
      await waitFor(
        async () =>
          (await counter(socketPath, 'framesDropped')) >= droppedBefore + 30,
        {timeoutMs: 60_000, message: 'thirty more snapshots dropped'},
      );
      const rssAfter = await residentBytes(cli.child.pid!);
      // Thirty snapshots of 300 rows queued would be some megabytes; dropped, they cost nothing.
      assert.ok(
        rssAfter - rssBefore < 24 * 1024 * 1024,
        `resident memory grew ${rssAfter - rssBefore} bytes`,
      );
      assert.ok(await repliesTo(port));
      stalled.close();
    } finally {
      clients.child.kill('SIGINT');
      await clients.exit();
    }

    cli.child.kill('SIGTERM');
    assert.equal(await cli.exit(), 0);
  });
});

/** Whether a socket is at the path now. */
async function socketAt(file: string): Promise<boolean> {
  const stats = await lstat(file).catch(() => undefined);
  return stats?.isSocket() ?? false;
}

/** The permission bits of a file or directory. */
async function modeOf(file: string): Promise<number> {
  const stats = await stat(file);
  return stats.mode & 0o777;
}

/** One of the control socket's counters. */
async function counter(
  socketPath: string,
  name: keyof Awaited<ReturnType<typeof ControlPeer.status>>,
): Promise<number> {
  const status = await ControlPeer.status(socketPath);
  return status[name];
}

/** The pid the control socket's hello names. */
async function helloPid(peer: ControlPeer): Promise<number> {
  const hello = await peer.waitFor('hello');
  return hello.pid;
}

async function residentBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kilobytes = /VmRSS:\s+(\d+) kB/v.exec(status)?.[1];
  assert.ok(kilobytes !== undefined, 'VmRSS in /proc');
  return Number(kilobytes) * 1024;
}
