import assert from 'node:assert/strict';
import test from 'node:test';
import {waitFor} from '../helpers/wait-for.js';
import {fakeRecord} from './fake-store.js';
import {
  keys,
  renderDashboard,
  type DashboardHarness,
} from './render-dashboard.js';

const start = Date.UTC(2026, 0, 1);

/** Three clients; the second has every figure set and a clock 5:30 behind. */
function records() {
  return [
    fakeRecord('10.0.0.1', 5000, {received: 1, lastSeen: start - 1000}),
    fakeRecord('10.0.0.2', 5000, {
      received: 120,
      replied: 90,
      dropped: 25,
      unanswered: 3,
      lost: 5,
      lossPercent: 24,
      duplicates: 2,
      reordered: 4,
      restarts: 1,
      malformed: 6,
      lastSeq: 130,
      delayLastMs: 3.21,
      delayMinMs: 1.5,
      delayAvgMs: 4.25,
      delayMaxMs: 42,
      jitterMs: 0.75,
      intervalMeanMs: 1000,
      intervalStdDevMs: 12,
      clockOffsetMs: -19_800_000,
      label: 'sensor-7',
      firstSeen: start - 120_000,
      lastSeen: start - 3200,
    }),
    fakeRecord('10.0.0.3', 5000, {received: 3, lastSeen: start - 1000}),
  ];
}

function series(harness: DashboardHarness, key: string, length: number) {
  harness.engine.details.set(key, {
    stateChanges: [
      {time: start - 120_000, state: 'alive'},
      {time: start - 60_000, state: 'late'},
      {time: start - 59_000, state: 'alive'},
    ],
    delaysMs: Array.from({length}, (_, index) => 2 + (index % 10)),
    intervalsMs: Array.from({length}, (_, index) => 990 + (index % 7) * 5),
  });
}

async function withDetail(
  run: (harness: DashboardHarness) => Promise<void>,
): Promise<void> {
  const harness = await renderDashboard({records: records(), columns: 140});
  try {
    series(harness, '10.0.0.2:5000', 100);
    await harness.until((text) => text.includes('> 10.0.0.1:5000'), 'rows');
    await harness.press(keys.down);
    await harness.until((text) => text.includes('> 10.0.0.2:5000'), 'moved');
    await run(harness);
  } finally {
    harness.unmount();
  }
}

const chartTitles =
  /delay, last 100 heartbeats[\s\S]*arrival interval, last 100 heartbeats/v;

test('Enter opens the detail view: every figure, the clock offset, state changes and both charts', async () => {
  await withDetail(async (harness) => {
    await harness.press(keys.enter);
    const frame = await harness.until(
      (text) => chartTitles.test(text),
      'the detail view with both charts',
    );
    const opened = harness.engine.sent.findLast(
      (command) => command.type === 'view',
    );
    assert.equal(
      opened?.type === 'view' ? opened.query.detail : undefined,
      '10.0.0.2:5000',
      'the view names the client to the engine',
    );
    for (const figure of [
      'detail 10.0.0.2:5000',
      'label sensor-7',
      'received 120',
      'replied 90',
      'dropped 25',
      'unanswered 3',
      'lost 5',
      'loss 24.0%',
      'duplicates 2',
      'reordered 4',
      'restarts 1',
      'malformed 6',
      'last seq 130',
      'delay last 3.2ms',
      'min 1.5ms',
      'avg 4.3ms',
      'max 42ms',
      'jitter 0.75ms',
      'interval 1000 +-12ms',
      'clock 5:30 behind',
      '(2m00s ago)',
      '(3.2s ago)',
    ]) {
      assert.ok(frame.includes(figure), `${figure} in:\n${frame}`);
    }

    assert.match(
      frame,
      /state changes: \d\d:\d\d:\d\d alive, \d\d:\d\d:\d\d late, \d\d:\d\d:\d\d alive/v,
    );
    // The charts draw the series: their axes carry the delays' and the intervals' ranges.
    assert.match(frame, / 11ms \|/v, frame);
    assert.match(frame, / 1.02s \|/v, frame);
    assert.doesNotMatch(frame, /10\.0\.0\.1:5000/v, 'the table is gone');
  });
});

test('Esc, and Enter, go back to the table at the same row, and the engine stops sending the detail', async () => {
  await withDetail(async (harness) => {
    for (const back of [keys.escape, keys.enter]) {
      await harness.press(keys.enter);
      await harness.until((text) => chartTitles.test(text), 'the detail view');
      await harness.press(back);
      const table = await harness.until(
        (text) => text.includes('> 10.0.0.2:5000') && !chartTitles.test(text),
        'the table at the same row',
      );
      assert.match(table, /10\.0\.0\.1:5000/v);
      // The view no longer names the client: the engine stops sending its detail.
      await waitFor(
        () => harness.engine.getSnapshot().query.detail === undefined,
        {message: 'a view without the detail'},
      );
    }
  });
});

test('the view follows the client live, and p freezes it', async () => {
  await withDetail(async (harness) => {
    await harness.press(keys.enter);
    await harness.until((text) => text.includes('received 120'), 'the detail');
    const record = harness.store.get('10.0.0.2:5000') as {received: number};
    record.received = 121;
    harness.store.touch();
    await harness.until(
      (text) => text.includes('received 121'),
      'live figures',
    );

    await harness.press('p');
    await harness.until((text) => text.includes('FROZEN'), 'frozen');
    record.received = 200;
    series(harness, '10.0.0.2:5000', 50);
    harness.store.touch();
    await harness.frames(3);
    const frozen = harness.frame();
    assert.ok(frozen.includes('received 121'), frozen);
    assert.match(frozen, /delay, last 100 heartbeats/v);

    await harness.press('p');
    const live = await harness.until(
      (text) => text.includes('received 200') && !text.includes('FROZEN'),
      'live again',
    );
    assert.match(live, /delay, last 50 heartbeats/v);
  });
});

test('a client forgotten while its view is open is said to be gone', async () => {
  await withDetail(async (harness) => {
    await harness.press(keys.enter);
    await harness.until((text) => chartTitles.test(text), 'the detail view');
    harness.store.remove('10.0.0.2:5000');
    await harness.until(
      (text) => text.includes('10.0.0.2:5000 is no longer tracked'),
      'the client gone',
    );
    await harness.press(keys.escape);
    await harness.until(
      (text) => text.includes('10.0.0.3:5000') && !text.includes('no longer'),
      'the table again',
    );
  });
});

test('the charts fit the terminal: a narrow one gets narrower charts', async () => {
  const harness = await renderDashboard({records: records(), columns: 60});
  try {
    series(harness, '10.0.0.2:5000', 100);
    await harness.press(keys.down);
    await harness.until((text) => text.includes('> 10.0.0.2:5000'), 'moved');
    await harness.press(keys.enter);
    const frame = await harness.until(
      (text) => chartTitles.test(text),
      'the detail view',
    );
    const chartLines = frame
      .split('\n')
      .filter((line) => /s [\|+]/v.test(line));
    assert.ok(chartLines.length >= 4, frame);
    for (const line of chartLines) {
      assert.ok(line.length <= 60, `${line.length} columns: ${line}`);
    }
  } finally {
    harness.unmount();
  }
});

test('Esc goes back to the client the view showed, wherever a re-sort has moved it', async () => {
  await withDetail(async (harness) => {
    // Sorted by recv, most first: 10.0.0.2 (120) is the first row, and the one selected.
    await harness.press('s');
    await harness.press('s');
    await harness.until(
      (text) => text.includes('sorted by recv (descending)'),
      'sorted by recv',
    );
    await harness.press(keys.home);
    await harness.until((text) => text.includes('> 10.0.0.2:5000'), 'first');
    await harness.press(keys.enter);
    await harness.until((text) => chartTitles.test(text), 'the detail view');
    // While the view is open another client overtakes it.
    harness.store.records.get('10.0.0.3:5000')!.received = 500;
    harness.store.touch();
    await harness.frames(3);
    await harness.press(keys.escape);
    const back = await harness.until(
      (text) => text.includes('sorted by recv'),
      'the table',
    );
    await harness.until(
      (text) => text.includes('> 10.0.0.2:5000') && text.includes('row 2 of 3'),
      `the same client, now on row 2:\n${back}`,
    );
  });
});
