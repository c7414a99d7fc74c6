import assert from 'node:assert/strict';
import {existsSync} from 'node:fs';
import {chmod, mkdir, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import test from 'node:test';
import {LogOpenError, openCsvLog} from '../../source/engine/csv-log.js';
import {formatIsoTime} from '../../source/output/format-time.js';
import {waitFor} from '../helpers/wait-for.js';
import {makeEvent} from '../output/records.js';

const header =
  'session,time,event,client,seq,delay_ms,detail,time_ms,delay_exact_ms,clock_offset_ms,name,address';

async function withTempDir(
  body: (directory: string) => Promise<void>,
): Promise<void> {
  const directory = await mkdtemp(path.join(tmpdir(), 'udp-heartbeat-csv-'));
  try {
    await body(directory);
  } finally {
    await chmod(directory, 0o700).catch(() => undefined);
    await rm(directory, {recursive: true, force: true});
  }
}

function noErrors(message: string): void {
  assert.fail(`unexpected log error: ${message}`);
}

/** The error that opening the log gives, or undefined (and the log closed again) if it opens. */
async function openingError(file: string): Promise<LogOpenError | undefined> {
  try {
    const log = await openCsvLog(file, {session: 's', onError: noErrors});
    await log.close();
    return undefined;
  } catch (error) {
    assert.ok(error instanceof LogOpenError, String(error));
    return error;
  }
}

function lines(text: string): string[] {
  assert.ok(text.endsWith('\n'), 'the file ends with a complete line');
  return text.slice(0, -1).split('\n');
}

const replied = makeEvent({
  event: 'replied',
  client: '127.0.0.1:5000',
  seq: 7,
  delayMs: 0.4126,
  detail: 'lost_in_between=0',
  state: 'alive',
});

test('a new file gets the header, and rows have the columns in order', async () => {
  await withTempDir(async (directory) => {
    const file = path.join(directory, 'events.csv');
    const log = await openCsvLog(file, {session: 's1', onError: noErrors});
    assert.equal(log.path, file);
    log.write(replied);
    log.write(makeEvent({event: 'loss', detail: 'loss=15%'}));
    // A client in UTC heard by a server in UTC+5:30: its delay is net of the offset.
    log.write({...replied, clockOffsetMs: -19_800_000});
    // A named client: its name, and where its key is that name, its address.
    log.write({...replied, name: 'boiler room, "2"'});
    log.write({
      ...replied,
      client: 'pump-3',
      name: 'pump-3',
      address: '[2001:db8::1]:5000',
    });
    await log.close();
    const time = formatIsoTime(replied.time);
    assert.deepEqual(lines(await readFile(file, 'utf8')), [
      header,
      `s1,${time},replied,127.0.0.1:5000,7,0.413,lost_in_between=0,${replied.time},0.4126,,,`,
      `s1,${time},loss,,,,loss=15%,${replied.time},,,,`,
      `s1,${time},replied,127.0.0.1:5000,7,0.413,lost_in_between=0,${replied.time},0.4126,-19800000,,`,
      `s1,${time},replied,127.0.0.1:5000,7,0.413,lost_in_between=0,${replied.time},0.4126,,"boiler room, ""2""",`,
      `s1,${time},replied,pump-3,7,0.413,lost_in_between=0,${replied.time},0.4126,,pump-3,[2001:db8::1]:5000`,
    ]);
    assert.equal(log.lastError(), undefined);
    assert.equal(log.notWritten(), 0);
  });
});

test('opening and closing without events leaves just the header', async () => {
  await withTempDir(async (directory) => {
    const file = path.join(directory, 'events.csv');
    const log = await openCsvLog(file, {session: 's1', onError: noErrors});
    await log.close();
    assert.equal(await readFile(file, 'utf8'), `${header}\n`);
  });
});

test('an existing empty file gets the header', async () => {
  await withTempDir(async (directory) => {
    const file = path.join(directory, 'events.csv');
    await writeFile(file, '');
    const log = await openCsvLog(file, {session: 's1', onError: noErrors});
    log.write(replied);
    await log.close();
    const content = lines(await readFile(file, 'utf8'));
    assert.equal(content[0], header);
    assert.equal(content.length, 2);
  });
});

test('two sessions append to one file: one header, every row, sessions apart', async () => {
  await withTempDir(async (directory) => {
    const file = path.join(directory, 'events.csv');
    const first = await openCsvLog(file, {
      session: 'aaaa1111',
      onError: noErrors,
    });
    for (let seq = 1; seq <= 3; seq++) {
      first.write(
        makeEvent({
          event: 'replied',
          client: '127.0.0.1:5000',
          seq,
          delayMs: seq,
        }),
      );
    }

    await first.close();
    const second = await openCsvLog(file, {
      session: 'bbbb2222',
      onError: noErrors,
    });
    for (let seq = 1; seq <= 2; seq++) {
      second.write(
        makeEvent({event: 'dropped', client: '[2001:db8::1]:6000', seq}),
      );
    }

    await second.close();
    const rows = lines(await readFile(file, 'utf8')).map((line) =>
      line.split(','),
    );
    assert.deepEqual(rows[0], header.split(','));
    assert.equal(
      rows.filter((row) => row[0] === 'session').length,
      1,
      'no second header',
    );
    assert.deepEqual(
      rows.slice(1).map((row) => [row[0], row[2], row[3], row[4], row[5]]),
      [
        ['aaaa1111', 'replied', '127.0.0.1:5000', '1', '1.000'],
        ['aaaa1111', 'replied', '127.0.0.1:5000', '2', '2.000'],
        ['aaaa1111', 'replied', '127.0.0.1:5000', '3', '3.000'],
        ['bbbb2222', 'dropped', '[2001:db8::1]:6000', '1', ''],
        ['bbbb2222', 'dropped', '[2001:db8::1]:6000', '2', ''],
      ],
    );
    for (const row of rows) {
      assert.equal(row.length, 12);
    }
  });
});

test('a detail with commas, quotes and newlines is quoted by the library', async () => {
  await withTempDir(async (directory) => {
    const file = path.join(directory, 'events.csv');
    const log = await openCsvLog(file, {session: 's1', onError: noErrors});
    log.write(
      makeEvent({
        event: 'malformed',
        client: '127.0.0.1:5000',
        detail: 'a,b "q"\nnext\rline',
      }),
    );
    log.write(makeEvent({event: 'idle', detail: 'plain'}));
    await log.close();
    const time = formatIsoTime(replied.time);
    const exact = String(replied.time);
    assert.equal(
      await readFile(file, 'utf8'),
      `${header}\ns1,${time},malformed,127.0.0.1:5000,,,"a,b ""q""\nnext\rline",${exact},,,,\ns1,${time},idle,,,,plain,${exact},,,,\n`,
    );
  });
});

test('close() writes every queued event: 1000 events give 1001 lines', async () => {
  await withTempDir(async (directory) => {
    const file = path.join(directory, 'events.csv');
    const log = await openCsvLog(file, {
      session: 's1',
      onError: noErrors,
      batchEvents: 64,
    });
    for (let seq = 0; seq < 1000; seq++) {
      log.write(makeEvent({event: 'replied', client: '127.0.0.1:5000', seq}));
    }

    await log.close();
    const content = lines(await readFile(file, 'utf8'));
    assert.equal(content.length, 1001);
    assert.deepEqual(
      content.slice(1).map((line) => Number(line.split(',')[4])),
      Array.from({length: 1000}, (_, seq) => seq),
      'every event once, in order',
    );
    log.write(replied);
    assert.equal(
      log.notWritten(),
      1,
      'an event after close is counted, not thrown',
    );
  });
});

test('events reach the file on the timer, without close()', async () => {
  await withTempDir(async (directory) => {
    const file = path.join(directory, 'events.csv');
    const log = await openCsvLog(file, {
      session: 's1',
      onError: noErrors,
      flushIntervalMs: 5,
    });
    log.write(replied);
    await waitFor(
      async () => {
        const content = await readFile(file, 'utf8');
        return content.includes('replied');
      },
      {
        message: 'the timed write',
      },
    );
    await log.close();
  });
});

test('a full batch is written without waiting for the timer', async () => {
  await withTempDir(async (directory) => {
    const file = path.join(directory, 'events.csv');
    const log = await openCsvLog(file, {
      session: 's1',
      onError: noErrors,
      flushIntervalMs: 1_000_000,
      batchEvents: 3,
    });
    for (let seq = 0; seq < 3; seq++) {
      log.write(makeEvent({event: 'replied', seq}));
    }

    await waitFor(
      async () => {
        const content = await readFile(file, 'utf8');
        return content.split('\n').length === 5;
      },
      {message: 'the batch in the file'},
    );
    await log.close();
  });
});

test('more events than the disk takes are counted as not written, with memory bounded', async () => {
  await withTempDir(async (directory) => {
    const file = path.join(directory, 'events.csv');
    const errors: string[] = [];
    const log = await openCsvLog(file, {
      session: 's1',
      onError(message) {
        errors.push(message);
      },
      maxPendingEvents: 5,
      flushIntervalMs: 1_000_000,
    });
    for (let seq = 0; seq < 8; seq++) {
      log.write(makeEvent({event: 'replied', seq}));
    }

    assert.equal(log.notWritten(), 3);
    assert.equal(errors.length, 1, 'told once');
    assert.match(errors[0]!, /not keeping up/v);
    await log.close();
    assert.equal(lines(await readFile(file, 'utf8')).length, 6);
  });
});

test(
  '/dev/full: a write error is reported once and nothing throws',
  {skip: !existsSync('/dev/full') && 'no /dev/full here'},
  async () => {
    const errors: string[] = [];
    const log = await openCsvLog('/dev/full', {
      session: 's1',
      onError(message) {
        errors.push(message);
      },
      flushIntervalMs: 1,
    });
    log.write(replied);
    await waitFor(() => errors.length > 0, {message: 'the write error'});
    for (let seq = 0; seq < 10; seq++) {
      log.write(makeEvent({event: 'replied', seq}));
    }

    await log.close();
    assert.deepEqual(errors, [
      'log write failed: no space left on device (ENOSPC)',
    ]);
    assert.equal(
      log.lastError(),
      'log write failed: no space left on device (ENOSPC)',
    );
    assert.equal(log.notWritten(), 11);
  },
);

test('a directory cannot be a log', async () => {
  await withTempDir(async (directory) => {
    await assert.rejects(
      openCsvLog(directory, {session: 's', onError: noErrors}),
      (error) => {
        assert.ok(error instanceof LogOpenError);
        assert.equal(
          error.message,
          `--log: cannot open ${JSON.stringify(directory)}: it is a directory`,
        );
        return true;
      },
    );
  });
});

test('a path under a missing folder cannot be a log', async () => {
  await withTempDir(async (directory) => {
    const file = path.join(directory, 'missing', 'events.csv');
    await assert.rejects(
      openCsvLog(file, {session: 's', onError: noErrors}),
      (error) => {
        assert.ok(error instanceof LogOpenError);
        assert.equal(
          error.message,
          `--log: cannot open ${JSON.stringify(file)}: no such directory`,
        );
        assert.doesNotMatch(error.message, /\n/v);
        return true;
      },
    );
    assert.equal(existsSync(path.dirname(file)), false, 'nothing is created');
  });
});

test('a path through a file cannot be a log', async () => {
  await withTempDir(async (directory) => {
    const plain = path.join(directory, 'plain');
    await writeFile(plain, 'x');
    await assert.rejects(
      openCsvLog(path.join(plain, 'events.csv'), {
        session: 's',
        onError: noErrors,
      }),
      {
        name: 'LogOpenError',
        message:
          /^--log: cannot open ".*": a part of the path is not a directory$/v,
      },
    );
  });
});

test('an empty path cannot be a log', async () => {
  await assert.rejects(openCsvLog('', {session: 's', onError: noErrors}), {
    name: 'LogOpenError',
    message: '--log: cannot open "": the path is empty',
  });
});

test('a file without write permission cannot be a log', async (t) => {
  await withTempDir(async (directory) => {
    const file = path.join(directory, 'read-only.csv');
    await writeFile(file, `${header}\n`);
    await chmod(file, 0o444);
    // Root (and some containers) write through file permissions, so the case cannot be made there.
    const probe = await openingError(file);
    if (probe === undefined) {
      t.skip(
        'file permissions do not stop writes for this user (running as root)',
      );
      return;
    }

    assert.equal(
      probe.message,
      `--log: cannot open ${JSON.stringify(file)}: permission denied`,
    );
  });
});

test('a folder without write permission cannot hold a new log', async (t) => {
  await withTempDir(async (directory) => {
    const locked = path.join(directory, 'locked');
    await mkdir(locked, {mode: 0o555});
    const file = path.join(locked, 'events.csv');
    const probe = await openingError(file);
    if (probe === undefined) {
      t.skip(
        'directory permissions do not stop writes for this user (running as root)',
      );
      return;
    }

    assert.equal(
      probe.message,
      `--log: cannot open ${JSON.stringify(file)}: permission denied`,
    );
  });
});
