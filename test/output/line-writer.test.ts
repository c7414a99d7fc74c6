import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {Writable} from 'node:stream';
import test from 'node:test';
import {fileURLToPath} from 'node:url';
import {createLineWriter} from '../../source/output/line-writer.js';
import {waitFor} from '../helpers/wait-for.js';

type WriteCallback = (error?: Error) => void;

/** A stream whose writes complete only when the test says so. */
class ControlledWritable extends Writable {
  readonly chunks: string[] = [];
  private readonly callbacks: WriteCallback[] = [];

  constructor(highWaterMark: number) {
    super({highWaterMark, decodeStrings: false});
  }

  override _write(
    chunk: unknown,
    _encoding: BufferEncoding,
    callback: WriteCallback,
  ): void {
    this.chunks.push(String(chunk));
    this.callbacks.push(callback);
  }

  /** Completes the oldest write in progress. */
  release(error?: Error): void {
    const callback = this.callbacks.shift();
    assert.ok(callback, 'a write is in progress');
    callback(error);
  }

  get inProgress(): number {
    return this.callbacks.length;
  }
}

/** A stream that takes everything at once. */
class RecordingWritable extends Writable {
  readonly chunks: string[] = [];

  constructor() {
    super({decodeStrings: false});
  }

  override _write(
    chunk: unknown,
    _encoding: BufferEncoding,
    callback: WriteCallback,
  ): void {
    this.chunks.push(String(chunk));
    callback();
  }
}

const never = 1_000_000;

test('lines are joined and written in one call per flush', async () => {
  const stream = new RecordingWritable();
  const writer = createLineWriter(stream, {flushIntervalMs: never});
  writer.write('one');
  writer.write('two');
  writer.write('three');
  assert.deepEqual(stream.chunks, [], 'nothing is written per line');
  await writer.flush();
  assert.deepEqual(stream.chunks, ['one\ntwo\nthree\n']);
  await writer.flush();
  assert.equal(stream.chunks.length, 1, 'an empty flush writes nothing');
  await writer.close();
});

test('the timer writes a batch without an explicit flush', async () => {
  const stream = new RecordingWritable();
  const writer = createLineWriter(stream, {flushIntervalMs: 5});
  writer.write('a');
  writer.write('b');
  await waitFor(() => stream.chunks.length > 0, {message: 'the timed flush'});
  assert.deepEqual(stream.chunks, ['a\nb\n']);
  await writer.close();
});

test('a big batch is written at once, without waiting for the timer', async () => {
  const stream = new RecordingWritable();
  const writer = createLineWriter(stream, {
    flushIntervalMs: never,
    maxBufferedBytes: 100,
  });
  writer.write('x'.repeat(20));
  assert.equal(stream.chunks.length, 0);
  writer.write('y'.repeat(40));
  await waitFor(() => stream.chunks.length === 1, {
    message: 'the batch to be written',
  });
  assert.equal(stream.chunks[0], `${'x'.repeat(20)}\n${'y'.repeat(40)}\n`);
  await writer.close();
});

test('back-pressure: buffers until drain, skips past the bound, then reports how many it skipped', async () => {
  const stream = new ControlledWritable(1);
  const writer = createLineWriter(stream, {
    flushIntervalMs: never,
    maxBufferedBytes: 30,
  });
  writer.write('first');
  const firstFlush = writer.flush();
  assert.deepEqual(stream.chunks, ['first\n']);

  // The stream said "enough": lines wait, up to 30 bytes, and later ones are counted as skipped.
  writer.write('aaaaaaaaa');
  writer.write('bbbbbbbbb');
  writer.write('ccccccccc');
  writer.write('ddddddddd');
  writer.write('e');
  let secondFlushed = false;
  const secondFlush = writer.flush().then(() => {
    secondFlushed = true;
  });
  await new Promise((resolve) => {
    setImmediate(resolve);
  });
  assert.equal(secondFlushed, false, 'flush waits for the drain');
  assert.equal(
    stream.chunks.length,
    1,
    'nothing more is written before the drain',
  );
  assert.equal(writer.skipped, 2);

  stream.release();
  await firstFlush;
  await waitFor(() => stream.chunks.length === 2, {
    message: 'the write after the drain',
  });
  assert.equal(
    stream.chunks[1],
    'aaaaaaaaa\nbbbbbbbbb\nccccccccc\nudp-heartbeat: 2 lines were skipped: output could not keep up\n',
  );
  stream.release();
  await secondFlush;

  writer.write('after');
  const thirdFlush = writer.flush();
  await waitFor(() => stream.inProgress > 0, {message: 'the third write'});
  stream.release();
  await thirdFlush;
  assert.equal(stream.chunks[2], 'after\n');
  assert.equal(writer.skipped, 2);
  await writer.close();
});

test('EPIPE from the stream stops the output and never throws', async () => {
  let writes = 0;
  const stream = new Writable({
    write(_chunk, _encoding, callback) {
      writes++;
      callback(Object.assign(new Error('write EPIPE'), {code: 'EPIPE'}));
    },
  });
  const writer = createLineWriter(stream, {flushIntervalMs: never});
  writer.write('a');
  await writer.flush();
  await waitFor(() => stream.destroyed, {
    message: 'the stream to be destroyed',
  });
  assert.match(writer.failure ?? '', /EPIPE/v);
  writer.write('b');
  await writer.flush();
  await writer.close();
  assert.equal(writes, 1, 'nothing is written after the failure');
});

test('a reader that goes away (EPIPE) or a closed stream is told once as output closed; a full disk is not', async () => {
  const failing = (code: string) =>
    new Writable({
      write(_chunk, _encoding, callback) {
        callback(Object.assign(new Error(`write ${code}`), {code}));
      },
    });
  const told: string[] = [];
  const epipe = createLineWriter(failing('EPIPE'), {
    flushIntervalMs: never,
    onOutputClosed(reason) {
      told.push(reason);
    },
  });
  epipe.write('a');
  await epipe.flush();
  epipe.write('b');
  await epipe.flush();
  await waitFor(() => told.length > 0, {message: 'output closed'});
  assert.deepEqual(told, ['the reader has gone (broken pipe) (EPIPE)']);

  const full: string[] = [];
  const enospc = createLineWriter(failing('ENOSPC'), {
    flushIntervalMs: never,
    onOutputClosed(reason) {
      full.push(reason);
    },
  });
  enospc.write('a');
  await enospc.flush();
  assert.match(enospc.failure ?? '', /ENOSPC/v);
  assert.deepEqual(full, [], 'a full disk only stops the output');

  const closed: string[] = [];
  const stream = new ControlledWritable(1);
  createLineWriter(stream, {
    onOutputClosed(reason) {
      closed.push(reason);
    },
  });
  stream.destroy();
  await waitFor(() => closed.length > 0, {message: 'output closed'});
  assert.equal(closed.length, 1);
});

test('a stream closed while waiting for a drain does not leave flush() hanging', async () => {
  const stream = new ControlledWritable(1);
  const writer = createLineWriter(stream, {flushIntervalMs: never});
  writer.write('first');
  void writer.flush();
  writer.write('second');
  const flushed = writer.flush();
  stream.destroy();
  await flushed;
  assert.ok(writer.failure);
});

test('real stdout piped into a reader that goes away: the process finishes normally', async () => {
  const fixture = fileURLToPath(
    new URL('fixtures/flood-stdout.ts', import.meta.url),
  );
  const child = spawn(process.execPath, ['--import', 'tsx', fixture], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr += chunk;
  });
  // Like `| head -n 1`: read the first chunk, then close the pipe.
  child.stdout.once('data', () => {
    child.stdout.destroy();
  });
  const exitCode = await new Promise<number>((resolve) => {
    child.on('close', (code) => {
      resolve(code ?? -1);
    });
  });
  assert.equal(exitCode, 0, stderr);
  assert.match(stderr, /^done after \d+ lines: .*EPIPE/v);
});
