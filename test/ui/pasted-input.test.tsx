import assert from 'node:assert/strict';
import test from 'node:test';
import {fakeRecord} from './fake-store.js';
import {renderDashboard} from './render-dashboard.js';

test('L: a value pasted with its Enter in one read is applied and the prompt closes', async () => {
  const harness = await renderDashboard();
  try {
    await harness.press('L');
    await harness.until((text) => text.includes('loss %:'), 'the input line');
    await harness.press('25\r');
    await harness.until((text) => !text.includes('loss %:'), 'closed');
    assert.deepEqual(harness.controller.calls, [['setLoss', 25]]);

    // An invalid paste keeps the prompt open with its error, as a typed one does.
    await harness.press('L');
    await harness.until((text) => text.includes('loss %:'), 'open again');
    await harness.press('150\r');
    await harness.until(
      (text) => text.includes('enter a number from 0 to 100'),
      'the error',
    );
    assert.match(harness.frame(), /loss %: 150/v);
    assert.deepEqual(harness.controller.calls, [['setLoss', 25]]);
  } finally {
    harness.unmount();
  }
});

test('/: a filter pasted with its Enter in one read is applied and the prompt closes', async () => {
  const harness = await renderDashboard({
    records: [fakeRecord('10.0.0.1', 5000), fakeRecord('10.0.1.1', 5000)],
  });
  try {
    await harness.until((text) => text.includes('10.0.1.1:5000'), 'rows');
    await harness.press('/');
    await harness.until((text) => text.includes('filter:'), 'the input');
    await harness.press('0.1.1\n');
    const frame = await harness.until(
      (text) => text.includes('filter "0.1.1": 1 of 2'),
      'filtered',
    );
    assert.doesNotMatch(frame, /filter:/v, 'the prompt is closed');
    assert.equal(harness.rowLines().length, 1);
  } finally {
    harness.unmount();
  }
});
