import assert from 'node:assert/strict';
import test from 'node:test';
import {stripVTControlCharacters} from 'node:util';
import {formatIsoTime} from '../../source/output/format-time.js';
import {
  columnDecimals,
  compactMs,
  formatClockOffset,
  formatSummary,
  type SummaryInput,
  summaryDetail,
  summaryEvents,
  summaryLegend,
  summaryTableRows,
} from '../../source/output/summary.js';
import type {ClientRecord} from '../../source/vocabulary.js';
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
    delayMinMs: 0.1234,
    delayAvgMs: 0.4126,
    delayMaxMs: 13.25,
    jitterMs: 0.0456,
    intervalMeanMs: 1002.4,
    intervalStdDevMs: 43.21,
    duplicates: 1,
    reordered: 2,
    restarts: 3,
    malformed: 4,
    lastSeq: 12,
    lastHeartbeat: endedAt - 5000,
  }),
  makeClient({
    key: '10.0.0.9:5000',
    state: 'stopped',
    received: 3,
    replied: 3,
    lossPercent: 0,
    delayMinMs: 12.5,
    delayAvgMs: 12.5,
    delayMaxMs: 12.5,
    jitterMs: 0,
    intervalMeanMs: 100,
    intervalStdDevMs: 0,
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
      unanswered: 0,
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
  // As the dashboard's header writes uptime.
  assert.match(text, /duration {5}1h02m03s$/mv);
  assert.match(text, /loss {9}12\.5% \(changed while running\), seed 42/v);
  assert.match(
    text,
    /totals {7}received 13, replied 9, dropped 4, unanswered 0, malformed 2, refused 1, evicted 0/v,
  );
  assert.match(text, /clients {6}3/v);

  const unchanged = stripVTControlCharacters(
    formatSummary(
      input({lossChanged: false, seed: undefined, lossPercent: 40}),
    ),
  );
  assert.match(unchanged, /loss {9}40% \(unchanged\), random seed/v);
});

/** `HH:MM:SS` in local time, computed with Date's own accessors. */
function clockTime(ms: number): string {
  const date = new Date(ms);
  return [date.getHours(), date.getMinutes(), date.getSeconds()]
    .map((part) => String(part).padStart(2, '0'))
    .join(':');
}

test('the table lists every client, sorted by address (numbers by value), with its state and figures', () => {
  const text = stripVTControlCharacters(formatSummary(input()));
  // One line per client: the rule under the headings, none between rows.
  assert.equal(
    text.split('\n').filter((line) => line.startsWith('├')).length,
    1,
    text,
  );
  const rows = tableRows(text);
  assert.deepEqual(rows, [
    [
      'client',
      'state',
      'recv',
      'repl',
      'drop',
      'lost',
      'loss%',
      'delay min/avg/max',
      'jitter',
      'interval',
      'dup/reo/rst/mal',
      'last heard',
    ],
    [
      '[2001:db8::1]:6000',
      'late',
      '0',
      '0',
      '0',
      '0',
      '-',
      '-',
      '-',
      '-',
      '0/0/0/2',
      '-',
    ],
    [
      '10.0.0.9:5000',
      'stopped',
      '3',
      '3',
      '0',
      '0',
      '0.0',
      '12.5/12.5/12.5',
      '0.00',
      '100+-0',
      '0/0/0/0',
      clockTime(endedAt - 600_000),
    ],
    [
      '10.0.0.10:5000',
      'alive',
      '10',
      '6',
      '4',
      '2',
      '50.0',
      '0.1/0.4/13.3',
      '0.05',
      '1002+-43',
      '1/2/3/4',
      clockTime(endedAt - 5000),
    ],
  ]);
});

test('the legend under the table says what the short headings mean', () => {
  const text = stripVTControlCharacters(formatSummary(input()));
  const lines = text.split('\n');
  const bottom = lines.findIndex((line) => line.startsWith('└'));
  assert.ok(bottom > 0, text);
  assert.deepEqual(lines.slice(bottom + 1), summaryLegend.split('\n'));
  assert.match(summaryLegend, /in ms/v);
  assert.match(
    summaryLegend,
    /dup\/reo\/rst\/mal: duplicates, reordered, restarts, malformed/v,
  );
});

test('five-digit counts: a loopback client fits 140 columns, the widest IPv4 one 145; cells are ASCII', () => {
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
  const text = stripVTControlCharacters(
    formatSummary(input({clients: [busy]})),
  );
  const widest = Math.max(...text.split('\n').map((line) => line.length));
  assert.ok(widest <= 145, `${widest} columns:\n${text}`);
  const loopback = stripVTControlCharacters(
    formatSummary(input({clients: [{...busy, key: '127.0.0.1:50000'}]})),
  );
  const widestLoopback = Math.max(
    ...loopback.split('\n').map((line) => line.length),
  );
  assert.ok(widestLoopback <= 140, `${widestLoopback} columns:\n${loopback}`);
  const cells = tableRows(text).flat().join('');
  assert.match(cells, /^[\u0020-\u007E]*$/v, 'cells are ASCII');
});

test('compact milliseconds: one rule of decimals per column; past a day >1d, never an exponent', () => {
  assert.equal(compactMs(0), '0.00');
  assert.equal(compactMs(0.123_456), '0.12');
  assert.equal(compactMs(9.994), '9.99');
  assert.equal(compactMs(12.5), '12.5');
  assert.equal(compactMs(100.4), '100');
  assert.equal(compactMs(99_999.4), '99999');
  assert.equal(compactMs(-3.456), '-3.46');
  assert.equal(compactMs(3.391, 0), '3');
  assert.equal(columnDecimals([100, 3.39]), 0);
  assert.equal(columnDecimals([0.4, 13]), 1);
  assert.equal(columnDecimals([0.4, undefined, 2e14]), 2);
  // A client whose clock says year 9999: the delay is absurd, the cell says so in three characters.
  assert.equal(compactMs(2.5e14), '>1d');
  assert.equal(compactMs(8.8e11, 2), '>1d');
  assert.equal(compactMs(-8.8e11), '<-1d');
  assert.equal(compactMs(Number.NaN), '-');
  assert.equal(compactMs(Number.POSITIVE_INFINITY), '-');
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
        unanswered: 0,
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
  // Where the table ends, before the legend.
  const lines = text.split('\n');
  const bottom = lines.findIndex((line) => line.startsWith('└'));
  assert.match(
    lines[bottom + 1]!,
    /^… and 7 more clients \(all of them are in the summary rows of "events\.csv"\)$/v,
  );
  assert.match(lines.at(-1)!, /^dup\/reo\/rst\/mal: /v);

  const small = stripVTControlCharacters(
    formatSummary(input({clients: many.slice(0, 3), maxRows: 2})),
  );
  assert.equal(tableRows(small).length, 3);
  assert.match(small, /└.*┘\n… and 1 more client\n/v);
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

test('summary events: one per client with the counts first, then loss, state and every figure', () => {
  const events = [...summaryEvents(clients, endedAt)];
  assert.deepEqual(events, [
    {
      time: endedAt,
      event: 'summary',
      client: '10.0.0.10:5000',
      seq: 12,
      delayMs: undefined,
      detail: [
        'received=10;replied=6;dropped=4;lost=2;loss=50%;state=alive',
        'delay_min_ms=0.123;delay_avg_ms=0.413;delay_max_ms=13.250;jitter_ms=0.046',
        'interval_mean_ms=1002.400;interval_sd_ms=43.210',
        'duplicates=1;reordered=2;restarts=3;malformed=4;unanswered=0',
        `last_heartbeat=${formatIsoTime(endedAt - 5000)}`,
      ].join(';'),
      state: 'alive',
    },
    {
      time: endedAt,
      event: 'summary',
      client: '10.0.0.9:5000',
      seq: 3,
      delayMs: undefined,
      detail: [
        'received=3;replied=3;dropped=0;lost=0;loss=0%;state=stopped',
        'delay_min_ms=12.500;delay_avg_ms=12.500;delay_max_ms=12.500;jitter_ms=0.000',
        'interval_mean_ms=100.000;interval_sd_ms=0.000',
        'duplicates=0;reordered=0;restarts=0;malformed=0;unanswered=0',
        `last_heartbeat=${formatIsoTime(endedAt - 600_000)}`,
      ].join(';'),
      state: 'stopped',
    },
    {
      time: endedAt,
      event: 'summary',
      client: '[2001:db8::1]:6000',
      seq: undefined,
      delayMs: undefined,
      detail:
        'received=0;replied=0;dropped=0;lost=0;state=late;duplicates=0;reordered=0;restarts=0;malformed=2;unanswered=0',
      state: 'late',
    },
  ]);
  assert.deepEqual([...summaryEvents([], endedAt)], []);
});

test('summary detail: the counts stay the prefix that readers parse, and every field is key=value', () => {
  for (const client of clients) {
    const detail = summaryDetail(client);
    assert.match(
      detail,
      /^received=\d+;replied=\d+;dropped=\d+;lost=\d+(?:;loss=[\d.]+%)?;state=(?:alive|late|stopped)(?:;|$)/v,
    );
    const fields = detail.split(';');
    for (const field of fields) {
      assert.match(field, /^[a-z_]+=[^;=\s]+$/v, field);
    }

    const keys = fields.map((field) => field.split('=')[0]);
    assert.equal(new Set(keys).size, keys.length, 'no key twice');
  }
});

test('unanswered errors and a clock in another time zone: columns of their own, only when some client has them', () => {
  const tokyo = makeClient({
    key: '10.0.0.11:5000',
    received: 5,
    replied: 2,
    dropped: 1,
    unanswered: 2,
    malformed: 3,
    clockOffsetMs: -5.5 * 3_600_000,
    delayMinMs: 0.4,
    delayAvgMs: 0.4,
    delayMaxMs: 0.4,
  });
  const text = stripVTControlCharacters(
    formatSummary(input({clients: [tokyo]})),
  );
  const [header, row] = tableRows(text);
  const cell = (name: string) => row![header!.indexOf(name)];
  assert.deepEqual(header!.slice(2, 7), [
    'recv',
    'repl',
    'drop',
    'unans',
    'lost',
  ]);
  assert.equal(cell('unans'), '2');
  assert.equal(cell('clock'), '-5:30');
  assert.equal(
    header!.indexOf('clock'),
    header!.indexOf('delay min/avg/max') + 1,
  );
  assert.match(text, /^unans: /mv);
  assert.match(text, /^clock: /mv);
  const detail = summaryDetail(tokyo);
  assert.match(detail, /;state=alive;clock_offset_ms=-19800000;/v);
  assert.match(detail, /;malformed=3;unanswered=2(?:;|$)/v);
  // Without them the table keeps its usual columns.
  const usual = tableRows(stripVTControlCharacters(formatSummary(input())))[0]!;
  assert.ok(!usual.includes('unans') && !usual.includes('clock'));
});

test('a clock offset is written as a time zone is', () => {
  assert.equal(formatClockOffset(-19_800_000), '-5:30');
  assert.equal(formatClockOffset(35_100_000), '+9:45');
  assert.equal(formatClockOffset(-50_400_000), '-14:00');
  assert.equal(formatClockOffset(900_000), '+0:15');
});

test('a named client: its name in the exit table and on its summary event, its address where its key is that name', () => {
  const named = makeClient({
    key: '10.0.0.11:5000',
    name: 'boiler-room',
    received: 2,
    replied: 2,
  });
  const byName = {
    ...makeClient({key: '10.0.0.12:6000', received: 1, replied: 1}),
    key: 'pump-3',
    name: 'pump-3',
  };
  const text = stripVTControlCharacters(
    formatSummary(input({clients: [named, byName]})),
  );
  const shown = new Set(tableRows(text).map((row) => row[0]));
  assert.ok(shown.has('boiler-room'), text);
  assert.ok(shown.has('pump-3'), text);
  assert.ok(!shown.has('10.0.0.11:5000'), text);
  const [first, second] = summaryEvents([named, byName], endedAt);
  assert.equal(first?.name, 'boiler-room');
  assert.equal(first?.address, undefined);
  assert.equal(second?.client, 'pump-3');
  assert.equal(second?.address, '10.0.0.12:6000');
});
