import assert from 'node:assert/strict';
import test from 'node:test';
import {EventEmitter} from 'node:events';
import {setImmediate as yieldToLoop} from 'node:timers/promises';
import {render} from 'ink';
import {Dashboard} from '../../source/ui/dashboard.js';
import {waitFor} from '../helpers/wait-for.js';
import {
  FakeClock,
  FakeStore,
  fakeRecord,
  fakeSource,
  recordingController,
  type FakeRecord,
} from './fake-store.js';
import {FakeEngine} from './fake-engine.js';
import {
  keys,
  renderDashboard,
  type DashboardHarness,
} from './render-dashboard.js';

const start = Date.UTC(2026, 0, 1);

/** Clients 10.0.0.1 … 10.0.0.N on port 5000, seen one after another. */
function clients(count: number): FakeRecord[] {
  return Array.from({length: count}, (_, index) =>
    fakeRecord(`10.0.0.${index + 1}`, 5000, {
      received: index + 1,
      lastSeen: start - 1000,
    }),
  );
}

/** The client keys of the table's rows, top to bottom. */
function shownKeys(harness: DashboardHarness): string[] {
  return harness
    .rowLines()
    .map((line) => /\d+\.\d+\.\d+\.\d+:\d+/v.exec(line)?.[0] ?? '?');
}

async function withDashboard(
  options: Parameters<typeof renderDashboard>[0],
  run: (harness: DashboardHarness) => Promise<void>,
): Promise<void> {
  const harness = await renderDashboard(options);
  try {
    await run(harness);
  } finally {
    harness.unmount();
  }
}

test('a row per client with every cell', async () => {
  const record = fakeRecord('192.0.2.7', 5000, {
    received: 12,
    replied: 9,
    dropped: 2,
    lost: 1,
    lossPercent: (3 / 13) * 100,
    lastSeq: 13,
    delayLastMs: 3.21,
    intervalMeanMs: 1000,
    intervalStdDevMs: 12,
    lastSeen: start - 3200,
    outcomes: ['replied', 'dropped', 'replied', 'lost', 'malformed'],
  });
  await withDashboard({records: [record], columns: 140}, async (harness) => {
    const frame = await harness.until(
      (text) => text.includes('192.0.2.7:5000'),
      'the row',
    );
    for (const heading of [
      'client',
      'state',
      'recv',
      'replied',
      'dropped',
      'lost',
      'loss%',
      'seq',
      'delay',
      'interval',
      'last seen',
      'history',
    ]) {
      assert.ok(frame.includes(heading), `heading ${heading}`);
    }

    const [row] = harness.rowLines();
    const cells = row!
      .split(/ {2,}/v)
      .map((cell) => cell.trim())
      .filter(Boolean);
    assert.deepEqual(cells, [
      '> 192.0.2.7:5000',
      'alive',
      '12',
      '9',
      '2',
      '1',
      '23.1%',
      '13',
      '3.2ms',
      '1000 +-12ms',
      '3.2s ago',
      '.x.?!',
    ]);
  });
});

test('the header: where, loss, uptime, clients by state, rate, log file and log error', async () => {
  const records = [
    fakeRecord('10.0.0.1', 1, {state: 'alive'}),
    fakeRecord('10.0.0.2', 1, {state: 'alive'}),
    fakeRecord('10.0.0.3', 1, {state: 'late'}),
    fakeRecord('10.0.0.4', 1, {state: 'stopped'}),
  ];
  await withDashboard({records, logFile: 'events.csv'}, async (harness) => {
    harness.store.rate = 12.5;
    harness.clock.advance(65_000);
    let frame = await harness.until(
      (text) => text.includes('up 1m05s'),
      'uptime',
    );
    assert.match(frame, /listening 0\.0\.0\.0:12000/v);
    assert.match(frame, /loss 40%/v);
    assert.match(frame, /12\.5 hb\/s/v);
    assert.match(frame, /clients 4 {2}alive 2 {2}late 1 {2}stopped 1/v);
    assert.match(frame, /log events\.csv/v);
    assert.doesNotMatch(frame, /log error/v);
    assert.doesNotMatch(
      frame,
      /evicted|refused|malformed/v,
      'zero counts stay out of the way',
    );

    harness.store.totals = {
      ...harness.store.totals,
      malformed: 3,
      refused: 2,
      evicted: 7,
    };
    frame = await harness.until(
      (text) => text.includes('evicted 7'),
      'the evicted count',
    );
    assert.match(
      frame,
      /evicted 7 {2}refused datagrams 2 {2}malformed datagrams 3/v,
    );

    harness.source.logErrorValue = 'ENOSPC: no space left on device';
    frame = await harness.until(
      (text) => text.includes('log error: ENOSPC'),
      'the log error',
    );
  });
});

test('rows that do not fit are counted as "N more" on the status line, above the table', async () => {
  // 24 lines: header 2, status 1, footer 2, one spare: 18 for the table (4 of them its frame),
  // one line per row: 14 rows.
  await withDashboard({records: clients(30), rows: 24}, async (harness) => {
    const frame = await harness.until(
      (text) => text.includes('16 more below'),
      'the more count',
    );
    assert.equal(harness.rowLines().length, 14);
    const lines = frame.split('\n');
    assert.ok(
      lines.findIndex((line) => line.includes('16 more below')) <
        lines.findIndex((line) => line.startsWith(' client ')),
      'counted above the table',
    );
    assert.ok(frame.split('\n').length < 24, 'leaves the last line free');
  });
});

test('every client shows when they fit, without a more line', async () => {
  await withDashboard({records: clients(7), rows: 24}, async (harness) => {
    const frame = await harness.until(
      (text) => text.includes('10.0.0.7:5000'),
      'all rows',
    );
    assert.equal(harness.rowLines().length, 7);
    assert.doesNotMatch(frame, /more/v);
  });
});

test('the cursor scrolls with Down, End, Home, PgDn and PgUp', async () => {
  await withDashboard({records: clients(30), rows: 24}, async (harness) => {
    await harness.until((text) => text.includes('> 10.0.0.1:'), 'cursor');
    for (let index = 0; index < 14; index++) {
      await harness.press(keys.down);
    }

    const moved = await harness.until(
      (text) => text.includes('> 10.0.0.15:') && text.includes('1 more above'),
      'moved',
    );
    assert.deepEqual(
      shownKeys(harness),
      Array.from({length: 14}, (_, index) => `10.0.0.${index + 2}:5000`),
    );
    assert.match(moved, /1 more above, 15 below/v);

    await harness.press(keys.end);
    await harness.until(
      (text) => text.includes('> 10.0.0.30:') && text.includes('more above'),
      'end',
    );
    assert.equal(shownKeys(harness).at(-1), '10.0.0.30:5000');
    assert.match(harness.frame(), /16 more above/v);
    assert.match(harness.frame(), /row 30 of 30/v);

    await harness.press(keys.up);
    await harness.until((text) => text.includes('> 10.0.0.29:'), 'up');

    await harness.press(keys.home);
    await harness.until((text) => text.includes('> 10.0.0.1:'), 'home');
    assert.equal(shownKeys(harness)[0], '10.0.0.1:5000');

    await harness.press(keys.pageDown);
    await harness.until((text) => text.includes('> 10.0.0.15:'), 'page down');
    await harness.press(keys.pageUp);
    await harness.until((text) => text.includes('> 10.0.0.1:'), 'page up');
    await harness.press(keys.up);
    await harness.frames(2);
    assert.match(harness.frame(), /> 10\.0\.0\.1:/v, 'stays on the first row');
  });
});

test('the table re-lays out when the terminal is resized', async () => {
  await withDashboard(
    {records: clients(30), rows: 'terminal'},
    async (harness) => {
      // ink-testing-library reports no rows: 24 is assumed.
      await harness.until((text) => text.includes('16 more'), '24 lines');
      Object.defineProperty(harness.app.stdout, 'rows', {
        value: 16,
        configurable: true,
      });
      harness.app.stdout.emit('resize');
      // 16 lines: 10 for the table, 6 rows.
      await harness.until((text) => text.includes('24 more'), 'fewer rows');
      assert.equal(harness.rowLines().length, 6);
    },
  );
});

test('a narrow terminal drops detail columns instead of wrapping', async () => {
  const records = [
    fakeRecord('192.0.2.7', 5000, {
      intervalMeanMs: 1000,
      intervalStdDevMs: 5,
      outcomes: Array.from({length: 24}, () => 'replied' as const),
    }),
  ];
  await withDashboard({records, columns: 60}, async (harness) => {
    const frame = await harness.until(
      (text) => text.includes('192.0.2.7:5000'),
      'the row',
    );
    for (const line of frame.split('\n')) {
      assert.ok(line.length <= 60, `fits in 60 columns: ${line}`);
    }

    assert.match(frame, /state/v);
    assert.match(frame, /loss%/v);
    assert.match(frame, /last seen/v);
    assert.doesNotMatch(frame, /interval/v);
  });
});

test('at 60 columns the counts go together, and s sorts only by columns on screen', async () => {
  const records = [
    fakeRecord('192.0.2.7', 5000, {
      received: 11,
      replied: 4,
      dropped: 4,
      lost: 3,
      intervalMeanMs: 1000,
      intervalStdDevMs: 5,
    }),
  ];
  await withDashboard({records, columns: 60}, async (harness) => {
    const frame = await harness.until(
      (text) => text.includes('192.0.2.7:5000'),
      'the row',
    );
    const headings = frame.split('\n').find((line) => line.includes('state'))!;
    const counts = ['recv', 'replied', 'dropped', 'lost'].filter((heading) =>
      new RegExp(String.raw`\b${heading}\b`, 'v').test(headings),
    );
    assert.ok(
      counts.length === 0 || counts.length === 4,
      `the counts all or none: ${headings}`,
    );
    const onScreen = new Set(['client', 'state', 'loss%', 'last seen']);
    for (let press = 0; press < 8; press++) {
      await harness.press('s');
      const sorted = /sorted by (?<column>[a-z% ]+?) \(/v.exec(harness.frame())
        ?.groups?.column;
      assert.ok(
        sorted !== undefined && onScreen.has(sorted),
        `s sorted by ${sorted}, not on screen:\n${harness.frame()}`,
      );
    }
  });
});

test('ages keep counting as the clock moves', async () => {
  const record = fakeRecord('10.0.0.1', 1, {lastSeen: start - 3200});
  await withDashboard({records: [record]}, async (harness) => {
    await harness.until((text) => text.includes('3.2s ago'), '3.2s');
    harness.clock.advance(2000);
    await harness.until((text) => text.includes('5.2s ago'), '5.2s');
    harness.clock.advance(119_800);
    await harness.until((text) => text.includes('2m05s ago'), '2m05s');
  });
});

test('loss keys set the loss through the controller, clamped to 0-100', async () => {
  await withDashboard({}, async (harness) => {
    const {source, controller} = harness;
    const lastSet = () =>
      controller.calls.findLast(([name]) => name === 'setLoss')?.[1];
    const expectLoss = async (key: string, expected: number) => {
      const before = controller.calls.length;
      await harness.press(key);
      await waitFor(() => controller.calls.length > before, {
        message: `setLoss after ${key}`,
      });
      assert.equal(lastSet(), expected, `after ${key}`);
    };

    await expectLoss('+', 45);
    await expectLoss(']', 46);
    await expectLoss('-', 41);
    await expectLoss('[', 40);
    await expectLoss('7', 70);
    await expectLoss('0', 0);
    await expectLoss('9', 90);
    await harness.until((text) => text.includes('loss 90%'), 'the header');

    // The keys step from the loss the dashboard has been shown.
    const showLoss = async (percent: number) => {
      source.lossValue = percent;
      await harness.until(
        (text) => text.includes(`loss ${percent}%`),
        `loss ${percent}% shown`,
      );
    };

    await showLoss(98);
    await expectLoss('+', 100);
    await showLoss(2);
    await expectLoss('-', 0);
    await showLoss(0.5);
    await expectLoss('[', 0);
    await showLoss(12.3);
    await expectLoss(']', 13.3);

    // Already at the limit: nothing to change, so no loss event.
    await showLoss(100);
    const before = controller.calls.length;
    await harness.press('+');
    await harness.press(']');
    await harness.frames(2);
    assert.equal(controller.calls.length, before);
  });
});

test('L takes an exact loss: valid, invalid, Esc', async () => {
  await withDashboard({}, async (harness) => {
    const {controller} = harness;
    await harness.press('L');
    await harness.until((text) => text.includes('loss %:'), 'the input line');
    // Letters and a second point are not taken.
    await harness.type('1a2.5.x');
    await harness.until((text) => text.includes('loss %: 12.5'), 'typed');
    await harness.press(keys.enter);
    await harness.until((text) => !text.includes('loss %:'), 'closed');
    assert.deepEqual(controller.calls, [['setLoss', 12.5]]);

    await harness.press('L');
    await harness.until((text) => text.includes('loss %:'), 'open again');
    await harness.type('150');
    await harness.press(keys.enter);
    await harness.until(
      (text) => text.includes('enter a number from 0 to 100'),
      'the error',
    );
    await harness.press(keys.backspace);
    await harness.press(keys.backspace);
    await harness.until((text) => text.includes('loss %: 1 '), 'erased');
    await harness.press(keys.escape);
    await harness.until((text) => !text.includes('loss %:'), 'cancelled');

    await harness.press('L');
    await harness.until((text) => text.includes('loss %:'), 'open again');
    await harness.press(keys.enter);
    await harness.until(
      (text) => text.includes('enter a number from 0 to 100'),
      'empty is an error',
    );
    await harness.press(keys.escape);
    await harness.until((text) => !text.includes('loss %:'), 'cancelled');
    assert.deepEqual(controller.calls, [['setLoss', 12.5]]);
  });
});

test('s cycles the sort column and S reverses it', async () => {
  const records = [
    fakeRecord('10.0.0.10', 1, {
      state: 'alive',
      received: 5,
      lossPercent: 50,
      lastSeen: start - 3000,
    }),
    fakeRecord('10.0.0.9', 1, {
      state: 'stopped',
      received: 30,
      lossPercent: 10,
      lastSeen: start - 9000,
    }),
    fakeRecord('10.0.0.100', 1, {
      state: 'late',
      received: 20,
      lossPercent: undefined,
      lastSeen: start - 1000,
    }),
  ];
  // Wide enough for every column: s goes only through those on screen.
  await withDashboard({records, columns: 200}, async (harness) => {
    const order = async (label: string, expected: string[]) => {
      await harness.until(
        (text) => text.includes(label),
        `the status line says ${label}`,
      );
      assert.deepEqual(
        shownKeys(harness).map((key) => key.split(':')[0]),
        expected,
        label,
      );
    };

    await order('sorted by client (ascending)', [
      '10.0.0.9',
      '10.0.0.10',
      '10.0.0.100',
    ]);
    await harness.press('S');
    await order('sorted by client (descending)', [
      '10.0.0.100',
      '10.0.0.10',
      '10.0.0.9',
    ]);
    await harness.press('s');
    await order('sorted by state (descending)', [
      '10.0.0.9',
      '10.0.0.100',
      '10.0.0.10',
    ]);
    await harness.press('s');
    await order('sorted by recv (descending)', [
      '10.0.0.9',
      '10.0.0.100',
      '10.0.0.10',
    ]);
    await harness.press('s');
    // No loss yet goes last, either way.
    await order('sorted by loss% (descending)', [
      '10.0.0.10',
      '10.0.0.9',
      '10.0.0.100',
    ]);
    await harness.press('S');
    await order('sorted by loss% (ascending)', [
      '10.0.0.9',
      '10.0.0.10',
      '10.0.0.100',
    ]);
    await harness.press('s');
    await harness.press('s');
    await harness.press('s');
    await order('sorted by last seen (ascending)', [
      '10.0.0.100',
      '10.0.0.10',
      '10.0.0.9',
    ]);
    await harness.press('s');
    await order('sorted by client (ascending)', [
      '10.0.0.9',
      '10.0.0.10',
      '10.0.0.100',
    ]);
  });
});

test('keys typed faster than they are read each count, up to one that opens an input line', async () => {
  await withDashboard({records: clients(3)}, async (harness) => {
    await harness.press('sss');
    await harness.until(
      (text) => text.includes('sorted by loss% (descending)'),
      'three sort steps',
    );
    await harness.press('++]');
    await waitFor(() => harness.source.lossValue === 51, {
      message: 'loss 40 + 5 + 5 + 1',
    });
    await harness.press('/10');
    await harness.until((text) => text.includes('filter:'), 'the input');
    await harness.frames(2);
    assert.equal(harness.source.lossValue, 51, 'the digits were not loss keys');
  });
});

test('/ filters by part of the address; Esc cancels the input, then clears the filter', async () => {
  const records = [
    fakeRecord('10.0.0.1', 5000),
    fakeRecord('10.0.0.12', 5000),
    fakeRecord('10.0.1.1', 5000),
    fakeRecord('2001:db8::1', 5000),
  ];
  await withDashboard({records}, async (harness) => {
    await harness.until((text) => text.includes('10.0.1.1:5000'), 'rows');
    await harness.press('/');
    await harness.until((text) => text.includes('filter:'), 'the input');
    await harness.type('0.0.1');
    await harness.press(keys.enter);
    await harness.until(
      (text) => text.includes('filter "0.0.1": 3 of 4'),
      'filtered',
    );
    assert.deepEqual(shownKeys(harness), [
      '10.0.0.1:5000',
      '10.0.0.12:5000',
      '10.0.1.1:5000',
    ]);

    // Case does not matter.
    await harness.press('/');
    await harness.until((text) => text.includes('filter: 0.0.1'), 'reopened');
    for (let index = 0; index < 5; index++) {
      await harness.press(keys.backspace);
    }

    await harness.type('DB8');
    await harness.press(keys.enter);
    await harness.until((text) => text.includes('filter "DB8": 1 of 4'), 'v6');
    assert.match(harness.rowLines().join('\n'), /\[2001:db8::1\]:5000/v);

    // Esc in the input keeps the filter as it was.
    await harness.press('/');
    await harness.until((text) => text.includes('filter: DB8'), 'reopened');
    await harness.type('zz');
    await harness.press(keys.escape);
    await harness.until((text) => !text.includes('filter: '), 'cancelled');
    assert.match(harness.frame(), /filter "DB8"/v);

    await harness.press('/');
    await harness.type('nothing');
    await harness.press(keys.enter);
    await harness.until(
      (text) => text.includes('No client matches'),
      'no match',
    );

    // Esc on the table clears the filter.
    await harness.press(keys.escape);
    await harness.until((text) => !text.includes('filter "'), 'cleared');
    assert.equal(harness.rowLines().length, 4);
  });
});

test('p freezes the display while the store goes on changing, and p again resumes', async () => {
  const record = fakeRecord('10.0.0.1', 1, {
    received: 5,
    lastSeen: start - 1000,
  });
  await withDashboard({records: [record]}, async (harness) => {
    const {store, clock} = harness;
    await harness.until((text) => text.includes('1.0s ago'), 'live');
    await harness.press('p');
    const frozen = await harness.until(
      (text) => text.includes('FROZEN'),
      'frozen',
    );
    const frozenTable = frozen.split('\n').slice(2).join('\n');

    record.received = 777;
    record.state = 'stopped';
    store.add(fakeRecord('10.0.0.2', 1));
    clock.advance(5000);
    await harness.frames(5);
    assert.equal(
      harness.frame().split('\n').slice(2).join('\n'),
      frozenTable,
      'the table does not move',
    );
    assert.match(harness.frame(), /clients 1 {2}alive 1/v);

    // Keys still work on the frozen copy.
    await harness.press('S');
    await harness.until(
      (text) => text.includes('sorted by client (descending)'),
      'sorted while frozen',
    );
    assert.doesNotMatch(harness.frame(), /777/v);

    await harness.press('p');
    const live = await harness.until(
      (text) => text.includes('777') && !text.includes('FROZEN'),
      'live again',
    );
    assert.match(live, /6\.0s ago/v);
    assert.match(live, /10\.0\.0\.2:1/v);
    assert.match(live, /clients 2 {2}alive 1 {2}late 0 {2}stopped 1/v);
  });
});

test('r resets and x forgets stopped clients through the controller', async () => {
  await withDashboard({records: clients(2)}, async (harness) => {
    // r asks first: n keeps the counters, y resets them.
    await harness.press('r');
    await harness.until(
      (text) => text.includes('Reset every counter?'),
      'the question',
    );
    await harness.press('n');
    await harness.until(
      (text) => !text.includes('Reset every counter?'),
      'the question closed',
    );
    assert.deepEqual(harness.controller.calls, []);
    await harness.press('r');
    await harness.until(
      (text) => text.includes('Reset every counter?'),
      'the question again',
    );
    await harness.press('y');
    await waitFor(() => harness.controller.calls.length === 1, {
      message: 'reset',
    });
    await harness.until(
      (text) => !text.includes('Reset every counter?'),
      'the question closed after y',
    );
    await harness.press('x');
    await waitFor(() => harness.controller.calls.length === 2, {
      message: 'forget',
    });
    assert.deepEqual(harness.controller.calls, [
      ['resetCounters'],
      ['forgetStopped'],
    ]);
  });
});

test('? shows every key and the history legend; any key closes it', async () => {
  await withDashboard({}, async (harness) => {
    await harness.press('?');
    const help = await harness.until(
      (text) => text.includes('any other key closes this help'),
      'the help',
    );
    for (const key of [
      '+ / -',
      '] / [',
      '0-9',
      'L ',
      'Up / Down',
      'PgUp / PgDn',
      'Home / End',
      's ',
      'S ',
      '/ ',
      'Esc',
      'p ',
      'r ',
      'x ',
      '? ',
      'q / Ctrl+C',
    ]) {
      assert.ok(help.includes(`| ${key}`), `the help lists ${key}`);
    }

    for (const legend of ['. replied', 'x dropped', '? lost', '! malformed']) {
      assert.ok(help.includes(legend), `the legend explains ${legend}`);
    }

    assert.ok(help.split('\n').length <= 23, 'fits a 24-line terminal');

    // The key that closes the help does nothing else.
    await harness.press('q');
    await harness.until((text) => text.includes('sorted by'), 'closed');
    assert.deepEqual(harness.controller.calls, []);
  });
});

test('the footer lists every key', async () => {
  await withDashboard({}, async (harness) => {
    const footer = harness.frame().split('\n').slice(-2).join(' ');
    for (const hint of [
      '+/- loss±5',
      ']/[ ±1',
      '0-9 set',
      'L exact',
      '↑↓ PgUp/PgDn Home/End move',
      's/S sort',
      '/ filter',
      'p freeze',
      'r reset',
      'x forget stopped',
      '? help',
      'q quit',
    ]) {
      assert.ok(footer.includes(hint), `the footer shows ${hint}`);
    }
  });
});

test('the idle prompt: y quits', async () => {
  await withDashboard({}, async (harness) => {
    harness.source.idleMs = 62_000;
    await harness.until(
      (text) => text.includes('No heartbeat for 1m 02s. Shut down? (y/n)'),
      'the prompt',
    );
    // The table's keys are asleep while it asks.
    await harness.press('+');
    await harness.press('y');
    await waitFor(() => harness.controller.calls.length > 0, {message: 'quit'});
    assert.deepEqual(harness.controller.calls, [['quit']]);
  });
});

test('the idle prompt: n and Esc dismiss it', async () => {
  await withDashboard({}, async (harness) => {
    for (const answer of ['n', keys.escape]) {
      harness.source.idleMs = 61_000;
      await harness.until((text) => text.includes('Shut down?'), 'the prompt');
      await harness.press(answer);
      await harness.until((text) => !text.includes('Shut down?'), 'gone');
    }

    assert.deepEqual(harness.controller.calls, [
      ['dismissIdle'],
      ['dismissIdle'],
    ]);
  });
});

test('the idle prompt closes by itself when a heartbeat arrives', async () => {
  await withDashboard({}, async (harness) => {
    harness.source.idleMs = 60_000;
    await harness.until((text) => text.includes('1m 00s'), 'the prompt');
    harness.source.idleMs = 61_000;
    await harness.until((text) => text.includes('1m 01s'), 'counting');
    harness.source.idleMs = undefined;
    await harness.until((text) => !text.includes('Shut down?'), 'gone');
    assert.deepEqual(harness.controller.calls, []);

    // And the table has its keys back.
    await harness.press('x');
    await waitFor(() => harness.controller.calls.length === 1, {
      message: 'forget',
    });
  });
});

test('q quits', async () => {
  await withDashboard({}, async (harness) => {
    await harness.press('q');
    await waitFor(() => harness.controller.calls.length > 0, {message: 'quit'});
    assert.deepEqual(harness.controller.calls, [['quit']]);
  });
});

test('Ctrl+C quits, even while an input line is open', async () => {
  await withDashboard({}, async (harness) => {
    await harness.press('/');
    await harness.until((text) => text.includes('filter:'), 'the input');
    await harness.press(keys.ctrlC);
    await waitFor(() => harness.controller.calls.length > 0, {message: 'quit'});
    assert.deepEqual(harness.controller.calls, [['quit']]);
    assert.match(harness.frame(), /filter: {2}/v, 'no c typed into the filter');
  });
});

test('packets do not cause renders: a burst of store changes is drawn on the frame beat', async () => {
  const record = fakeRecord('10.0.0.1', 1);
  await withDashboard(
    {records: [record], frameIntervalMs: 50},
    async (harness) => {
      await harness.frames(1);
      const framesBefore = harness.app.frames.length;
      const ticksBefore = harness.ticks();
      for (let packet = 1; packet <= 1000; packet++) {
        record.received = packet;
        harness.store.touch();
        if (packet % 50 === 0) {
          // Let timers run between bursts, as packets arriving over time would.
          await yieldToLoop();
        }
      }

      await harness.until((text) => text.includes('1000'), 'the last count');
      const drawn = harness.app.frames.length - framesBefore;
      const ticks = harness.ticks() - ticksBefore;
      assert.ok(drawn <= ticks + 1, `${drawn} frames for ${ticks} ticks`);
      assert.ok(drawn <= 10, `${drawn} frames for 1000 changes`);
    },
  );
});

/* Ink reads and writes Node streams, so these fakes are EventEmitters, as Node's streams are. */

/** A stdin that is not a terminal, as under a pipe: Ink fails if raw mode is asked of it. */
// eslint-disable-next-line unicorn/prefer-event-target
class PipeStdin extends EventEmitter {
  get isTTY(): boolean {
    return false;
  }

  setRawMode(): never {
    throw new Error('Raw mode is not supported');
  }

  setEncoding(): void {
    // Nothing to decode: no data ever comes.
  }

  resume(): void {
    // Nothing flows.
  }

  pause(): void {
    // Nothing flows.
  }

  ref(): void {
    // Holds no handle.
  }

  unref(): void {
    // Holds no handle.
  }
}

/** A stdout that keeps the last frame. */
// eslint-disable-next-line unicorn/prefer-event-target
class CapturingStdout extends EventEmitter {
  output = '';

  get columns(): number {
    return 100;
  }

  write(frame: string): boolean {
    this.output = frame;
    return true;
  }
}

test('without a terminal on stdin, it draws and listens to no key (raw mode would throw)', async () => {
  const stdin = new PipeStdin();
  const stdout = new CapturingStdout();
  const clock = new FakeClock();
  const store = new FakeStore().add(fakeRecord('10.0.0.1', 1));
  const source = fakeSource(store, clock);
  source.idleMs = 61_000;
  const errors: unknown[] = [];
  const controller = recordingController(source);
  const app = render(
    <Dashboard
      engine={new FakeEngine(source, clock, controller, 20)}
      onQuit={() => {
        controller.quit();
      }}
    />,
    {
      // Fakes of the few stream members Ink uses.
      stdout: stdout as unknown as NodeJS.WriteStream,
      stdin: stdin as unknown as NodeJS.ReadStream,
      debug: true,
      exitOnCtrlC: false,
      patchConsole: false,
    },
  );
  app.waitUntilExit().catch((error: unknown) => {
    errors.push(error);
  });
  try {
    await waitFor(
      () =>
        stdout.output.includes('Shut down?') &&
        stdout.output.includes('10.0.0.1:1'),
      {message: 'a frame with the row and the prompt'},
    );
    assert.match(stdout.output, /10\.0\.0\.1:1/v);
    assert.deepEqual(errors, []);
  } finally {
    app.unmount();
  }
});
