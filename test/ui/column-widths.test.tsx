import assert from 'node:assert/strict';
import test from 'node:test';
import {fakeRecord} from './fake-store.js';
import {renderDashboard} from './render-dashboard.js';

/** Where each heading stands on the table's heading line: its first and last column. */
function borders(frame: string): number[] {
  const heading = frame.split('\n').find((line) => line.startsWith(' client '));
  assert.ok(heading, `a heading line in:\n${frame}`);
  // Headings stand two spaces apart or more; "last seen" has one inside.
  return [...heading.matchAll(/\S+(?: \S+)*/gv)].flatMap((match) => [
    match.index,
    match.index + match[0].length,
  ]);
}

test('columns keep their place when a client stops, and the table does not narrow after a reset', async () => {
  const record = fakeRecord('10.0.0.1', 5000, {
    state: 'alive',
    received: 123_456,
    replied: 100_000,
    dropped: 23_456,
    lossPercent: 19,
    delayLastMs: 3.2,
    outcomes: ['replied', 'dropped'],
  });
  const harness = await renderDashboard({records: [record], columns: 140});
  try {
    const first = await harness.until(
      (text) => text.includes('123456'),
      'the row',
    );
    const before = borders(first);

    record.state = 'stopped';
    harness.store.touch();
    const stopped = await harness.until(
      (text) => text.includes('stopped 1'),
      'stopped',
    );
    assert.deepEqual(borders(stopped), before, 'stopped moves no column');

    // A reset: every counter back to nothing.
    Object.assign(record, {
      received: 0,
      replied: 0,
      dropped: 0,
      lossPercent: undefined,
      delayLastMs: undefined,
      outcomes: [],
    });
    harness.store.touch();
    const reset = await harness.until(
      (text) => !text.includes('123456'),
      'the counters reset',
    );
    assert.deepEqual(borders(reset), before, 'a reset narrows nothing');
  } finally {
    harness.unmount();
  }
});
