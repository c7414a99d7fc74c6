import assert from 'node:assert/strict';
import test from 'node:test';
import {moreText} from '../../source/ui/status-line.js';
import {
  compactFooter,
  fitFooter,
  footerLines,
  keyHints,
  rowsThatFit,
  tableBudget,
  tableHeight,
} from '../../source/ui/layout.js';

test('the footer packs every hint into lines that fit', () => {
  for (const width of [200, 100, 80, 40]) {
    const lines = footerLines(width);
    assert.deepEqual(lines.flat(), [...keyHints], `every hint at ${width}`);
    for (const line of lines) {
      const text = line.map((hint) => `${hint.keys} ${hint.action}`).join('  ');
      assert.ok(text.length <= width, `${text} fits ${width}`);
    }
  }

  assert.equal(footerLines(200).length, 1);
  assert.equal(footerLines(100).length, 2);
});

test('the table takes N + 4 lines (no rule between rows) and the budget leaves one line spare', () => {
  assert.equal(tableHeight(1), 5);
  assert.equal(tableHeight(7), 11);
  assert.equal(
    tableBudget({
      terminalRows: 24,
      footerHeight: 2,
      promptOpen: false,
      inputOpen: false,
    }),
    18,
  );
  assert.equal(
    tableBudget({
      terminalRows: 24,
      footerHeight: 2,
      promptOpen: true,
      inputOpen: true,
    }),
    14,
  );
});

test('rows that fit: as many as the table has lines for, none going to "N more"', () => {
  assert.equal(rowsThatFit(18, 14), 14);
  assert.equal(rowsThatFit(18, 15), 14);
  assert.equal(rowsThatFit(18, 30), 14);
  assert.equal(rowsThatFit(11, 7), 7);
  assert.equal(rowsThatFit(18, 0), 0);
  assert.equal(rowsThatFit(3, 10), 0);
  for (let budget = 0; budget < 60; budget++) {
    for (const total of [0, 1, 5, 20, 100]) {
      const rows = rowsThatFit(budget, total);
      assert.ok(rows <= total);
      if (rows > 0) {
        assert.ok(tableHeight(rows) <= budget, `${rows} rows in ${budget}`);
      }
    }
  }
});

test('a 40x10 terminal keeps a client row: the footer shrinks to ? and q', () => {
  const parts = {
    width: 40,
    terminalRows: 10,
    promptOpen: false,
    inputOpen: false,
  };
  assert.equal(footerLines(40).length, 4);
  const footer = fitFooter(parts);
  assert.deepEqual(footer, compactFooter);
  const budget = tableBudget({...parts, footerHeight: footer.length});
  assert.equal(rowsThatFit(budget, 5), 1);
  // A taller terminal keeps every key.
  assert.equal(fitFooter({...parts, terminalRows: 24}).length, 4);
  assert.equal(fitFooter({...parts, width: 80, terminalRows: 14}).length, 2);
});

test('the status line says how many rows are out of sight, above or below', () => {
  assert.equal(moreText(0, 0), undefined);
  assert.equal(moreText(3, 0), '3 more above');
  assert.equal(moreText(0, 5), '5 more below');
  assert.equal(moreText(3, 5), '3 more above, 5 below');
});
