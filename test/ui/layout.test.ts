import assert from 'node:assert/strict';
import test from 'node:test';
import {
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

test('rows that fit: all when they do, else one line less for "N more"', () => {
  assert.equal(rowsThatFit(18, 14), 14);
  assert.equal(rowsThatFit(18, 15), 13);
  assert.equal(rowsThatFit(18, 30), 13);
  assert.equal(rowsThatFit(11, 7), 7);
  assert.equal(rowsThatFit(11, 8), 6);
  assert.equal(rowsThatFit(18, 0), 0);
  assert.equal(rowsThatFit(3, 10), 0);
  for (let budget = 0; budget < 60; budget++) {
    for (const total of [0, 1, 5, 20, 100]) {
      const rows = rowsThatFit(budget, total);
      const more = rows < total ? 1 : 0;
      assert.ok(rows <= total);
      if (rows > 0) {
        assert.ok(
          tableHeight(rows) + more <= budget,
          `${rows} rows in ${budget}`,
        );
      }
    }
  }
});
