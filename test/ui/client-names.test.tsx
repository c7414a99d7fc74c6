import assert from 'node:assert/strict';
import test from 'node:test';
import {fakeRecord} from './fake-store.js';
import {keys, renderDashboard} from './render-dashboard.js';

const start = Date.UTC(2026, 0, 1);

test('a named client shows its name in the table, and its address and fields in the detail view', async () => {
  const harness = await renderDashboard({
    records: [
      fakeRecord('10.0.0.1', 5000, {received: 1, lastSeen: start - 1000}),
      fakeRecord('10.0.0.2', 5000, {
        received: 5,
        lastSeen: start - 1000,
        name: 'boiler-room',
        fields: [
          ['battery', '87'],
          ['fw', '{"v":"1.2"}'],
        ],
      }),
      // Keyed by its name (--client-key name): the detail view shows where it sent from last.
      {
        ...fakeRecord('::ffff:10.0.0.9', 6000, {
          received: 2,
          lastSeen: start - 1000,
          name: 'pump-3',
        }),
        key: 'pump-3',
      },
    ],
    columns: 140,
  });
  try {
    const table = await harness.until(
      (text) => text.includes('boiler-room') && text.includes('pump-3'),
      'the named rows',
    );
    assert.ok(table.includes('10.0.0.1:5000'), table);
    assert.ok(!table.includes('10.0.0.2:5000'), 'the name, not the address');
    await harness.press(keys.down);
    await harness.until((text) => text.includes('> boiler-room'), 'moved');
    await harness.press(keys.enter);
    // The view's first frame may still wait for the engine's figures: wait for the titled one.
    const detail = await harness.until(
      (text) => text.includes('detail boiler-room  '),
      'the detail view',
    );
    assert.match(detail, /detail boiler-room {2}10\.0\.0\.2:5000 {2}alive\n/v);
    // The fields have a line of their own, wrapped between fields like the figures.
    assert.match(detail, /^fields {2}battery=87 {2}fw=\{"v":"1\.2"\}$/mv);
    await harness.press(keys.escape);
    await harness.until((text) => text.includes('> boiler-room'), 'back');
    await harness.press(keys.down);
    await harness.until((text) => text.includes('> pump-3'), 'moved');
    await harness.press(keys.enter);
    const named = await harness.until(
      (text) => text.includes('detail pump-3  '),
      'the detail view of a client keyed by name',
    );
    assert.match(named, /detail pump-3 {2}10\.0\.0\.9:6000 {2}alive/v);
  } finally {
    harness.unmount();
  }
});
