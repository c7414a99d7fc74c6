import assert from 'node:assert/strict';
import test from 'node:test';
import {stripVTControlCharacters} from 'node:util';
import {
  defaultSummaryWidth,
  formatSummary,
  summaryWidth,
} from '../../source/output/summary.js';
import {makeClient} from './records.js';

const endedAt = Date.UTC(2026, 10, 24, 7, 0, 0, 0);

const busy = makeClient({
  key: '192.168.100.200:50000',
  state: 'stopped',
  received: 99_999,
  replied: 59_999,
  dropped: 40_000,
  lost: 9999,
  lossPercent: 45.45,
  delayMinMs: 0.123,
  delayAvgMs: 45.67,
  delayMaxMs: 1234.5,
  jitterMs: 12.34,
  intervalMeanMs: 1000.4,
  intervalStdDevMs: 43.21,
  duplicates: 12,
  reordered: 34,
  restarts: 5,
  malformed: 678,
  lastHeartbeat: endedAt - 1000,
});
const ipv6 = makeClient({
  key: '[2001:db8:1234:5678:9abc:def0:1234:5678]:65000',
  received: 5,
  replied: 5,
  lastHeartbeat: endedAt - 2000,
});

function summaryAt(width: number, clients = [busy, ipv6]): string[] {
  return stripVTControlCharacters(
    formatSummary({
      listening: '0.0.0.0:12000',
      startedAt: endedAt - 3_723_000,
      endedAt,
      lossPercent: 12.5,
      lossChanged: true,
      seed: 4_294_967_295,
      totals: {
        received: 123_456_789,
        replied: 100_000_000,
        dropped: 23_456_789,
        malformed: 1_234_567,
        refused: 7654,
        evicted: 321,
      },
      clients,
      width,
    }),
  ).split('\n');
}

/** The table's lines: each starts and ends with a box-drawing piece, all the same length. */
function tableLines(lines: string[]): string[] {
  return lines.filter((line) => /^[┌├└│]/v.test(line));
}

function headings(lines: string[]): string[] {
  const heading = tableLines(lines)[1]!;
  return heading
    .split('│')
    .map((cell) => cell.trim())
    .filter((cell) => cell !== '');
}

for (const width of [80, 60, 40]) {
  test(`at ${width} columns no line of the summary runs over, and the table's box stays whole`, () => {
    const lines = summaryAt(width);
    for (const line of lines) {
      assert.ok(line.length <= width, `${line.length} > ${width}: ${line}`);
    }

    const table = tableLines(lines);
    assert.ok(table.length >= 5, lines.join('\n'));
    assert.equal(new Set(table.map((line) => line.length)).size, 1);
    for (const line of table) {
      assert.match(line, /^[┌├└│].*[┐┤┘│]$/v);
    }

    // The essentials stay whatever the width.
    for (const heading of ['client', 'state', 'loss%']) {
      assert.ok(headings(lines).includes(heading), `${heading} at ${width}`);
    }
  });
}

test('columns go in order, detail first: at 80 columns the counts stay and the legend follows what is shown', () => {
  const lines = summaryAt(80, [
    {
      ...busy,
      key: '127.0.0.1:50000',
      received: 999,
      replied: 599,
      dropped: 400,
      lost: 99,
    },
  ]);
  assert.deepEqual(headings(lines), [
    'client',
    'state',
    'recv',
    'repl',
    'drop',
    'lost',
    'loss%',
    'last heard',
  ]);
  // Five-digit counts take more room: replied goes first, received stays.
  assert.deepEqual(headings(summaryAt(80, [busy])), [
    'client',
    'state',
    'recv',
    'drop',
    'lost',
    'loss%',
    'last heard',
  ]);
  assert.ok(lines.includes('last heard: time of the latest heartbeat'));
  assert.ok(!lines.some((line) => line.startsWith('dup/reo/rst/mal:')));
  // Wide enough, nothing is dropped.
  assert.equal(headings(summaryAt(200, [busy])).length, 12);
});

test('a long address is cut, with a mark, only when dropping columns is not enough', () => {
  const lines = summaryAt(40);
  assert.ok(
    tableLines(lines).some((line) => line.includes('…')),
    lines.join('\n'),
  );
  assert.ok(
    summaryAt(200).some((line) => line.includes(ipv6.key)),
    'whole at 200 columns',
  );
});

test('header lines that are too long wrap under their value', () => {
  const lines = summaryAt(60);
  const totals = lines.findIndex((line) => line.startsWith('  totals'));
  assert.ok(lines[totals + 1]!.startsWith(' '.repeat(15)), lines.join('\n'));
  assert.match(lines[totals + 1]!, /^ {15}\S/v);
});

test('the width is the terminal when standard output is one, else COLUMNS, else the default', () => {
  assert.equal(summaryWidth({isTTY: true, columns: 80}, {COLUMNS: '200'}), 80);
  assert.equal(summaryWidth({isTTY: false}, {COLUMNS: '100'}), 100);
  assert.equal(
    summaryWidth({isTTY: false}, {COLUMNS: 'wide'}),
    defaultSummaryWidth,
  );
  assert.equal(summaryWidth({}, {}), defaultSummaryWidth);
});
