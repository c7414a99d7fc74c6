import assert from 'node:assert/strict';
import {mkdtemp, readFile, rename, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import test from 'node:test';
import {openCsvLog} from '../../source/engine/csv-log.js';
import {makeEvent} from '../output/records.js';

/*
reopen() (SIGUSR1, after logrotate moved the file): the rows before it stay in the moved file,
the rows after it go to a new file at the path, header first; none lost or doubled.
*/

const header =
  'session,time,event,client,seq,delay_ms,detail,time_ms,delay_exact_ms,clock_offset_ms,name,address';

function heartbeat(seq: number) {
  return makeEvent({
    event: 'replied',
    client: '127.0.0.1:5000',
    seq,
    delayMs: 0.5,
    detail: 'lost_in_between=0',
    state: 'alive',
  });
}

/** The sequence numbers of the rows of a file, after checking it ends on a whole row. */
async function seqsIn(file: string): Promise<number[]> {
  const text = await readFile(file, 'utf8');
  assert.ok(text.endsWith('\n'), `${file} ends on a whole row`);
  const lines = text.slice(0, -1).split('\n');
  assert.equal(lines[0], header, `${file} starts with the header`);
  return lines.slice(1).map((line) => Number(line.split(',')[4]));
}

test('rows queued before, during and after a reopen land once, in order, across the two files', async () => {
  const directory = await mkdtemp(path.join(tmpdir(), 'udp-heartbeat-reopen-'));
  try {
    const file = path.join(directory, 'log.csv');
    const errors: string[] = [];
    // Small batches, so that a write is under way when the reopen comes.
    const log = await openCsvLog(file, {
      session: 's',
      onError(message) {
        errors.push(message);
      },
      batchEvents: 50,
      flushIntervalMs: 1,
    });
    let seq = 0;
    for (; seq < 1000; seq++) {
      log.write(heartbeat(seq + 1));
    }

    await new Promise((resolve) => {
      setImmediate(resolve);
    });
    await rename(file, `${file}.1`);
    const reopening = log.reopen();
    // Rows written while the reopen is under way wait for the new file.
    for (; seq < 1500; seq++) {
      log.write(heartbeat(seq + 1));
    }

    await reopening;
    for (; seq < 2000; seq++) {
      log.write(heartbeat(seq + 1));
    }

    await log.close();
    assert.deepEqual(errors, []);
    const before = await seqsIn(`${file}.1`);
    const after = await seqsIn(file);
    assert.ok(before.length > 0, 'some rows were written before the reopen');
    // The old file holds only rows queued before the reopen; the rest wait for the new file.
    assert.ok(before.every((each) => each <= 1000));
    assert.ok(after.length >= 1000);
    assert.deepEqual(
      [...before, ...after],
      Array.from({length: 2000}, (_, index) => index + 1),
    );
  } finally {
    await rm(directory, {recursive: true, force: true});
  }
});

test('a path that cannot be opened again is reported, and writing goes on to the old file', async () => {
  const directory = await mkdtemp(path.join(tmpdir(), 'udp-heartbeat-reopen-'));
  try {
    const inner = path.join(directory, 'gone');
    const {mkdir} = await import('node:fs/promises');
    await mkdir(inner);
    const file = path.join(inner, 'log.csv');
    const errors: string[] = [];
    const log = await openCsvLog(file, {
      session: 's',
      onError(message) {
        errors.push(message);
      },
    });
    log.write(heartbeat(1));
    // The directory is moved away: the path no longer exists to be opened.
    const moved = path.join(directory, 'moved');
    await rename(inner, moved);
    await log.reopen();
    assert.equal(errors.length, 1);
    assert.match(
      errors[0]!,
      /^log reopen failed: --log: cannot open .*log\.csv/v,
    );
    log.write(heartbeat(2));
    await log.close();
    assert.deepEqual(await seqsIn(path.join(moved, 'log.csv')), [1, 2]);
    assert.equal(log.notWritten(), 0);
  } finally {
    await rm(directory, {recursive: true, force: true});
  }
});
