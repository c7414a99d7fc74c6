import assert from 'node:assert/strict';
import test from 'node:test';
import {freePort} from '../helpers/free-port.js';
import {PtyCli} from '../helpers/pty-cli.js';
import {UdpPeer} from '../helpers/udp-peer.js';
import {
  keyOf,
  rowOf,
  statusLine,
  tableRows,
  waitForFrame,
} from './dashboard-screen.js';

/** Heartbeats with a sequence number and the time, so that the server measures their delays. */
function keepSendingTimed(
  peer: UdpPeer,
  port: number,
  intervalMs: number,
): () => void {
  let seq = 0;
  const timer = setInterval(() => {
    seq++;
    void peer
      .send(`${seq} ${(Date.now() / 1000).toFixed(6)}`, port)
      .catch(() => undefined);
  }, intervalMs);
  return () => {
    clearInterval(timer);
  };
}

/*
The detail view in the built CLI, in a pseudo-terminal, with real clients on loopback: Enter on the
second row opens that client's view with both charts and its figures; Esc goes back with the same
row selected.
*/

test('Enter opens the selected client with both charts and its figures; Esc goes back to the same row', async () => {
  const port = await freePort();
  const peers = [await UdpPeer.open(), await UdpPeer.open()];
  peers.sort((a, b) => a.port - b.port);
  const cli = new PtyCli(
    ['--port', String(port), '--loss', '0', '--idle-timeout', '0'],
    {
      columns: 140,
      rows: 40,
    },
  );
  const stops = peers.map((peer) => keepSendingTimed(peer, port, 50));
  try {
    const keys = peers.map((peer) => keyOf(peer));
    await waitForFrame(
      cli,
      (frame) => keys.every((key) => rowOf(frame, key) !== undefined),
      'a row for each client',
      15_000,
    );
    cli.press('\u001B[B');
    await waitForFrame(
      cli,
      (frame) => statusLine(frame).includes('row 2 of 2'),
      'the second row selected',
    );

    cli.press('\r');
    const detail = await waitForFrame(
      cli,
      (frame) =>
        frame.includes(`detail ${keys[1]}`) &&
        /delay, last [1-9]\d* heartbeats/v.test(frame) &&
        /arrival interval, last [1-9]\d* heartbeats/v.test(frame) &&
        (frame.match(/s [\|+]/gv)?.length ?? 0) >= 8,
      'the detail view with both charts drawn',
    );
    for (const figure of [
      /received \d+/v,
      /replied \d+/v,
      /dropped 0/v,
      /lost 0/v,
      /last seq \d+/v,
      /delay last -?[\d.]+m?s {2}min -?[\d.]+m?s {2}avg/v,
      /interval [\d.]+ \+-[\d.]+ms/v,
      /state changes: \d\d:\d\d:\d\d alive/v,
    ]) {
      assert.match(detail, figure);
    }

    assert.ok(!detail.includes(keys[0]!), 'only the selected client');

    cli.press('\u001B');
    const back = await waitForFrame(
      cli,
      (frame) =>
        statusLine(frame).includes('row 2 of 2') &&
        !frame.includes(`detail ${keys[1]}`),
      'the table again',
    );
    assert.deepEqual(
      tableRows(back)
        .filter((row) => row.selected)
        .map((row) => row.client),
      [keys[1]],
    );
  } finally {
    for (const stop of stops) {
      stop();
    }

    cli.kill();
    await Promise.all(peers.map(async (peer) => peer.close()));
  }
});
