import assert from 'node:assert/strict';
import test from 'node:test';
import {freePort} from '../helpers/free-port.js';
import {PtyCli} from '../helpers/pty-cli.js';

test('--demo shows a live dashboard with several clients, and in time every state', async () => {
  const port = await freePort();
  const cli = new PtyCli(
    ['--demo', '--port', String(port), '--idle-timeout', '0'],
    {
      rows: 40,
    },
  );
  try {
    const rowOf =
      /^ [> ] 127\.0\.0\.1:(?<port>\d+) {2,}(?<state>alive|late|stopped) /gmv;
    const clientsSeen = () =>
      new Set(
        [...cli.text().matchAll(rowOf)].map((match) => match.groups?.port),
      );
    // Deadlines that hold on a machine whose other core is busy: each waits for what the screen
    // says, never for a time, and a starved run only takes longer.
    await cli.waitForText(`listening 0.0.0.0:${port}`, 30_000);
    // Five simulated clients show up within a few seconds.
    await cli.waitForText(/clients 5 /v, 30_000);
    assert.ok(clientsSeen().size >= 5, 'a row per demo client');
    await cli.waitForText(/malformed datagrams [1-9]/v, 30_000);
    // The client that goes silent is late, then stopped, about 15 s in.
    await cli.waitForText(/\d {2,}late {2,}/v, 60_000);
    await cli.waitForText(/\d {2,}stopped {2,}/v, 60_000);
    cli.press('q');
    assert.equal(await cli.waitForExit(), 0);
  } finally {
    cli.kill();
  }
});
