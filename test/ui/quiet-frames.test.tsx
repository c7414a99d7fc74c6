import assert from 'node:assert/strict';
import test from 'node:test';
import {sameScreen} from '../../source/ui/same-screen.js';
import {fakeRecord} from './fake-store.js';
import {renderDashboard} from './render-dashboard.js';

const start = Date.UTC(2026, 0, 1);

test('a snapshot that changes nothing on screen writes nothing; a second more of age draws one frame', async () => {
  const record = fakeRecord('10.0.0.1', 1, {lastSeen: start - 20_000});
  const harness = await renderDashboard({records: [record]});
  try {
    await harness.until((text) => text.includes('20s ago'), 'the row');
    await harness.frames(3);
    const written = harness.app.frames.length;
    // Nine more snapshots, each 100 ms later: the age still reads 20s, the uptime the same.
    for (let tick = 0; tick < 9; tick++) {
      harness.clock.advance(100);
      await harness.frames(1);
    }

    assert.equal(
      harness.app.frames.length,
      written,
      'no frame for snapshots that change nothing on screen',
    );

    harness.clock.advance(100);
    await harness.until((text) => text.includes('21s ago'), 'a second on');
    assert.ok(harness.app.frames.length > written, 'the new age is drawn');

    // A count that changes is drawn at once, whatever the age does.
    record.received = 4321;
    harness.store.touch();
    await harness.until((text) => text.includes('4321'), 'the new count');
  } finally {
    harness.unmount();
  }
});

test('sameScreen: ages, uptime and rate as shown; any other change is a change', async () => {
  const record = fakeRecord('10.0.0.1', 1, {lastSeen: start - 30_000});
  const harness = await renderDashboard({records: [record]});
  try {
    await harness.until((text) => text.includes('30s ago'), 'the row');
    const first = harness.engine.getSnapshot();
    harness.clock.advance(400);
    await harness.frames(1);
    const later = harness.engine.getSnapshot();
    assert.notEqual(first.time, later.time);
    assert.ok(sameScreen(first, later), '400 ms later, the same screen');
    assert.ok(!sameScreen(first, later, true), 'unless the time is shown');

    harness.clock.advance(600);
    await harness.frames(1);
    assert.ok(
      !sameScreen(first, harness.engine.getSnapshot()),
      'a second later the age reads 31s',
    );

    record.state = 'late';
    harness.store.touch();
    await harness.frames(1);
    const late = harness.engine.getSnapshot();
    assert.ok(!sameScreen(later, late), 'a new state is a change');
    assert.ok(
      !sameScreen(late, {...late, lossPercent: late.lossPercent + 1}),
      'a new loss is a change',
    );
    assert.ok(
      !sameScreen(late, {
        ...late,
        window: {...late.window, total: late.window.total + 1},
      }),
      'one more row is a change',
    );
  } finally {
    harness.unmount();
  }
});
