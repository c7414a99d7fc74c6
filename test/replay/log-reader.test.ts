import assert from 'node:assert/strict';
import {writeFile} from 'node:fs/promises';
import path from 'node:path';
import test from 'node:test';
import {rowProblem} from '../../source/replay/event-translation.js';
import {readLogBatches, type LogRow} from '../../source/replay/log-reader.js';
import {withTempDir} from './log-files.js';

const oldHeader = 'session,time,event,client,seq,delay_ms,detail';
const newHeader = `${oldHeader},time_ms,delay_exact_ms,clock_offset_ms`;
const oldRow =
  'aaaa1111,2026-11-24T06:00:00.500+00:00,replied,127.0.0.1:5000,1,0.250,lost_in_between=0';
const newRow =
  'bbbb2222,2026-11-24T07:00:00.500+00:00,replied,127.0.0.1:5000,1,0.250,lost_in_between=0,1795503600500.3125,0.25006103515625,';
/** A log of the version before the clock offset column. */
const nineColumnRow =
  'cccc3333,2026-11-24T08:00:00.500+00:00,replied,127.0.0.1:5000,1,0.250,lost_in_between=0,1795507200500.3125,0.25006103515625';
/** A client in UTC heard by a server in UTC+5:30: its delay is net of the offset. */
const offsetRow =
  'dddd4444,2026-11-24T09:00:00.500+00:00,replied,127.0.0.1:5000,1,0.250,lost_in_between=0,1795510800500.3125,0.25006103515625,-19800000';

async function readAll(text: string): Promise<LogRow[]> {
  let rows: LogRow[] = [];
  await withTempDir(async (directory) => {
    const file = path.join(directory, 'log.csv');
    await writeFile(file, text);
    for await (const batch of readLogBatches(file, rowProblem)) {
      rows = [...rows, ...batch];
    }
  });
  return rows;
}

test('an old log that a newer run appended to: each row is read by position', async () => {
  const [old, appended] = await readAll(`${oldHeader}\n${oldRow}\n${newRow}\n`);
  assert.equal(old?.exact, false);
  assert.equal(old?.time, Date.UTC(2026, 10, 24, 6, 0, 0, 500));
  assert.equal(old?.delayMs, 0.25);
  assert.equal(appended?.exact, true);
  assert.equal(appended?.time, 1_795_503_600_500.3125);
  assert.equal(appended?.delayMs, 0.250_061_035_156_25);
  assert.equal(appended?.line, 3);
  assert.equal(appended?.clockOffsetMs, 0);
});

test('the clock offset a delay is net of, and rows of the version before that column', async () => {
  const rows = await readAll(
    `${newHeader}\n${nineColumnRow}\n${offsetRow}\n${oldRow}\n`,
  );
  assert.deepEqual(
    rows.map((row) => [row.session, row.exact, row.clockOffsetMs]),
    [
      ['cccc3333', true, 0],
      ['dddd4444', true, -19_800_000],
      ['aaaa1111', false, 0],
    ],
  );
});

test('a new log that an older run appended to, and columns a later version may add', async () => {
  const rows = await readAll(`${newHeader},later\n${newRow},x\n${oldRow}\n\n`);
  assert.deepEqual(
    rows.map((row) => [row.session, row.exact, row.line]),
    [
      ['bbbb2222', true, 2],
      ['aaaa1111', false, 3],
    ],
  );
});

test('a byte-order mark and CRLF line ends, as an editor may leave them, still read', async () => {
  const rows = await readAll(`\uFEFF${newHeader}\r\n${newRow}\r\n`);
  assert.equal(rows.length, 1);
  assert.equal(rows[0]?.detail, 'lost_in_between=0');
});
