/*
`udp-heartbeat replay FILE` on a terminal: the built CLI in a pseudo-terminal draws the dashboard
as the run was, says in its header that it is a replay and of when, pauses on space, changes speed
with < and >, ignores the loss keys (and says so), and quits with the summary on q.
*/
import assert from 'node:assert/strict';
import {writeFile} from 'node:fs/promises';
import path from 'node:path';
import test from 'node:test';
import {stringify} from 'csv-stringify/sync';
import {formatIsoTime} from '../../source/output/format-time.js';
import {formatRecordedTime} from '../../source/ui/replay-controls.js';
import {lastFrame, waitForFrame} from '../e2e/dashboard-screen.js';
import {PtyCli} from '../helpers/pty-cli.js';
import {withTempDir} from './log-files.js';

const t0 = Date.UTC(2026, 10, 24, 6, 0, 0);
const a = '192.0.2.7:5000';
const b = '192.0.2.8:6000';

/**
 * A session: two clients beating every 100 ms for a second, one of them with a gap, the loss
 * changed to 35 %, then a row an hour later, which a replay at recorded pace waits for.
 */
function logText(): string {
  const rows: unknown[][] = [
    [
      'session',
      'time',
      'event',
      'client',
      'seq',
      'delay_ms',
      'detail',
      'time_ms',
      'delay_exact_ms',
      'clock_offset_ms',
    ],
  ];
  const row = (
    time: number,
    event: string,
    client = '',
    seq: number | string = '',
    delay: number | string = '',
    detail = '',
  ) => {
    rows.push([
      'dash0001',
      formatIsoTime(time),
      event,
      client,
      seq,
      delay === '' ? '' : Number(delay).toFixed(3),
      detail,
      time,
      delay,
      '',
    ]);
  };

  row(
    t0,
    'start',
    '',
    '',
    '',
    'listening=0.0.0.0:12000;loss=30%;seed=1;reply=auto;idle_timeout=0s;max_clients=100000;client_key=address',
  );
  for (let seq = 1; seq <= 10; seq++) {
    const time = t0 + seq * 100;
    row(time, 'replied', a, seq, 0.25, 'lost_in_between=0');
    if (seq !== 4 && seq !== 5) {
      row(time + 3, 'dropped', b, seq, 0.5);
    }
  }

  row(t0 + 1100, 'loss', '', '', '', 'loss=35%');
  row(t0 + 3_600_000, 'replied', a, 11, 0.25, 'lost_in_between=0');
  row(t0 + 3_600_100, 'stop', '', '', '', 'duration_ms=3600100');
  return stringify(rows);
}

/** The recorded time the header shows. */
function recordedTime(frame: string): string | undefined {
  return /recorded (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3})/v.exec(frame)?.[1];
}

function footerOf(frame: string): string {
  return frame.split('\n').slice(-3).join('\n');
}

test('the replay on a terminal: the dashboard as it was, space pauses, < and > change speed, loss keys off, q quits with the summary', async () => {
  await withTempDir(async (directory) => {
    const file = path.join(directory, 'run.csv');
    await writeFile(file, logText());
    const cli = new PtyCli(['replay', file]);
    try {
      // At recorded pace the replay plays the first second, then waits an hour for the next row,
      // its recorded time running on meanwhile, as the run's clock did.
      const frame = await waitForFrame(
        cli,
        (text) => {
          const shown = recordedTime(text);
          return (
            shown !== undefined &&
            shown > formatRecordedTime(t0 + 1100) &&
            text.includes('loss 35%')
          );
        },
        'the replay past its first second, waiting for the row an hour later',
        15_000,
      );
      assert.match(frame, /speed x1/v);
      assert.match(frame, /listening 0\.0\.0\.0:12000/v);
      assert.ok(frame.includes(a) && frame.includes(b), frame);
      assert.match(frame, /192\.0\.2\.8:6000 .* 8 /v);
      assert.match(footerOf(frame), /space pause/v);
      assert.match(footerOf(frame), /<\/> speed/v);
      assert.match(footerOf(frame), /loss keys off in a replay/v);
      assert.doesNotMatch(footerOf(frame), /loss±5|reset/v);

      cli.press(' ');
      const paused = await waitForFrame(
        cli,
        (text) => text.includes('PAUSED'),
        'paused',
      );
      // Paused, recorded time stands still: a later frame shows the same time.
      const pausedAt = recordedTime(paused);
      cli.press('>');
      const faster = await waitForFrame(
        cli,
        (text) => text.includes('speed x2') && text.includes('PAUSED'),
        'twice as fast, still paused',
      );
      assert.equal(recordedTime(faster), pausedAt);
      cli.press('<');
      await waitForFrame(cli, (text) => text.includes('speed x1'), 'x1 again');
      cli.press('<');
      await waitForFrame(
        cli,
        (text) => text.includes('speed x0.5'),
        'half as fast',
      );

      // Loss keys change nothing in a replay.
      cli.press('+');
      cli.press('0');
      cli.press('?');
      const help = await waitForFrame(
        cli,
        (text) => text.includes('closes this help'),
        'the help',
      );
      assert.match(help, /off in a replay/v);
      assert.match(help, /pause \/ resume the replay/v);
      cli.press('x');
      await waitForFrame(
        cli,
        (text) => text.includes('REPLAY') && text.includes('loss 35%'),
        'back at the table, the loss as recorded',
      );
      assert.match(lastFrame(cli), /speed x0\.5/v);

      cli.press('q');
      assert.equal(await cli.waitForExit(), 0);
      const output = cli.text();
      assert.match(
        output,
        /replay of session dash0001 from .*run\.csv, recorded .* \(stopped before the end of the log\)/v,
      );
      assert.match(output, /udp-heartbeat summary/v);
      assert.match(output, /192\.0\.2\.7:5000/v);
    } finally {
      cli.kill();
    }
  });
});

test('the replay on a terminal at --speed 0 plays to the end, says so, and q gives the whole run’s summary', async () => {
  await withTempDir(async (directory) => {
    const file = path.join(directory, 'run.csv');
    await writeFile(file, logText());
    const cli = new PtyCli(['replay', file, '--speed', '0']);
    try {
      const frame = await waitForFrame(
        cli,
        (text) =>
          text.includes('end of the log') &&
          recordedTime(text) === formatRecordedTime(t0 + 3_600_100),
        'the end of the log, at the time of its last row',
        15_000,
      );
      assert.match(frame, /192\.0\.2\.7:5000 .* 11 /v);
      assert.match(frame, /speed max/v);
      cli.press('q');
      assert.equal(await cli.waitForExit(), 0);
      const output = cli.text();
      assert.match(output, /replay of session dash0001 from /v);
      assert.doesNotMatch(output, /stopped before the end/v);
      assert.match(output, /loss {9}35% \(changed while running\), seed 1/v);
    } finally {
      cli.kill();
    }
  });
});
