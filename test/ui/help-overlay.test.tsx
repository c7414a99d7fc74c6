import assert from 'node:assert/strict';
import test from 'node:test';
import {renderDashboard} from './render-dashboard.js';

test('? then Space explains the columns, the loss formula and the header counts, in 80 columns and 23 lines', async () => {
  const harness = await renderDashboard({columns: 80});
  try {
    await harness.press('?');
    await harness.until((text) => text.includes('Keys (Space'), 'the keys');
    await harness.press(' ');
    const page = await harness.until(
      (text) => text.includes('Columns (Space'),
      'the columns page',
    );
    const flat = page.replaceAll(/\s*\|\s*/gv, ' ').replaceAll(/\s+/gv, ' ');
    for (const said of [
      'dropped replies the simulated loss threw away on purpose',
      'lost heartbeats that never arrived',
      '(dropped + lost) / (received + lost)',
      'delay one way, in ms',
      'skew moves it',
      'time zone has that whole offset taken out',
      'interval mean time between heartbeats and its spread (+-), in ms',
      '"malformed datagrams N" counts datagrams',
      'not clients',
      'unanswered',
      'replied + dropped + unanswered make recv',
    ]) {
      assert.ok(flat.includes(said), `the help says: ${said}\n${page}`);
    }

    const lines = page.split('\n');
    assert.ok(lines.length <= 23, 'fits a 24-line terminal');
    for (const line of lines) {
      assert.ok(!line.includes('…'), `nothing is cut off: ${line}`);
      assert.ok(line.length <= 80, `fits 80 columns: ${line}`);
    }

    // Space turns back to the keys; any other key closes the help and does nothing else.
    await harness.press(' ');
    await harness.until((text) => text.includes('Keys (Space'), 'keys again');
    await harness.press('q');
    await harness.until((text) => text.includes('sorted by'), 'closed');
    assert.deepEqual(harness.controller.calls, []);
  } finally {
    harness.unmount();
  }
});
