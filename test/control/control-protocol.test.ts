import assert from 'node:assert/strict';
import {Buffer} from 'node:buffer';
import {test} from 'node:test';
import {serialize} from 'node:v8';
import {
  encodeFrame,
  FrameError,
  FrameReader,
  readQuery,
  readViewerMessage,
} from '../../source/control/control-protocol.js';

const query = {
  sort: 'delay',
  descending: true,
  filter: '10.0',
  start: 5,
  count: 40,
  detail: '10.0.0.1:5000',
} as const;

test('frames split anywhere, or several in one chunk, read back as sent', () => {
  const messages = [
    {type: 'hello', version: 1},
    {type: 'view', query},
    {type: 'command', command: {type: 'set-loss', percent: 12.5}},
  ] as const;
  const bytes = Buffer.concat(messages.map((message) => encodeFrame(message)));
  for (let cut = 1; cut < bytes.length; cut++) {
    const reader = new FrameReader(1024);
    const read = [
      ...reader.push(bytes.subarray(0, cut)),
      ...reader.push(bytes.subarray(cut)),
    ];
    assert.deepEqual(read, messages);
    assert.equal(reader.pending, false);
  }

  const reader = new FrameReader(1024);
  for (const byte of bytes.subarray(0, 10)) {
    reader.push(Buffer.from([byte]));
  }

  assert.equal(reader.pending, true, 'half a frame is pending');
});

test('an oversized or undecodable frame is a FrameError, before the body arrives', () => {
  const reader = new FrameReader(100);
  assert.throws(() => reader.push(Buffer.from([0, 0, 0, 101])), FrameError);
  assert.throws(
    () =>
      new FrameReader(100).push(Buffer.from([0, 0, 0, 3, 0xff, 0x00, 0x42])),
    FrameError,
  );
});

test('a viewer message is read field by field; anything else is refused', () => {
  assert.deepEqual(readViewerMessage({type: 'view', query}), {
    type: 'view',
    query,
  });
  assert.deepEqual(
    readViewerMessage({type: 'command', command: {type: 'mute', muted: true}}),
    {type: 'command', command: {type: 'mute', muted: true}},
  );
  assert.deepEqual(readViewerMessage({type: 'shutdown', extra: 'ignored'}), {
    type: 'shutdown',
  });
  for (const bad of [
    undefined,
    null,
    42,
    'hello',
    [],
    {},
    {type: 'hello'},
    {type: 'hello', version: -1},
    {type: 'hello', version: 1.5},
    {type: 'view'},
    {type: 'command', command: {type: 'set-loss', percent: 101}},
    {type: 'command', command: {type: 'set-loss', percent: Number.NaN}},
    {type: 'command', command: {type: 'set-loss', percent: '5'}},
    {type: 'command', command: {type: 'mute'}},
    // The host's own commands are not a viewer's.
    {type: 'command', command: {type: 'hook-error', detail: 'x'}},
    {type: 'command', command: {type: 'reopen-log'}},
    {type: 'command', command: {type: 'freeze', frozen: true}},
    {type: 'stop'},
  ]) {
    assert.equal(readViewerMessage(bad), undefined, JSON.stringify(bad));
  }
});

test('a query out of bounds is refused', () => {
  for (const bad of [
    {...query, sort: 'name'},
    {...query, sort: 'constructor'},
    {...query, descending: 'yes'},
    {...query, filter: 'x'.repeat(1025)},
    {...query, start: -1},
    {...query, start: 1.5},
    {...query, count: 1001},
    {...query, count: Number.POSITIVE_INFINITY},
    {...query, detail: 7},
  ]) {
    assert.equal(readQuery(bad), undefined, JSON.stringify(bad));
  }

  // Extra fields are dropped: only what the engine reads crosses.
  assert.deepEqual(readQuery({...query, recent: 100_000, evil: true}), query);
});

test('a frame of any serialized value decodes to it; the reader does not judge it', () => {
  const body = serialize({type: 'nonsense', deep: [[[1]]]});
  const frame = Buffer.alloc(4 + body.length);
  frame.writeUInt32BE(body.length, 0);
  body.copy(frame, 4);
  const [message] = new FrameReader(1024).push(frame);
  assert.equal(readViewerMessage(message), undefined);
});
