import assert from 'node:assert/strict';
import {once} from 'node:events';
import {chmod, mkdtemp, readFile, rm, lstat} from 'node:fs/promises';
import {createServer, type Socket} from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, test} from 'node:test';
import {parse} from 'csv-parse/sync';
import {
  controlProtocolVersion,
  encodeFrame,
} from '../../source/control/control-protocol.js';
import type {EngineInfo} from '../../source/engine/types.js';
import {CliProcess} from '../helpers/cli-process.js';
import {freePort} from '../helpers/free-port.js';
import {PtyCli} from '../helpers/pty-cli.js';
import {UdpPeer} from '../helpers/udp-peer.js';
import {waitFor} from '../helpers/wait-for.js';
import {
  clientOrder,
  headerLine,
  keepSending,
  keyOf,
  lastFrame,
  rowOf,
  sendThenFallSilent,
  statusLine,
  waitForFrame,
} from './dashboard-screen.js';

/*
`udp-heartbeat attach` in a pseudo-terminal, drawing a headless server that runs with --control
and --log and real clients on loopback: its rows, every key, commands that reach the server and
its log, detaching, several viewers with views of their own, and the idle prompt's `y`.
*/

const cleanups: Array<() => Promise<void> | void> = [];
after(async () => {
  for (const cleanup of cleanups.toReversed()) {
    await cleanup();
  }
});

type Service = {
  readonly cli: CliProcess;
  readonly port: number;
  readonly socketPath: string;
  readonly logPath: string;
};

async function startService(extra: readonly string[]): Promise<Service> {
  const directory = await mkdtemp(path.join(tmpdir(), 'udp-heartbeat-attach-'));
  await chmod(directory, 0o700);
  cleanups.push(async () => rm(directory, {recursive: true, force: true}));
  const port = await freePort();
  const socketPath = path.join(directory, 'c.sock');
  const logPath = path.join(directory, 'log.csv');
  const cli = new CliProcess([
    '--port',
    String(port),
    '--output',
    'text',
    '--quiet',
    '--control',
    socketPath,
    '--log',
    logPath,
    ...extra,
  ]);
  cleanups.push(() => {
    cli.child.kill('SIGKILL');
  });
  await cli.waitForLine(/\bstart\b/v);
  await waitFor(
    async () => {
      const stats = await lstat(socketPath).catch(() => undefined);
      return stats?.isSocket() ?? false;
    },
    {timeoutMs: 10_000, message: 'the control socket'},
  );
  return {cli, port, socketPath, logPath};
}

function attach(service: Service, rows = 40): PtyCli {
  const viewer = new PtyCli(['attach', service.socketPath], {
    columns: 180,
    rows,
  });
  cleanups.push(() => {
    viewer.kill();
  });
  return viewer;
}

async function peers(count: number): Promise<UdpPeer[]> {
  const opened: UdpPeer[] = [];
  for (let index = 0; index < count; index++) {
    const peer = await UdpPeer.open();
    cleanups.push(async () => peer.close());
    opened.push(peer);
  }

  return opened.toSorted((a, b) => a.port - b.port);
}

/** The log's rows of one event, as records. */
async function logged(
  service: Service,
  event: string,
): Promise<Array<Record<string, string>>> {
  const text = await readFile(service.logPath, 'utf8');
  const rows = parse<Record<string, string>>(text, {
    columns: true,
    relax_column_count: true,
  });
  return rows.filter((row) => row.event === event);
}

async function waitForLogged(
  service: Service,
  event: string,
  match: (row: Record<string, string>) => boolean = () => true,
): Promise<void> {
  await waitFor(
    async () => {
      const rows = await logged(service, event);
      return rows.some((row) => match(row));
    },
    {timeoutMs: 10_000, message: `a ${event} row in the server's log`},
  );
}

/** Opens an input line with `key`, types `text` once it shows, and presses Enter once echoed. */
async function typeLine(
  viewer: PtyCli,
  key: string,
  label: string,
  text: string,
): Promise<void> {
  viewer.press(key);
  await waitForFrame(
    viewer,
    (frame) =>
      frame.split(/\r?\n/v).some((line) => line.startsWith(`${label}: `)),
    `the ${label} input line`,
  );
  viewer.press(text);
  await waitForFrame(viewer, (frame) => frame.includes(text), `${text} typed`);
  viewer.press('\r');
}

async function repliesTo(port: number): Promise<void> {
  const peer = await UdpPeer.open();
  try {
    await peer.send('1', port);
    await waitFor(() => peer.replies.length > 0, {
      timeoutMs: 10_000,
      message: 'a reply from the server',
    });
  } finally {
    await peer.close();
  }
}

test('a viewer draws the server rows, every key works, and q detaches while it goes on serving', async () => {
  const service = await startService(['--loss', '0', '--idle-timeout', '0']);
  const clients = await peers(3);
  for (const peer of clients) {
    cleanups.push(keepSending(peer, service.port, 100));
  }

  const keys = clients.map((peer) => keyOf(peer));
  const viewer = attach(service);
  const first = await waitForFrame(
    viewer,
    (frame) => keys.every((key) => rowOf(frame, key) !== undefined),
    'a row for every client',
    20_000,
  );
  assert.match(
    headerLine(first),
    new RegExp(
      String.raw`listening 0\.0\.0\.0:${service.port}  attached to ${service.socketPath.replaceAll('.', String.raw`\.`)} \(pid ${service.cli.child.pid}\)`,
      'v',
    ),
  );
  assert.deepEqual(clientOrder(first), keys);

  const lossShows = async (percent: string) =>
    waitForFrame(
      viewer,
      (frame) => headerLine(frame).includes(`loss ${percent}%`),
      `loss ${percent}% in the header`,
    );

  // The loss keys change the server's loss: the header, and a `loss` row in the server's log.
  viewer.press('5');
  await lossShows('50');
  await waitForLogged(service, 'loss', (row) => row.detail === 'loss=50%');
  viewer.press('+');
  await lossShows('55');
  viewer.press('-');
  await lossShows('50');
  viewer.press(']');
  await lossShows('51');
  viewer.press('[');
  await lossShows('50');
  await typeLine(viewer, 'L', 'loss %', '12.5');
  await lossShows('12.5');
  await waitForLogged(service, 'loss', (row) => row.detail === 'loss=12.5%');
  viewer.press('0');
  await lossShows('0');

  // Sorting and the cursor are the viewer's own.
  viewer.press('s');
  await waitForFrame(
    viewer,
    (frame) => statusLine(frame).startsWith('sorted by state'),
    'sorted by state',
  );
  viewer.press('S');
  await waitForFrame(
    viewer,
    (frame) => statusLine(frame).startsWith('sorted by state (ascending)'),
    'S reverses',
  );
  // recv, loss%, delay, interval, last seen, and back to client.
  for (let press = 0; press < 6; press++) {
    const before = statusLine(lastFrame(viewer)).split('  ')[0];
    viewer.press('s');
    await waitForFrame(
      viewer,
      (frame) => statusLine(frame).split('  ')[0] !== before,
      'the next sort column',
    );
  }

  await waitForFrame(
    viewer,
    (frame) => statusLine(frame).startsWith('sorted by client'),
    'back to client',
  );
  viewer.press('\u001B[B');
  await waitForFrame(
    viewer,
    (frame) => statusLine(frame).includes('row 2 of 3'),
    '↓ moves to row 2',
  );
  viewer.press('\u001B[F');
  await waitForFrame(
    viewer,
    (frame) => statusLine(frame).includes('row 3 of 3'),
    'End',
  );
  viewer.press('\u001B[A');
  await waitForFrame(
    viewer,
    (frame) => statusLine(frame).includes('row 2 of 3'),
    '↑',
  );
  viewer.press('\u001B[H');
  await waitForFrame(
    viewer,
    (frame) => statusLine(frame).includes('row 1 of 3'),
    'Home',
  );
  viewer.press('\u001B[6~');
  await waitForFrame(
    viewer,
    (frame) => statusLine(frame).includes('row 3 of 3'),
    'PgDn',
  );
  viewer.press('\u001B[5~');
  await waitForFrame(
    viewer,
    (frame) => statusLine(frame).includes('row 1 of 3'),
    'PgUp',
  );

  // The filter keeps the one client it names.
  await typeLine(viewer, '/', 'filter', String(clients[1]!.port));
  await waitForFrame(
    viewer,
    (frame) =>
      clientOrder(frame).length === 1 && clientOrder(frame)[0] === keys[1],
    'only the filtered client',
  );
  // Esc on the table clears the filter.
  viewer.press('\u001B');
  await waitForFrame(
    viewer,
    (frame) => clientOrder(frame).length === 3,
    'the filter cleared',
  );

  // Enter opens the selected client's detail; Esc goes back.
  viewer.press('\r');
  await waitForFrame(
    viewer,
    (frame) =>
      frame.includes(keys[0]!) &&
      rowOf(frame, keys[1]!) === undefined &&
      /delay/iv.test(frame),
    'the detail view',
  );
  viewer.press('\u001B');
  await waitForFrame(
    viewer,
    (frame) => clientOrder(frame).length === 3,
    'back to the table',
  );

  // p freezes this viewer only; m mutes the server's alerts.
  viewer.press('p');
  await waitForFrame(
    viewer,
    (frame) => headerLine(frame).includes('FROZEN'),
    'FROZEN',
  );
  viewer.press('p');
  await waitForFrame(
    viewer,
    (frame) => !headerLine(frame).includes('FROZEN'),
    'unfrozen',
  );
  viewer.press('m');
  await waitForFrame(
    viewer,
    (frame) => headerLine(frame).includes('MUTED'),
    'MUTED',
  );
  viewer.press('m');
  await waitForFrame(
    viewer,
    (frame) => !headerLine(frame).includes('MUTED'),
    'unmuted',
  );

  // r asks, y resets the server's counters: a `reset` row in its log.
  viewer.press('r');
  await waitForFrame(
    viewer,
    (frame) => frame.includes('Reset every counter?'),
    'the reset prompt',
  );
  viewer.press('y');
  await waitForLogged(service, 'reset');

  // x forgets stopped clients on the server: a `forget` row.
  viewer.press('x');
  await waitForLogged(service, 'forget');

  // ? shows the help; any key closes it.
  viewer.press('?');
  await waitForFrame(
    viewer,
    (frame) => /help/iv.test(frame) && statusLine(frame) === '',
    'the help',
  );
  viewer.press('?');
  await waitForFrame(
    viewer,
    (frame) => clientOrder(frame).length === 3,
    'the table again',
  );

  viewer.press('q');
  assert.equal(await viewer.waitForExit(), 0);
  assert.match(
    viewer.text(),
    /Detached from .*c\.sock; the server \(pid \d+\) goes on\./v,
  );
  assert.equal(service.cli.child.exitCode, null, 'the server goes on');
  await repliesTo(service.port);
  service.cli.child.kill('SIGTERM');
  assert.equal(await service.cli.exit(), 0);
});

test('two viewers keep views of their own', async () => {
  const service = await startService([
    '--loss',
    '0',
    '--idle-timeout',
    '0',
    '--dead-after',
    '1',
  ]);
  const [steady, silent] = await peers(2);
  cleanups.push(keepSending(steady!, service.port, 60));
  await sendThenFallSilent(silent!, service.port, 5, 50);
  const one = attach(service);
  const two = attach(service);
  const bothStates = (frame: string) =>
    rowOf(frame, keyOf(silent!))?.cells.state === 'stopped' &&
    rowOf(frame, keyOf(steady!))?.cells.state === 'alive';
  await waitForFrame(one, bothStates, 'both clients in viewer one', 20_000);
  await waitForFrame(two, bothStates, 'both clients in viewer two', 20_000);

  // Viewer one sorts by state, worst first; viewer two stays by client.
  one.press('s');
  const sortedOne = await waitForFrame(
    one,
    (frame) =>
      statusLine(frame).startsWith('sorted by state (descending)') &&
      bothStates(frame),
    'viewer one sorted by state',
  );
  assert.deepEqual(clientOrder(sortedOne), [keyOf(silent!), keyOf(steady!)]);
  // Viewer two filters to the steady client alone.
  await typeLine(two, '/', 'filter', String(steady!.port));
  const filteredTwo = await waitForFrame(
    two,
    (frame) => clientOrder(frame).length === 1,
    'viewer two filtered',
  );
  assert.deepEqual(clientOrder(filteredTwo), [keyOf(steady!)]);
  assert.match(statusLine(filteredTwo), /^sorted by client/v);
  // Several frames later, each still shows its own view.
  await waitFor(() => lastFrame(one) !== sortedOne, {
    timeoutMs: 5000,
    message: 'a newer frame',
  });
  const laterOne = await waitForFrame(one, bothStates, 'viewer one later');
  assert.deepEqual(clientOrder(laterOne), [keyOf(silent!), keyOf(steady!)]);
  assert.match(statusLine(laterOne), /^sorted by state \(descending\)/v);
  assert.deepEqual(clientOrder(lastFrame(two)), [keyOf(steady!)]);

  one.press('q');
  two.press('q');
  assert.equal(await one.waitForExit(), 0);
  assert.equal(await two.waitForExit(), 0);
  service.cli.child.kill('SIGTERM');
  assert.equal(await service.cli.exit(), 0);
});

test("y at a viewer's idle prompt shuts the server down; every viewer prints the summary", async () => {
  const service = await startService(['--loss', '0', '--idle-timeout', '1']);
  const [peer] = await peers(1);
  await sendThenFallSilent(peer!, service.port, 3, 20);
  const one = attach(service);
  const two = attach(service);
  const prompt = (frame: string) =>
    frame.includes('No heartbeat for') && frame.includes('(y/n)');
  await waitForFrame(one, prompt, 'the idle prompt in viewer one', 20_000);
  await waitForFrame(two, prompt, 'the idle prompt in viewer two', 20_000);
  one.press('y');
  assert.equal(await service.cli.exit(20_000), 0);
  assert.equal(await one.waitForExit(), 0);
  assert.equal(await two.waitForExit(), 0);
  for (const viewer of [one, two]) {
    viewer.mark = 0;
    assert.match(viewer.text(), /udp-heartbeat summary/v);
    assert.match(
      viewer.text(),
      new RegExp(keyOf(peer!).replaceAll('.', String.raw`\.`), 'v'),
    );
  }

  await assert.rejects(lstat(service.socketPath), {code: 'ENOENT'});
  await waitForLogged(service, 'stop');
});

test('a server with its own dashboard and --control: the host and a viewer keep their own views', async () => {
  const directory = await mkdtemp(path.join(tmpdir(), 'udp-heartbeat-attach-'));
  await chmod(directory, 0o700);
  cleanups.push(async () => rm(directory, {recursive: true, force: true}));
  const port = await freePort();
  const socketPath = path.join(directory, 'c.sock');
  const host = new PtyCli(
    [
      '--port',
      String(port),
      '--loss',
      '0',
      '--idle-timeout',
      '0',
      '--control',
      socketPath,
    ],
    {columns: 180, rows: 40},
  );
  cleanups.push(() => {
    host.kill();
  });
  const clients = await peers(2);
  for (const peer of clients) {
    cleanups.push(keepSending(peer, port, 100));
  }

  const keys = clients.map((peer) => keyOf(peer));
  const both = (frame: string) =>
    keys.every((key) => rowOf(frame, key) !== undefined);
  await waitForFrame(host, both, 'the host shows both clients', 20_000);
  const viewer = new PtyCli(['attach', socketPath], {columns: 180, rows: 40});
  cleanups.push(() => {
    viewer.kill();
  });
  await waitForFrame(viewer, both, 'the viewer shows both clients', 20_000);
  // The viewer filters to one client; the host moves its cursor down.
  await typeLine(viewer, '/', 'filter', String(clients[1]!.port));
  host.press('\u001B[B');
  await waitForFrame(
    viewer,
    (frame) =>
      clientOrder(frame).length === 1 && clientOrder(frame)[0] === keys[1],
    'the viewer filtered',
  );
  const hostFrame = await waitForFrame(
    host,
    (frame) => both(frame) && statusLine(frame).includes('row 2 of 2'),
    'the host unfiltered, on row 2',
  );
  assert.doesNotMatch(statusLine(hostFrame), /filter/v);
  // Several frames later the host still has its own view.
  await waitFor(() => lastFrame(host) !== hostFrame, {
    timeoutMs: 5000,
    message: 'a newer host frame',
  });
  assert.deepEqual(clientOrder(lastFrame(host)), keys);
  viewer.press('q');
  assert.equal(await viewer.waitForExit(), 0);
  host.press('q');
  assert.equal(await host.waitForExit(), 0);
  await assert.rejects(lstat(socketPath), {code: 'ENOENT'});
});

// Never read: the viewer refuses the version before it looks.
// eslint-disable-next-line @typescript-eslint/consistent-type-assertions
const noInfo = {} as EngineInfo;

/** A socket that answers as the test says, not as a server would. */
async function fakeServer(
  socketPath: string,
  answer: (socket: Socket) => void,
): Promise<void> {
  const server = createServer(answer);
  server.listen(socketPath);
  await once(server, 'listening');
  cleanups.push(() => {
    server.close();
  });
}

/** Attaches to `target` and returns its exit code and what it printed. */
async function attachFails(
  target: readonly string[],
): Promise<{code: number; text: string}> {
  const viewer = new PtyCli(['attach', ...target]);
  cleanups.push(() => {
    viewer.kill();
  });
  const code = await viewer.waitForExit(20_000);
  const text = viewer.text().trim();
  assert.doesNotMatch(text, /\bat .+:\d+:\d+/v, 'no stack trace');
  assert.equal(text.split('\n').length, 1, `one line, not:\n${text}`);
  return {code, text};
}

test('attach to nothing, a dead server, another version, garbage, a bad port or flag: one line and an exit code', async () => {
  const directory = await mkdtemp(path.join(tmpdir(), 'udp-heartbeat-attach-'));
  await chmod(directory, 0o700);
  cleanups.push(async () => rm(directory, {recursive: true, force: true}));

  const missing = await attachFails([path.join(directory, 'none.sock')]);
  assert.equal(missing.code, 1);
  assert.match(
    missing.text,
    /^udp-heartbeat: attach: nothing at .*none\.sock.*; is a server running with --control\?$/v,
  );

  // A server killed outright leaves its socket behind, with nothing listening.
  const service = await startService(['--idle-timeout', '0']);
  service.cli.child.kill('SIGKILL');
  await service.cli.exit();
  const dead = await attachFails([service.socketPath]);
  assert.equal(dead.code, 1);
  assert.match(dead.text, /attach: nothing is listening at .*c\.sock/v);

  const newer = path.join(directory, 'newer.sock');
  await fakeServer(newer, (socket) => {
    socket.write(
      encodeFrame({
        type: 'hello',
        version: controlProtocolVersion + 1,
        pid: 1,
        info: noInfo,
      }),
    );
  });
  const version = await attachFails([newer]);
  assert.equal(version.code, 1);
  assert.match(
    version.text,
    new RegExp(
      `speaks control protocol ${controlProtocolVersion + 1}; this udp-heartbeat speaks ${controlProtocolVersion}`,
      'v',
    ),
  );

  const garbage = path.join(directory, 'garbage.sock');
  await fakeServer(garbage, (socket) => {
    socket.write(Buffer.from([0, 0, 0, 3, 0xff, 0x00, 0x42]));
  });
  const noise = await attachFails([garbage]);
  assert.equal(noise.code, 1);
  assert.match(
    noise.text,
    /attach: the server sent a frame that does not decode/v,
  );

  const silent = path.join(directory, 'silent.sock');
  await fakeServer(silent, () => undefined);
  const quiet = await attachFails([silent]);
  assert.equal(quiet.code, 1);
  assert.match(quiet.text, /did not answer as a udp-heartbeat control socket/v);

  const badPort = await attachFails(['99999']);
  assert.equal(badPort.code, 2);
  assert.match(
    badPort.text,
    /attach: port 99999 is not allowed; expected 1024-65535/v,
  );
  const badFlag = await attachFails(['--bogus']);
  assert.equal(badFlag.code, 2);
  assert.match(badFlag.text, /attach: unknown flag --bogus/v);
});
