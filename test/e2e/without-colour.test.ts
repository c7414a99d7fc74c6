import assert from 'node:assert/strict';
import test from 'node:test';
import {freePort} from '../helpers/free-port.js';
import {PtyCli} from '../helpers/pty-cli.js';
import {UdpPeer} from '../helpers/udp-peer.js';
import {headerLine, keyOf, rowOf, waitForFrame} from './dashboard-screen.js';

/** Select Graphic Rendition: the escape sequences that set colour, bold and inverse. */
// eslint-disable-next-line no-control-regex
const colourCode = /\u001B\[[\d;]*m/v;

test('with NO_COLOR the screen still says every state, outcome and a changed loss, in words and marks', async () => {
  const port = await freePort();
  const peer = await UdpPeer.open();
  // CI removed: under CI there would be no colour to take away, whatever NO_COLOR says.
  const cli = new PtyCli(
    [
      '--port',
      String(port),
      '--loss',
      '100',
      '--dead-after',
      '1',
      '--idle-timeout',
      '0',
    ],
    {env: {CI: undefined, FORCE_COLOR: undefined, NO_COLOR: '1'}},
  );
  try {
    await waitForFrame(
      cli,
      (frame) => frame.includes(`listening 0.0.0.0:${port}`),
      'the dashboard',
      15_000,
    );
    // 3 never arrives: the history strip shows it lost; every reply is dropped by the 100 % loss.
    for (const seq of [1, 2, 4]) {
      await peer.send(String(seq), port);
    }

    await waitForFrame(
      cli,
      (screen) => rowOf(screen, keyOf(peer)) !== undefined,
      'the client row',
    );
    cli.press('-');
    await waitForFrame(
      cli,
      (screen) => headerLine(screen).includes('loss 95% (changed)'),
      'a changed loss says so in words when no highlight shows',
    );
    const frame = await waitForFrame(
      cli,
      (screen) => rowOf(screen, keyOf(peer))?.cells.state === 'stopped',
      'the client stopped, said in words',
    );
    assert.doesNotMatch(cli.output.slice(cli.mark), colourCode, 'no colour');
    const row = rowOf(frame, keyOf(peer))!;
    assert.equal(row.cells.history, 'xx?x', 'dropped, lost, dropped: marks');
    assert.match(frame, /stopped 1/v);
  } finally {
    cli.kill();
    await peer.close();
  }
});
