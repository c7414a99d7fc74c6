import assert from 'node:assert/strict';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import test from 'node:test';
import {freePort} from '../helpers/free-port.js';
import {PtyCli} from '../helpers/pty-cli.js';
import {lastFrame, waitForFrame} from './dashboard-screen.js';

/** No line of the frame ends cut off (Ink marks a cut line's end with …), and none is too wide. */
function assertWhole(frame: string, what: string): void {
  for (const line of frame.split(/\r?\n/v)) {
    assert.ok(line.length <= 80, `${what}: wider than 80: ${line}`);
    const text = line.replace(/[│╮╯┐┘┤]\s*$/v, '').trimEnd();
    assert.ok(!text.endsWith('…'), `${what}: a line cut: ${line}`);
  }
}

test('at 80x24 every text a user reads is whole: header, help, reset question, detail view', async () => {
  const folder = await mkdtemp(
    path.join(tmpdir(), 'udp-heartbeat-a-folder-with-a-rather-long-name-'),
  );
  const log = path.join(folder, 'events-of-the-whole-afternoon-run.csv');
  const port = await freePort();
  const cli = new PtyCli(
    [
      '--demo',
      '2',
      '--port',
      String(port),
      '--idle-timeout',
      '0',
      '--log',
      log,
    ],
    {columns: 80, rows: 24},
  );
  try {
    const table = await waitForFrame(
      cli,
      (frame) => /127\.0\.0\.1:\d+/v.test(frame),
      'a client row',
      20_000,
    );
    assertWhole(table, 'the table');
    // The log's path is cut in its middle: its file name shows.
    assert.match(table, /log \S*…\S*-run\.csv/v);

    cli.press('?');
    let page = await waitForFrame(
      cli,
      (frame) => /\(1\/\d+;/v.test(frame),
      '?',
    );
    const pages = Number(/\(1\/(?<count>\d+);/v.exec(page)?.groups?.count);
    for (let index = 1; index <= pages; index++) {
      assertWhole(page, `help page ${index}`);
      if (index < pages) {
        cli.press(' ');
        page = await waitForFrame(
          cli,
          (frame) => frame.includes(`(${index + 1}/${pages};`),
          `help page ${index + 1}`,
        );
      }
    }

    cli.press('z');
    await waitForFrame(cli, (frame) => frame.includes('sorted by'), 'closed');
    cli.press('r');
    const question = await waitForFrame(
      cli,
      (frame) => frame.includes('Reset every counter?'),
      'the reset question',
    );
    assertWhole(question, 'the reset question');
    assert.match(question, /y resets, any other key keeps them \(summary/v);
    cli.press('n');
    await waitForFrame(cli, (frame) => frame.includes('sorted by'), 'table');

    cli.press('\r');
    const detail = await waitForFrame(
      cli,
      (frame) =>
        /^detail 127\.0\.0\.1:\d+/mv.test(frame) && frame.includes('interval'),
      'the detail view',
    );
    assertWhole(detail, 'the detail view');
    assert.match(detail, /interval (?:-|\d+)/v);
  } finally {
    cli.kill();
    await rm(folder, {recursive: true, force: true});
  }

  assert.ok(lastFrame(cli) !== '');
});
