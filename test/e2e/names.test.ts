import assert from 'node:assert/strict';
import test from 'node:test';
import {freePort} from '../helpers/free-port.js';
import {PtyCli} from '../helpers/pty-cli.js';
import {UdpPeer} from '../helpers/udp-peer.js';
import {count, rowOf, tableRows, waitForFrame} from './dashboard-screen.js';

/*
Clients known by name on the dashboard of the built CLI, in a pseudo-terminal, with real clients on
loopback: under --client-key name a device that changes its source port stays on its one row,
shown by name, and its detail view shows where it sends from now.
*/

function keepSendingNamed(
  peer: UdpPeer,
  port: number,
  name: string,
  from: {seq: number},
): () => void {
  const timer = setInterval(() => {
    from.seq++;
    void peer
      .send(`{"id":"${name}","seq":${from.seq},"ts":${Date.now()}}`, port)
      .catch(() => undefined);
  }, 50);
  return () => {
    clearInterval(timer);
  };
}

test('--client-key name: a device that changes its source port keeps its row, shown by its name', async () => {
  const port = await freePort();
  const first = await UdpPeer.open();
  const second = await UdpPeer.open();
  const cli = new PtyCli(
    [
      '--port',
      String(port),
      '--loss',
      '0',
      '--idle-timeout',
      '0',
      '--client-key',
      'name',
    ],
    {columns: 140, rows: 30},
  );
  const counter = {seq: 0};
  let stop = keepSendingNamed(first, port, 'boiler-room', counter);
  try {
    await waitForFrame(
      cli,
      (frame) => rowOf(frame, 'boiler-room') !== undefined,
      'a row for the named device',
      15_000,
    );
    // A NAT rebinding: the same device, another source port, its sequence going on.
    stop();
    const movedAt = counter.seq;
    stop = keepSendingNamed(second, port, 'boiler-room', counter);
    await waitForFrame(
      cli,
      (frame) => {
        // Sent from the second port: more than the first sent before the move.
        const received = count(rowOf(frame, 'boiler-room'), 'recv');
        return received >= movedAt + 20;
      },
      'the row counting on after the move',
      15_000,
    );
    cli.press('\r');
    const detail = await waitForFrame(
      cli,
      (frame) => frame.includes(`detail boiler-room  127.0.0.1:${second.port}`),
      'the detail view at the new address',
    );
    assert.match(detail, /lost 0/v);
    assert.match(detail, /restarts 0/v);
    cli.press('\u001B');
    const back = await waitForFrame(
      cli,
      (frame) => !frame.includes('detail boiler-room'),
      'the table again',
    );
    assert.deepEqual(
      tableRows(back).map((row) => row.client),
      ['boiler-room'],
      'one row, by name, never the address',
    );
  } finally {
    stop();
    cli.kill();
    await first.close();
    await second.close();
  }
});
