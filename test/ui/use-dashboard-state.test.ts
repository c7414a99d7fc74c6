import assert from 'node:assert/strict';
import test from 'node:test';
import {
  dashboardReducer,
  initialViewState,
  type DashboardViewState,
} from '../../source/ui/use-dashboard-state.js';

test('select moves the cursor and scrolls the window, clamped', () => {
  const select = (state: DashboardViewState, target: number) =>
    dashboardReducer(state, {
      type: 'select',
      target,
      from: state,
      visible: 5,
      total: 20,
    });
  let state = select(initialViewState, 6);
  assert.equal(state.selected, 6);
  assert.equal(state.top, 2);
  state = select(state, 1);
  assert.deepEqual([state.selected, state.top], [1, 1]);
  state = select(state, 99);
  assert.deepEqual([state.selected, state.top], [19, 15]);
  state = select(state, -3);
  assert.deepEqual([state.selected, state.top], [0, 0]);
});

test("a new sort or filter starts from the first row; s picks each column's usual direction", () => {
  const moved = {...initialViewState, selected: 9, top: 5};
  const sorted = dashboardReducer(moved, {type: 'next-sort'});
  assert.deepEqual(
    [sorted.sort, sorted.descending, sorted.selected, sorted.top],
    ['state', true, 0, 0],
  );
  const reversed = dashboardReducer(
    {...sorted, selected: 3},
    {type: 'reverse-sort'},
  );
  assert.deepEqual([reversed.descending, reversed.selected], [false, 0]);
  const filtered = dashboardReducer(
    {...moved, overlay: 'filter'},
    {type: 'filter', filter: '10.0'},
  );
  assert.deepEqual(
    [filtered.filter, filtered.overlay, filtered.selected],
    ['10.0', 'none', 0],
  );
});

test('overlays open and close', () => {
  const help = dashboardReducer(initialViewState, {
    type: 'open',
    overlay: 'help',
  });
  assert.equal(help.overlay, 'help');
  assert.equal(dashboardReducer(help, {type: 'close'}).overlay, 'none');
  const reset = dashboardReducer(initialViewState, {
    type: 'open',
    overlay: 'reset',
  });
  assert.equal(reset.overlay, 'reset');
});
