import assert from 'node:assert/strict';
import test from 'node:test';
import {freePort} from '../helpers/free-port.js';
import {PtyCli} from '../helpers/pty-cli.js';
import {UdpPeer} from '../helpers/udp-peer.js';
import {
  headerLine,
  keepSending,
  keyOf,
  statusLine,
  tableRows,
  waitForFrame,
} from './dashboard-screen.js';

/*
A paste reaches the program as one read: the text and its Enter together. The prompts must take
it as the same keys typed one by one.
*/

test('a value pasted into L and a filter pasted into /, each with its Enter, apply and close the prompt', async () => {
  const port = await freePort();
  const peer = await UdpPeer.open();
  const stop = keepSending(peer, port, 200);
  const cli = new PtyCli([
    '--port',
    String(port),
    '--loss',
    '40',
    '--idle-timeout',
    '0',
  ]);
  try {
    await waitForFrame(
      cli,
      (frame) => tableRows(frame).length === 1,
      'the client row',
      15_000,
    );
    cli.press('L');
    await waitForFrame(cli, (frame) => /^loss %: /mv.test(frame), 'L opens');
    cli.press('25\r');
    const applied = await waitForFrame(
      cli,
      (frame) => headerLine(frame).includes('loss 25%'),
      'loss 25% in the header',
    );
    assert.doesNotMatch(applied, /^loss %: /mv, 'the prompt closed');

    cli.press('/');
    await waitForFrame(cli, (frame) => /^filter: /mv.test(frame), '/ opens');
    cli.press('no-such-client\r');
    const filtered = await waitForFrame(
      cli,
      (frame) => statusLine(frame).includes('filter "no-such-client": 0 of 1'),
      'the filter applied',
    );
    assert.doesNotMatch(filtered, /^filter: /mv, 'the prompt closed');
    assert.ok(!filtered.includes(keyOf(peer)), 'the filter hides the client');
  } finally {
    stop();
    cli.kill();
    await peer.close();
  }
});
