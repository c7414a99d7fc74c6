import assert from 'node:assert/strict';
import test from 'node:test';
import {renderDashboard} from './render-dashboard.js';

test('? then Space: pages of keys and columns that fit 80x24, wrapped at words, nothing cut off', async () => {
  const harness = await renderDashboard({columns: 80, rows: 24});
  try {
    await harness.press('?');
    const pages = [
      await harness.until((text) => text.includes('Keys (1/'), 'the keys'),
    ];
    const count = Number(
      /Keys \(1\/(?<count>\d+);/v.exec(pages[0]!)?.groups?.count,
    );
    assert.ok(count >= 2, pages[0]);
    for (let index = 2; index <= count; index++) {
      await harness.press(' ');
      pages.push(
        await harness.until(
          (text) => text.includes(`(${index}/${count};`),
          `page ${index}`,
        ),
      );
    }

    for (const page of pages) {
      const lines = page.split('\n');
      assert.ok(lines.length <= 24, `fits a 24-line terminal:\n${page}`);
      for (const line of lines) {
        assert.ok(!line.includes('…'), `nothing is cut off: ${line}`);
        assert.ok(line.length <= 80, `fits 80 columns: ${line}`);
      }
    }

    const flat = pages
      .join('\n')
      .replaceAll(/\s*\|\s*/gv, ' ')
      .replaceAll(/\s+/gv, ' ');
    for (const said of [
      'type an exact loss, 0-100, decimals allowed (Enter applies, Esc cancels)',
      'sort by the next column: client, state, recv, loss%, delay, interval, last seen',
      '! malformed',
      'Idle prompt y shuts down; n or Esc keeps serving until the next idle period',
      'dropped replies the simulated loss threw away on purpose',
      'lost heartbeats that never arrived',
      '(dropped + lost) / (received + lost)',
      'delay one way, in ms',
      'skew moves it',
      'time zone has that whole offset taken out',
      'interval mean time between heartbeats and its spread (+-), in ms',
      '"malformed datagrams N" counts datagrams',
      'not clients',
      'replied + dropped + unanswered make recv',
    ]) {
      assert.ok(flat.includes(said), `the help says: ${said}\n${flat}`);
    }

    // Space turns back to the first page; any other key closes the help and does nothing else.
    await harness.press(' ');
    await harness.until((text) => text.includes('Keys (1/'), 'keys again');
    await harness.press('q');
    await harness.until((text) => text.includes('sorted by'), 'closed');
    assert.deepEqual(harness.controller.calls, []);
  } finally {
    harness.unmount();
  }
});
