import assert from 'node:assert/strict';
import test from 'node:test';
import {freePort} from '../helpers/free-port.js';
import {PtyCli} from '../helpers/pty-cli.js';
import {UdpPeer} from '../helpers/udp-peer.js';
import {waitFor} from '../helpers/wait-for.js';
import {
  clientOrder,
  count,
  headerLine,
  keepSending,
  keyOf,
  lastFrame,
  rowOf,
  sendThenFallSilent,
  statusLine,
  tableRows,
  waitForFrame,
} from './dashboard-screen.js';

/*
Every dashboard key, pressed in the built CLI in a pseudo-terminal, with real clients on loopback:
what the screen shows after each. One test per key (or family of keys), so a failure names it.
*/

type Run = {
  readonly cli: PtyCli;
  readonly port: number;
  /** Peers on loopback, lowest port first, so that sorting by client puts them in this order. */
  readonly peers: UdpPeer[];
  readonly cleanups: Array<() => void>;
};

async function startRun(
  args: readonly string[],
  peerCount: number,
): Promise<Run> {
  const port = await freePort();
  const peers: UdpPeer[] = [];
  for (let index = 0; index < peerCount; index++) {
    peers.push(await UdpPeer.open());
  }

  peers.sort((a, b) => a.port - b.port);
  const cli = new PtyCli(['--port', String(port), ...args], {
    columns: 160,
    rows: 40,
  });
  const run: Run = {cli, port, peers, cleanups: []};
  try {
    await waitForFrame(
      cli,
      (frame) => frame.includes(`listening 0.0.0.0:${port}`),
      'the dashboard',
      15_000,
    );
  } catch (error) {
    await endRun(run);
    throw error;
  }

  return run;
}

async function endRun(run: Run): Promise<void> {
  for (const cleanup of run.cleanups) {
    cleanup();
  }

  run.cli.kill();
  await Promise.all(run.peers.map(async (peer) => peer.close()));
}

/** Waits until every peer has a row. */
async function waitForRows(run: Run): Promise<string> {
  const keys = run.peers.map((peer) => keyOf(peer));
  return waitForFrame(
    run.cli,
    (frame) => keys.every((key) => rowOf(frame, key) !== undefined),
    `rows for ${keys.join(', ')}`,
  );
}

test('s moves to the next sort column and the rows reorder; S reverses', async () => {
  const run = await startRun(
    ['--loss', '0', '--dead-after', '1', '--idle-timeout', '0'],
    2,
  );
  try {
    const {cli, port, peers} = run;
    const steady = keyOf(peers[0]!);
    const silent = keyOf(peers[1]!);
    run.cleanups.push(keepSending(peers[0]!, port, 60));
    await sendThenFallSilent(peers[1]!, port, 5, 50);
    const start = await waitForFrame(
      cli,
      (frame) =>
        rowOf(frame, silent)?.cells.state === 'stopped' &&
        rowOf(frame, steady)?.cells.state === 'alive' &&
        count(rowOf(frame, steady), 'recv') > 5,
      'the silent client stopped while the steady one goes on',
    );
    assert.match(statusLine(start), /^sorted by client \(ascending\)/v);
    assert.deepEqual(clientOrder(start), [steady, silent]);

    /** Presses a key and waits for the status line to name the new sort; returns that frame. */
    const sortBy = async (key: string, label: string) => {
      cli.press(key);
      return waitForFrame(
        cli,
        (frame) => statusLine(frame).startsWith(`sorted by ${label}`),
        `sorted by ${label} after ${key}`,
      );
    };

    // The worst state first: the stopped client moves to the top.
    assert.deepEqual(clientOrder(await sortBy('s', 'state (descending)')), [
      silent,
      steady,
    ]);
    assert.deepEqual(clientOrder(await sortBy('S', 'state (ascending)')), [
      steady,
      silent,
    ]);
    // The steady client has received far more than the five of the silent one.
    assert.deepEqual(clientOrder(await sortBy('s', 'recv (descending)')), [
      steady,
      silent,
    ]);
    assert.deepEqual(clientOrder(await sortBy('S', 'recv (ascending)')), [
      silent,
      steady,
    ]);
    // The rest of the cycle, back to where it began.
    await sortBy('s', 'loss%');
    await sortBy('s', 'delay');
    await sortBy('s', 'interval');
    await sortBy('s', 'last seen');
    assert.deepEqual(clientOrder(await sortBy('s', 'client (ascending)')), [
      steady,
      silent,
    ]);
  } finally {
    await endRun(run);
  }
});

test('/ filters clients by address, Enter applies, Esc clears', async () => {
  const run = await startRun(['--loss', '0', '--idle-timeout', '0'], 3);
  try {
    const {cli, port, peers} = run;
    for (const peer of peers) {
      run.cleanups.push(keepSending(peer, port, 100));
    }

    const keys = peers.map((peer) => keyOf(peer));
    await waitForRows(run);
    const filter = `:${peers[1]!.port}`;
    const matching = keys.filter((key) => key.includes(filter));

    cli.press('/');
    await waitForFrame(
      cli,
      (frame) => /^filter: /mv.test(frame),
      'the filter input line',
    );
    cli.press(filter);
    await waitForFrame(
      cli,
      (frame) => frame.includes(`filter: ${filter}`),
      'the typed filter echoed',
    );
    cli.press('\r');
    const filtered = await waitForFrame(
      cli,
      (frame) =>
        statusLine(frame).includes(
          `filter "${filter}": ${matching.length} of 3`,
        ),
      'the filter applied',
    );
    assert.deepEqual(clientOrder(filtered), matching);
    assert.doesNotMatch(filtered, /^filter: /mv, 'the input line closed');

    cli.press('\u001B');
    const cleared = await waitForFrame(
      cli,
      (frame) =>
        !statusLine(frame).includes('filter') &&
        clientOrder(frame).length === 3,
      'every client back after Esc',
    );
    assert.deepEqual(clientOrder(cleared), keys);
  } finally {
    await endRun(run);
  }
});

test('p freezes the figures while heartbeats keep arriving; p again resumes', async () => {
  const run = await startRun(['--loss', '0', '--idle-timeout', '0'], 1);
  try {
    const {cli, port, peers} = run;
    const peer = peers[0]!;
    const key = keyOf(peer);
    run.cleanups.push(keepSending(peer, port, 50));
    await waitForFrame(
      cli,
      (frame) => count(rowOf(frame, key), 'recv') >= 3,
      'a few heartbeats counted',
    );

    cli.press('p');
    const frozen = await waitForFrame(
      cli,
      (frame) => headerLine(frame).includes('FROZEN'),
      'FROZEN in the header',
    );
    const frozenReceived = count(rowOf(frozen, key), 'recv');
    assert.ok(frozenReceived >= 3, frozen);

    // Recording goes on: the server answers ten more heartbeats meanwhile.
    const replies = peer.replies.length;
    await waitFor(() => peer.replies.length >= replies + 10, {
      message: 'ten more replies while frozen',
    });
    // A key that redraws the screen from the frozen copy: the figures are still those of the freeze.
    cli.press('s');
    const redrawn = await waitForFrame(
      cli,
      (frame) => statusLine(frame).startsWith('sorted by state'),
      'a redraw while frozen',
    );
    assert.ok(headerLine(redrawn).includes('FROZEN'), redrawn);
    // Everything from the engine stands still: the header's uptime, rate and counters too, and
    // it keeps its layout, the program's name first.
    assert.equal(headerLine(redrawn), headerLine(frozen));
    assert.equal(
      redrawn.split(/\r?\n/v)[1],
      frozen.split(/\r?\n/v)[1],
      'the clients line',
    );
    assert.match(headerLine(frozen), /^udp-heartbeat {2}/v);
    assert.equal(count(rowOf(redrawn, key), 'recv'), frozenReceived);
    assert.equal(
      count(rowOf(redrawn, key), 'replied'),
      count(rowOf(frozen, key), 'replied'),
    );

    cli.press('p');
    const live = await waitForFrame(
      cli,
      (frame) =>
        !headerLine(frame).includes('FROZEN') &&
        count(rowOf(frame, key), 'recv') >= frozenReceived + 10,
      'live figures again, with what arrived meanwhile',
    );
    assert.ok(statusLine(live).startsWith('sorted by state'), live);
  } finally {
    await endRun(run);
  }
});

test('r resets the counters to zero; the clients stay', async () => {
  const run = await startRun(['--loss', '50', '--idle-timeout', '0'], 2);
  try {
    const {cli, port, peers} = run;
    for (const peer of peers) {
      run.cleanups.push(keepSending(peer, port, 100));
    }

    const keys = peers.map((peer) => keyOf(peer));
    const before = await waitForFrame(
      cli,
      (frame) =>
        keys.every((key) => count(rowOf(frame, key), 'recv') >= 15) &&
        keys.some((key) => count(rowOf(frame, key), 'dropped') >= 3),
      'fifteen heartbeats from each client, some dropped',
      10_000,
    );
    assert.match(before, /clients 2 /v);

    // r asks first; any key but y keeps the counters.
    cli.press('r');
    await waitForFrame(
      cli,
      (frame) => frame.includes('Reset every counter?'),
      'the reset question',
    );
    cli.press('n');
    const kept = await waitForFrame(
      cli,
      (frame) =>
        !frame.includes('Reset every counter?') &&
        keys.every((key) => count(rowOf(frame, key), 'recv') >= 15),
      'the question closed, the counters kept',
    );
    assert.doesNotMatch(kept, /reset once/v);

    cli.press('r');
    await waitForFrame(
      cli,
      (frame) => frame.includes('Reset every counter?'),
      'the reset question again',
    );
    cli.press('y');
    // Ten heartbeats a second: a frame within half a second of the reset shows at most a few.
    const after = await waitForFrame(
      cli,
      (frame) => keys.every((key) => count(rowOf(frame, key), 'recv') <= 5),
      'counters back near zero',
    );
    for (const key of keys) {
      const row = rowOf(after, key);
      assert.ok(row, `${key} is still listed`);
      assert.ok(count(row, 'dropped') <= 5, after);
      assert.ok(count(row, 'replied') <= 5, after);
    }

    assert.match(after, /clients 2 /v);
    assert.match(
      after,
      /reset once/v,
      'the header says the counters were reset',
    );

    // The summary keeps the whole run's totals and says when the counters were reset.
    cli.press('q');
    assert.equal(await cli.waitForExit(), 0);
    const summary = cli.text();
    assert.match(summary, /reset +once, at \d{4}-/v);
    const received = Number(
      /totals +received (?<n>\d+)/v.exec(summary)?.groups?.n,
    );
    assert.ok(
      received >= 30,
      `the run's totals survive the reset:\n${summary}`,
    );
  } finally {
    await endRun(run);
  }
});

test('x forgets stopped clients and keeps the others', async () => {
  const run = await startRun(
    ['--loss', '0', '--dead-after', '1', '--idle-timeout', '0'],
    2,
  );
  try {
    const {cli, port, peers} = run;
    const steady = keyOf(peers[0]!);
    const silent = keyOf(peers[1]!);
    run.cleanups.push(keepSending(peers[0]!, port, 80));
    await sendThenFallSilent(peers[1]!, port, 4, 50);
    await waitForFrame(
      cli,
      (frame) =>
        rowOf(frame, silent)?.cells.state === 'stopped' &&
        /clients 2 +alive 1 +late 0 +stopped 1/v.test(frame),
      'the silent client stopped',
    );

    cli.press('x');
    const after = await waitForFrame(
      cli,
      (frame) => rowOf(frame, silent) === undefined,
      'the stopped client gone',
    );
    assert.deepEqual(clientOrder(after), [steady]);
    assert.match(after, /clients 1 +alive 1 +late 0 +stopped 0/v);
  } finally {
    await endRun(run);
  }
});

test('? opens the help, which lists every key; any key closes it', async () => {
  const run = await startRun(['--idle-timeout', '0'], 0);
  try {
    const {cli} = run;
    cli.press('?');
    const help = await waitForFrame(
      cli,
      (frame) =>
        /Keys \(1\/\d+; Space: [^;]+; any other key closes this help\)/v.test(
          frame,
        ),
      'the help overlay',
    );
    const keyColumn = new Set(
      help
        .split(/\r?\n/v)
        .map((line) => /^\| (?<key>\S+(?: \/ \S+)?) +/v.exec(line))
        .map((match) => match?.groups?.key)
        .filter((key) => key !== undefined),
    );
    for (const key of [
      '+ / -',
      '] / [',
      '0-9',
      'L',
      'Up / Down',
      'PgUp / PgDn',
      'Home / End',
      's',
      'S',
      '/',
      'Esc',
      'p',
      'r',
      'x',
      '?',
      'q / Ctrl+C',
    ]) {
      assert.ok(keyColumn.has(key), `the help lists ${key}:\n${help}`);
    }

    assert.match(help, /Idle prompt +y shuts down; n or Esc keeps serving/v);

    // A key with no meaning of its own closes the help, and does nothing else.
    cli.press('z');
    const back = await waitForFrame(
      cli,
      (frame) => frame.startsWith('udp-heartbeat'),
      'the dashboard again',
    );
    assert.doesNotMatch(back, /closes this help/v);
    assert.match(statusLine(back), /^sorted by client \(ascending\)/v);
  } finally {
    await endRun(run);
  }
});

test('Up, Down, Home and End move the selection marker', async () => {
  const run = await startRun(['--loss', '0', '--idle-timeout', '0'], 3);
  try {
    const {cli, port, peers} = run;
    for (const peer of peers) {
      run.cleanups.push(keepSending(peer, port, 100));
    }

    const keys = peers.map((peer) => keyOf(peer));
    const first = await waitForRows(run);
    const selectedOf = (frame: string) =>
      tableRows(frame)
        .filter((row) => row.selected)
        .map((row) => row.client);
    assert.deepEqual(selectedOf(first), [keys[0]]);

    const moves: Array<[string, string, number]> = [
      ['Down', '\u001B[B', 1],
      ['Down', '\u001B[B', 2],
      ['Up', '\u001B[A', 1],
      ['Home', '\u001B[H', 0],
      ['End', '\u001B[F', 2],
      ['Up', '\u001B[A', 1],
    ];
    for (const [name, sequence, index] of moves) {
      cli.press(sequence);
      const frame = await waitForFrame(
        cli,
        (screen) => statusLine(screen).includes(`row ${index + 1} of 3`),
        `row ${index + 1} of 3 after ${name}`,
      );
      assert.deepEqual(selectedOf(frame), [keys[index]], `${name}:\n${frame}`);
      assert.deepEqual(clientOrder(frame), keys, 'the order stays');
    }
  } finally {
    await endRun(run);
  }
});

test('loss keys: ] and [ by one, - and + by five, digits set tens, L takes an exact value', async () => {
  const run = await startRun(['--loss', '40', '--idle-timeout', '0'], 0);
  try {
    const {cli} = run;
    const lossShown = async (key: string, loss: string) => {
      cli.press(key);
      await waitForFrame(
        cli,
        (frame) => headerLine(frame).includes(`  loss ${loss}`),
        `loss ${loss} in the header after ${JSON.stringify(key)}`,
      );
    };

    assert.ok(headerLine(lastFrame(cli)).includes('  loss 40%'));
    await lossShown(']', '41%');
    await lossShown('[', '40%');
    await lossShown('-', '35%');
    await lossShown('+', '40%');
    for (let digit = 0; digit <= 9; digit++) {
      await lossShown(String(digit), `${digit * 10}%`);
    }

    cli.press('L');
    await waitForFrame(
      cli,
      (frame) => /^loss %: /mv.test(frame),
      'the exact-loss input line',
    );
    // Out of range: the line stays open and says what it takes.
    cli.press('150');
    await waitForFrame(
      cli,
      (frame) => frame.includes('loss %: 150'),
      'the typed value echoed',
    );
    cli.press('\r');
    await waitForFrame(
      cli,
      (frame) => frame.includes('enter a number from 0 to 100'),
      'the range error',
    );
    assert.ok(headerLine(lastFrame(cli)).includes('  loss 90%'));
    // Esc cancels without applying; L opens a fresh line.
    cli.press('\u001B');
    await waitForFrame(
      cli,
      (frame) =>
        frame.startsWith('udp-heartbeat') && !/^loss %: /mv.test(frame),
      'the input line cancelled',
    );
    assert.ok(headerLine(lastFrame(cli)).includes('  loss 90%'));
    cli.press('L');
    await waitForFrame(
      cli,
      (frame) => /^loss %: {2}/mv.test(frame),
      'an empty exact-loss line',
    );
    cli.press('12.5');
    await waitForFrame(
      cli,
      (frame) => frame.includes('loss %: 12.5'),
      'the exact value echoed',
    );
    cli.press('\r');
    const exact = await waitForFrame(
      cli,
      (frame) => headerLine(frame).includes('  loss 12.5%'),
      'loss 12.5% in the header',
    );
    assert.doesNotMatch(exact, /^loss %: /mv, 'the input line closed');

    cli.press('q');
    assert.equal(await cli.waitForExit(), 0);
    assert.match(
      cli.text(),
      /loss {9}12\.5% \(changed while running\)/v,
      'the summary gives the loss at the end',
    );
  } finally {
    await endRun(run);
  }
});

test('idle prompt: shows after the timeout, n dismisses, a heartbeat closes it, y shuts down with the summary', async () => {
  const run = await startRun(['--idle-timeout', '1', '--loss', '0'], 1);
  try {
    const {cli, port, peers} = run;
    const peer = peers[0]!;
    const prompt = /No heartbeat for \d+s\. Shut down\? \(y\/n\)/v;
    const promptShown = async (what: string) =>
      waitForFrame(cli, (frame) => prompt.test(frame), what);
    const promptGone = async (what: string) =>
      waitForFrame(
        cli,
        (frame) => frame.startsWith('udp-heartbeat') && !prompt.test(frame),
        what,
      );

    await promptShown('the prompt after a second of silence');
    cli.press('n');
    await promptGone('the prompt dismissed by n');
    // Dismissed until another full idle period passes, then asked again.
    await promptShown('the prompt again after another second');

    await peer.send('1', port);
    const heard = await promptGone('the prompt closed by a heartbeat');
    assert.ok(rowOf(heard, keyOf(peer)), heard);

    await promptShown('the prompt after the client fell silent');
    cli.press('y');
    assert.equal(await cli.waitForExit(), 0);
    const summary = cli.text();
    assert.match(summary, /udp-heartbeat summary/v);
    assert.ok(summary.includes(keyOf(peer)), summary);
  } finally {
    await endRun(run);
  }
});
