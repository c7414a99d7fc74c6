import assert from 'node:assert/strict';
import test from 'node:test';
import {splitKeys} from '../../source/ui/key-stream.js';

test('one read splits into its keys: characters one by one, escape sequences whole', () => {
  assert.deepEqual(splitKeys('L25\r'), ['L', '2', '5', '\r']);
  assert.deepEqual(splitKeys('/web\r'), ['/', 'w', 'e', 'b', '\r']);
  assert.deepEqual(splitKeys('mp'), ['m', 'p']);
  assert.deepEqual(splitKeys('\u001B[Bs\u001B[A\u001BOHq'), [
    '\u001B[B',
    's',
    '\u001B[A',
    '\u001BOH',
    'q',
  ]);
  // Page keys, modified arrows, Alt with a letter, a double-escape arrow, a whole code point.
  assert.deepEqual(splitKeys('\u001B[5~\u001B[1;5A\u001Bx\u001B\u001B[A😀'), [
    '\u001B[5~',
    '\u001B[1;5A',
    '\u001Bx',
    '\u001B\u001B[A',
    '😀',
  ]);
  assert.deepEqual(splitKeys('/\u001B\u001B'), ['/', '\u001B', '\u001B']);
});

test('a sequence cut at the end of a read is handed on whole, for Ink to complete', () => {
  assert.deepEqual(splitKeys('a\u001B['), ['a', '\u001B[']);
  assert.deepEqual(splitKeys('a\u001B[1;'), ['a', '\u001B[1;']);
  assert.deepEqual(splitKeys('\u001B'), ['\u001B']);
  assert.deepEqual(splitKeys(''), []);
});
