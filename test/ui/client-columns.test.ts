import assert from 'node:assert/strict';
import test from 'node:test';
import {
  columnHeadings,
  columnIds,
  dropOrder,
  fitColumns,
  formatRow,
  minHistory,
  type RowCells,
} from '../../source/ui/client-columns.js';
import {toClientRow} from '../../source/engine/client-row.js';
import {fakeRecord} from './fake-store.js';

const now = Date.UTC(2026, 0, 1);

function rowOf(...parameters: Parameters<typeof fakeRecord>) {
  return toClientRow(fakeRecord(...parameters));
}

function wideRow(): RowCells {
  return formatRow(
    rowOf('192.168.100.200', 54_321, {
      received: 123_456,
      replied: 100_000,
      dropped: 23_456,
      lost: 12,
      lossPercent: 19.2,
      lastSeq: 123_468,
      delayLastMs: 12.3,
      intervalMeanMs: 1000,
      intervalStdDevMs: 12,
      lastSeen: now - 125_000,
      outcomes: Array.from({length: 24}, (_, index) =>
        index % 5 === 0 ? 'dropped' : 'replied',
      ),
    }),
    now,
    true,
  );
}

/** Width as the table draws it: each column's widest text or heading plus a space each side. */
function drawnWidth(
  rows: readonly RowCells[],
  fit: ReturnType<typeof fitColumns>,
): number {
  let width = 0;
  for (const column of fit.columns) {
    const texts = rows.map((row) =>
      column === 'history'
        ? row.history.slice(row.history.length - fit.historyLength)
        : row[column],
    );
    width +=
      Math.max(
        columnHeadings[column].length,
        ...texts.map((text) => text.length),
      ) + 2;
  }

  return width;
}

test('a row: the cursor mark, the cells, all ASCII', () => {
  const row = wideRow();
  assert.equal(row.client, '> 192.168.100.200:54321');
  assert.equal(row.lastSeen, '2m05s ago');
  assert.equal(row.history, 'x....x....x....x....x...');
  assert.equal(
    formatRow(rowOf('10.0.0.1', 1), now, false).client,
    '  10.0.0.1:1',
  );
  for (const column of columnIds) {
    assert.match(row[column], /^[\u0020-\u007E]*$/v, column);
  }
});

test('a wide terminal shows every column and the whole history', () => {
  const fit = fitColumns([wideRow()], 200);
  assert.deepEqual(fit.columns, columnIds);
  assert.equal(fit.historyLength, 24);
});

test('narrower terminals drop columns in order, the history shrinking first', () => {
  const rows = [wideRow()];
  let previous = fitColumns(rows, 400);
  for (let width = 200; width >= 40; width--) {
    const fit = fitColumns(rows, width);
    // Never wider than the terminal while anything is left to drop.
    if (fit.columns.length > columnIds.length - dropOrder.flat().length) {
      assert.ok(drawnWidth(rows, fit) <= width, `width ${width}`);
    }

    const dropped = columnIds.filter((column) => !fit.columns.includes(column));
    // Whole groups go, first to last: the counts never go one without the others.
    const groups = dropOrder.findIndex(
      (_, index) =>
        dropOrder.slice(0, index + 1).flat().length >= dropped.length,
    );
    assert.deepEqual(
      dropped,
      columnIds.filter((column) =>
        dropOrder
          .slice(0, dropped.length === 0 ? 0 : groups + 1)
          .flat()
          .includes(column),
      ),
      `at ${width} the first groups of the drop order are gone: ${dropped.join(',')}`,
    );
    const counts = ['received', 'replied', 'dropped', 'lost'] as const;
    assert.ok(
      counts.every((column) => fit.columns.includes(column)) ||
        counts.every((column) => !fit.columns.includes(column)),
      `at ${width} the counts show all together or not at all`,
    );
    assert.ok(fit.columns.length <= previous.columns.length);
    if (fit.columns.includes('history')) {
      assert.ok(fit.historyLength >= minHistory);
    }

    previous = fit;
  }

  const narrowest = fitColumns(rows, 40);
  assert.deepEqual(narrowest.columns, ['client', 'state', 'loss']);
});

test('without the interval and seq, a history strip takes what is left', () => {
  const rows = [wideRow()];
  const fit = fitColumns(rows, 110);
  assert.ok(fit.columns.includes('history'), fit.columns.join(','));
  assert.ok(!fit.columns.includes('interval'));
  const width = drawnWidth(rows, fit);
  assert.ok(width <= 110, `${width} columns drawn`);
  assert.ok(width >= 109, `the strip takes what is left (${width})`);
});
