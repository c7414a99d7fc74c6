import assert from 'node:assert/strict';
import test from 'node:test';
import {freePort} from '../helpers/free-port.js';
import {PtyCli} from '../helpers/pty-cli.js';
import {UdpPeer} from '../helpers/udp-peer.js';
import {
  headerLine,
  keepSending,
  statusLine,
  waitForFrame,
} from './dashboard-screen.js';

/*
A terminal hands over whatever it has in one read: keys typed fast, pasted, or sent over a slow
link come as one string. Every key in it counts, in order, whoever listens to it: the table, a
prompt it opened, the help. Each write below is one such read.
*/

test('keys that arrive in one read each count, in order, prompts included', async () => {
  const port = await freePort();
  const peers = [await UdpPeer.open(), await UdpPeer.open()];
  const stops = peers.map((peer) => keepSending(peer, port, 200));
  const cli = new PtyCli([
    '--port',
    String(port),
    '--loss',
    '0',
    '--idle-timeout',
    '0',
  ]);
  try {
    await waitForFrame(
      cli,
      (frame) => statusLine(frame).includes('of 2'),
      'both clients',
      20_000,
    );

    // The key that opens the prompt, the value and Enter, in one read.
    cli.press('L25\r');
    const loss = await waitForFrame(
      cli,
      (frame) => headerLine(frame).includes('loss 25%'),
      'loss 25% from L25⏎ in one read',
    );
    assert.doesNotMatch(loss, /^loss %: /mv, 'the prompt closed');

    cli.press('/127\r');
    await waitForFrame(
      cli,
      (frame) => statusLine(frame).includes('filter "127": 2 of 2'),
      'the filter from /127⏎ in one read',
    );
    // Esc in the same read cancels the prompt that / opened; the filter stays.
    cli.press('/x\u001B');
    const cancelled = await waitForFrame(
      cli,
      (frame) =>
        !/^filter: /mv.test(frame) &&
        statusLine(frame).includes('filter "127": 2 of 2'),
      'the prompt cancelled by Esc in the same read as /',
    );
    assert.ok(cancelled);
    // Backspaces and Enter in the same read as /: the filter emptied.
    cli.press(`/${'\u007F'.repeat(8)}\r`);
    await waitForFrame(
      cli,
      (frame) => !statusLine(frame).includes('filter'),
      'the filter emptied by / and backspaces in one read',
    );

    // Two table keys: both act.
    cli.press('mp');
    const both = await waitForFrame(
      cli,
      (frame) =>
        headerLine(frame).includes('MUTED') &&
        headerLine(frame).includes('FROZEN'),
      'MUTED and FROZEN from mp in one read',
    );
    assert.ok(both);
    cli.press('pm');
    await waitForFrame(
      cli,
      (frame) =>
        !headerLine(frame).includes('MUTED') &&
        !headerLine(frame).includes('FROZEN'),
      'both undone by pm',
    );

    // Arrow sequences mixed with letters: Down, reverse the sort, Down again (the last row).
    cli.press('\u001B[BS\u001B[A\u001B[B');
    await waitForFrame(
      cli,
      (frame) =>
        statusLine(frame).includes('descending') &&
        statusLine(frame).includes('row 2 of 2'),
      'S and the arrows in one read',
    );

    // The help opened and closed by the next key of the same read, then a table key.
    cli.press('?zL7\r');
    await waitForFrame(
      cli,
      (frame) => headerLine(frame).includes('loss 7%'),
      'the help closed by z, then L7⏎, in one read',
    );
  } finally {
    for (const stop of stops) {
      stop();
    }

    cli.kill();
    await Promise.all(peers.map(async (peer) => peer.close()));
  }
});
