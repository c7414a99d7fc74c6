import assert from 'node:assert/strict';
import test from 'node:test';
import {stripVTControlCharacters} from 'node:util';
import {formatIsoTime} from '../../source/output/format-time.js';
import {
  formatSummary,
  type SummaryInput,
  summaryEvents,
  summaryTableRows,
} from '../../source/output/summary.js';
import type {ClientRecord} from '../../source/store/types.js';
import {makeClient} from './records.js';

const startedAt = Date.UTC(2026, 10, 24, 6, 0, 0, 0);
const endedAt = startedAt + 3_723_000;

const clients: ClientRecord[] = [
  makeClient({
    key: '10.0.0.10:5000',
    received: 10,
    replied: 6,
    dropped: 4,
    lost: 2,
    lossPercent: 50,
    delayAvgMs: 0.4126,
    lastSeq: 12,
    lastHeartbeat: endedAt - 5000,
  }),
  makeClient({
    key: '10.0.0.9:5000',
    state: 'stopped',
    received: 3,
    replied: 3,
    lossPercent: 0,
    delayAvgMs: 12.5,
    lastSeq: 3,
    lastHeartbeat: endedAt - 600_000,
  }),
  makeClient({key: '[2001:db8::1]:6000', state: 'late', malformed: 2}),
];

function input(fields: Partial<SummaryInput> = {}): SummaryInput {
  return {
    listening: '0.0.0.0:12000',
    startedAt,
    endedAt,
    lossPercent: 12.5,
    lossChanged: true,
    seed: 42,
    totals: {
      received: 13,
      replied: 9,
      dropped: 4,
      malformed: 2,
      refused: 1,
      evicted: 0,
    },
    clients,
    ...fields,
  };
}

function tableRows(text: string): string[][] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('│'))
    .map((line) =>
      line
        .split('│')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
}

test('the summary says where, when, how long, the loss settings and the totals', () => {
  const text = stripVTControlCharacters(formatSummary(input()));
  assert.match(text, /listened on {2}0\.0\.0\.0:12000/v);
  assert.match(
    text,
    new RegExp(
      `started {6}${formatIsoTime(startedAt).replaceAll('+', String.raw`\+`)}`,
      'v',
    ),
  );
  assert.match(
    text,
    new RegExp(
      `ended {8}${formatIsoTime(endedAt).replaceAll('+', String.raw`\+`)}`,
      'v',
    ),
  );
  assert.match(text, /duration {5}1h 02m 03s/v);
  assert.match(text, /loss {9}12\.5% \(changed while running\), seed 42/v);
  assert.match(
    text,
    /totals {7}received 13, replied 9, dropped 4, malformed 2, refused 1, evicted 0/v,
  );
  assert.match(text, /clients {6}3/v);

  const unchanged = stripVTControlCharacters(
    formatSummary(
      input({lossChanged: false, seed: undefined, lossPercent: 40}),
    ),
  );
  assert.match(unchanged, /loss {9}40% \(unchanged\), random seed/v);
});

test('the table lists every client, sorted by address (numbers by value), with its counts', () => {
  const rows = tableRows(stripVTControlCharacters(formatSummary(input())));
  const last = (ms: number) => {
    const date = new Date(ms);
    return [date.getHours(), date.getMinutes(), date.getSeconds()]
      .map((part) => String(part).padStart(2, '0'))
      .join(':');
  };

  assert.deepEqual(rows, [
    [
      'client',
      'state',
      'received',
      'replied',
      'dropped',
      'lost',
      'loss %',
      'delay avg',
      'last heartbeat',
    ],
    ['[2001:db8::1]:6000', 'late', '0', '0', '0', '0', '-', '-', '-'],
    [
      '10.0.0.9:5000',
      'stopped',
      '3',
      '3',
      '0',
      '0',
      '0.0',
      '12.500ms',
      last(endedAt - 600_000),
    ],
    [
      '10.0.0.10:5000',
      'alive',
      '10',
      '6',
      '4',
      '2',
      '50.0',
      '0.413ms',
      last(endedAt - 5000),
    ],
  ]);
});

test('zero clients: the header and a line saying so, without a table', () => {
  const text = formatSummary(
    input({
      clients: [],
      totals: {
        received: 0,
        replied: 0,
        dropped: 0,
        malformed: 0,
        refused: 0,
        evicted: 0,
      },
    }),
  );
  assert.match(text, /clients {6}0/v);
  assert.match(text, /No clients were heard\./v);
  assert.doesNotMatch(text, /│/v);
});

test('many clients: the table stops at the cap and says how many more there are', () => {
  const many = Array.from({length: summaryTableRows + 7}, (_, index) =>
    makeClient({
      key: `10.0.${index >> 8}.${index & 255}:5000`,
      received: index,
    }),
  );
  const text = stripVTControlCharacters(
    formatSummary(input({clients: many, logPath: 'events.csv'})),
  );
  assert.equal(tableRows(text).length, summaryTableRows + 1);
  assert.match(
    text,
    /… and 7 more clients \(all of them are in the summary rows of "events\.csv"\)$/v,
  );

  const small = stripVTControlCharacters(
    formatSummary(input({clients: many.slice(0, 3), maxRows: 2})),
  );
  assert.equal(tableRows(small).length, 3);
  assert.match(small, /… and 1 more client$/v);
});

test('a run that spans midnight dates the last heartbeat', () => {
  const lastHeartbeat = endedAt - 2 * 24 * 3_600_000;
  const text = stripVTControlCharacters(
    formatSummary(
      input({
        clients: [
          makeClient({key: '10.0.0.1:5000', lastHeartbeat, received: 1}),
        ],
      }),
    ),
  );
  assert.ok(text.includes(formatIsoTime(lastHeartbeat).slice(0, 10)), text);
});

test('summary events: one per client with the counts, the state, last seq and average delay', () => {
  const events = [...summaryEvents(clients, endedAt)];
  assert.deepEqual(events, [
    {
      time: endedAt,
      event: 'summary',
      client: '10.0.0.10:5000',
      seq: 12,
      delayMs: 0.4126,
      detail: 'received=10;replied=6;dropped=4;lost=2;loss=50%',
      state: 'alive',
    },
    {
      time: endedAt,
      event: 'summary',
      client: '10.0.0.9:5000',
      seq: 3,
      delayMs: 12.5,
      detail: 'received=3;replied=3;dropped=0;lost=0;loss=0%',
      state: 'stopped',
    },
    {
      time: endedAt,
      event: 'summary',
      client: '[2001:db8::1]:6000',
      seq: undefined,
      delayMs: undefined,
      detail: 'received=0;replied=0;dropped=0;lost=0',
      state: 'late',
    },
  ]);
  assert.deepEqual([...summaryEvents([], endedAt)], []);
});
