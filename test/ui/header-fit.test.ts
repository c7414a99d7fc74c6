import assert from 'node:assert/strict';
import test from 'node:test';
import {firstLineOrder, shortenPath} from '../../source/ui/header.js';

test('a long log path is cut in its middle, its start and file name kept', () => {
  const path =
    '/home/ada/projects/heartbeat/very/deep/folder/of/logs/events.csv';
  const short = shortenPath(path, 30);
  assert.equal(short.length, 30);
  assert.ok(short.startsWith('/home/ada/proj'), short);
  assert.ok(short.endsWith('logs/events.csv'), short);
  assert.ok(short.includes('…'));
  assert.equal(shortenPath('events.csv', 30), 'events.csv');
});

test('p never rearranges the first line: room for FROZEN is kept', () => {
  const segment = (id: string, text: string) => ({id, text, node: text});
  const live = [
    segment('name', 'udp-heartbeat'),
    segment('listening', 'listening 0.0.0.0:12000'),
    segment('loss', 'loss 40%'),
    segment('uptime', 'up 1m20s'),
    segment('rate', '9.9 hb/s'),
  ];
  const frozen = [...live, segment('frozen', 'FROZEN')];
  for (let width = 60; width <= 100; width++) {
    const ids = (segments: typeof live) =>
      firstLineOrder(segments, width)
        .map((piece) => piece.id)
        .filter((id) => id !== 'frozen');
    assert.deepEqual(ids(frozen), ids(live), `at ${width} columns`);
  }
});
