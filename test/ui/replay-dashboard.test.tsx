/*
The dashboard of a replay, in ink-testing-library: the replay's line in the header, the replay's
keys moving a real replay clock, and the keys that would change the recording doing nothing.
*/
import assert from 'node:assert/strict';
import test from 'node:test';
import {
  createReplayControls,
  nextSpeed,
} from '../../source/replay/replay-dashboard.js';
import {createReplayClock} from '../../source/replay/replay-clock.js';
import {fakeRecord} from './fake-store.js';
import {renderDashboard} from './render-dashboard.js';

test('speeds double and halve, from 1/64 to 1024, then as fast as it can', () => {
  assert.equal(nextSpeed(1, true), 2);
  assert.equal(nextSpeed(1, false), 0.5);
  assert.equal(nextSpeed(1024, true), 0);
  assert.equal(nextSpeed(0, true), 0);
  assert.equal(nextSpeed(0, false), 1024);
  assert.equal(nextSpeed(1 / 64, false), 1 / 64);
});

test('a replay’s dashboard: its header line, space and < > on the replay clock, the loss keys off', async () => {
  const clock = createReplayClock(1);
  let changes = 0;
  const {controls, end} = createReplayControls(clock, () => {
    changes++;
  });
  const harness = await renderDashboard({
    records: [fakeRecord('10.0.0.1', 5000)],
    replay: controls,
  });
  try {
    let frame = await harness.until(
      (text) => text.includes('REPLAY') && text.includes('speed x1'),
      'the replay line',
    );
    assert.match(frame, /loss keys off in a replay/v);
    assert.match(frame, /10\.0\.0\.1:5000/v);

    await harness.press(' ');
    await harness.until((text) => text.includes('PAUSED'), 'paused');
    assert.equal(clock.paused, true);
    await harness.press('>');
    await harness.until((text) => text.includes('speed x2'), 'x2');
    await harness.press('<');
    await harness.press('<');
    await harness.until((text) => text.includes('speed x0.5'), 'x0.5');
    assert.equal(clock.speed, 0.5);
    assert.equal(changes, 4, 'each key shows a fresh snapshot');

    // The keys that would change what was recorded are not bound.
    for (const key of ['+', '5', ']', 'r', 'x', 'm']) {
      await harness.press(key);
    }

    await harness.press(' ');
    frame = await harness.until((text) => !text.includes('PAUSED'), 'resumed');
    assert.deepEqual(
      harness.engine.sent
        .map((command) => command.type)
        .filter((type) => type !== 'view'),
      [],
    );
    assert.doesNotMatch(frame, /y resets/v, 'r asks nothing in a replay');

    end();
    await harness.until(
      (text) => text.includes('end of the log'),
      'the end of the log',
    );
  } finally {
    clock.stop();
    harness.unmount();
  }
});
