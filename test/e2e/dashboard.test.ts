import assert from 'node:assert/strict';
import test from 'node:test';
import {freePort} from '../helpers/free-port.js';
import {PtyCli} from '../helpers/pty-cli.js';
import {UdpPeer} from '../helpers/udp-peer.js';
import {keepSending} from './dashboard-screen.js';

test('the dashboard in a terminal: rows appear, + changes the loss, q prints the summary', async () => {
  const port = await freePort();
  const cli = new PtyCli([
    '--port',
    String(port),
    '--loss',
    '40',
    '--idle-timeout',
    '0',
  ]);
  const peer = await UdpPeer.open();
  const stop = keepSending(peer, port, 100);
  try {
    const key = `127.0.0.1:${peer.port}`;
    await cli.waitForText(key);
    await cli.waitForText(/loss\W+40(\.0)?\s*%/iv);
    cli.press('+');
    await cli.waitForText(/loss\W+45(\.0)?\s*%/iv);
    cli.press('q');
    assert.equal(await cli.waitForExit(), 0);
    const summary = cli.text();
    assert.match(summary, /received/iv);
    assert.ok(summary.includes(key), 'the summary lists the client');
    assert.match(
      summary,
      /45/v,
      'the summary gives the loss in force at the end',
    );
  } finally {
    stop();
    await peer.close();
    cli.kill();
  }
});

test('Ctrl+C in the dashboard shuts down with the summary too', async () => {
  const port = await freePort();
  const cli = new PtyCli(['--port', String(port), '--idle-timeout', '0']);
  try {
    await cli.waitForText(`0.0.0.0:${port}`);
    cli.press('\u0003');
    assert.equal(await cli.waitForExit(), 0);
    assert.match(cli.text(), /0\.0\.0\.0:\d+/v);
  } finally {
    cli.kill();
  }
});
