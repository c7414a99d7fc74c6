import assert from 'node:assert/strict';
import test from 'node:test';
import {freePort} from '../helpers/free-port.js';
import {PtyCli} from '../helpers/pty-cli.js';
import {
  headerLine,
  tableBounds,
  tableRows,
  waitForFrame,
} from './dashboard-screen.js';

async function startDemo(columns: number, rows: number): Promise<PtyCli> {
  const port = await freePort();
  const cli = new PtyCli(
    ['--demo', '8', '--port', String(port), '--idle-timeout', '0'],
    {columns, rows},
  );
  await waitForFrame(
    cli,
    (frame) => tableRows(frame).length > 0,
    'a client row',
    15_000,
  );
  return cli;
}

test('40x10: a client row shows, the header keeps the loss, and nothing is taller or wider than the screen', async () => {
  const cli = await startDemo(40, 10);
  try {
    // The demo's clients start one after another: wait for more than fit.
    const frame = await waitForFrame(
      cli,
      (screen) => /row 1 of \d+, \d+ more below/v.test(screen),
      'more clients than fit',
    );
    assert.match(headerLine(frame), /^loss 40%/v, 'the loss first');
    const lines = frame.split(/\r?\n/v).filter((line) => line !== '');
    assert.ok(lines.length <= 9, `at most 9 lines:\n${frame}`);
    for (const line of lines) {
      assert.ok(line.length <= 40, `fits 40 columns: ${line}`);
    }

    assert.equal(tableRows(frame).length, 1);
    assert.match(frame, /\? help, every key {2}q quit/v);
  } finally {
    cli.kill();
  }
});

test('80x14: at the end of the list, "N more above" stands above the rows', async () => {
  const cli = await startDemo(80, 14);
  try {
    await waitForFrame(
      cli,
      (screen) => screen.includes('of 8, '),
      'all eight clients',
    );
    cli.press('\u001B[F');
    const frame = await waitForFrame(
      cli,
      (screen) =>
        screen.includes('row 8 of 8') &&
        tableRows(screen).at(-1)?.selected === true,
      'the last row selected and drawn',
    );
    const lines = frame.split(/\r?\n/v);
    const more = lines.findIndex((line) => /\d+ more above/v.test(line));
    const {top, bottom} = tableBounds(lines);
    assert.ok(more !== -1 && more < top, `above the table:\n${frame}`);
    assert.ok(
      !lines.slice(bottom).some((line) => line.includes('above')),
      'no line below the table reads above',
    );
    assert.equal(tableRows(frame).at(-1)?.selected, true);
  } finally {
    cli.kill();
  }
});
