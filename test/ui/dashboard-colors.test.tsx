import assert from 'node:assert/strict';
import test from 'node:test';
import {waitFor} from '../helpers/wait-for.js';
import {fakeRecord} from './fake-store.js';

// Ink colours through chalk, which decides when first imported whether to colour; a test's stdout
// is not a terminal, so colour is forced before Ink is loaded.
process.env.FORCE_COLOR = '1';
const {renderDashboard} = await import('./render-dashboard.js');

const escape = '\u001B';
const green = `${escape}[32m`;
const red = `${escape}[31m`;
const inverse = `${escape}[7m`;
const yellowText = `${escape}[33m`;
const cyanText = `${escape}[36m`;
/** Black on yellow: reads on a light background and a dark one alike. */
const blackOnYellow = `${escape}[43m${escape}[30m`;

/** The SGR sequences that open or close a style. */
// eslint-disable-next-line no-control-regex
const sgr = /\u001B\[[\d;]*m/gv;

test('states, the selected client and a changed loss are coloured; a row has one colour span, the state', async () => {
  const harness = await renderDashboard({
    records: [
      fakeRecord('10.0.0.1', 1, {
        state: 'alive',
        outcomes: ['replied', 'dropped', 'lost', 'malformed'],
      }),
      fakeRecord('10.0.0.2', 1, {state: 'late'}),
      fakeRecord('10.0.0.3', 1, {state: 'stopped'}),
    ],
    // Wide enough for the history strip beside every count.
    columns: 140,
  });
  try {
    const raw = () => harness.app.lastFrame() ?? '';
    await waitFor(() => raw().includes('stopped'), {message: 'the rows'});
    const frame = raw();
    assert.ok(frame.includes(`${green} alive`), 'alive is green');
    assert.ok(
      frame.includes(`${blackOnYellow} late`),
      'late is black on yellow',
    );
    assert.ok(frame.includes(`${red} stopped`), 'stopped is red');
    // The history strip is marks alone: no colour of its own.
    assert.ok(frame.includes(' .x?! '), 'the history marks, plain');
    for (const address of ['10.0.0.2:1', '10.0.0.3:1']) {
      const row = frame.split('\n').find((line) => line.includes(address))!;
      const [before, state, after] = row.split(
        // eslint-disable-next-line no-control-regex
        /((?:\u001B\[[\d;]*m)+ (?:alive|late|stopped) *(?:\u001B\[[\d;]*m)+)/v,
      );
      assert.ok(state, `a coloured state in ${JSON.stringify(row)}`);
      assert.equal(before!.match(sgr), null, `nothing coloured before it`);
      assert.equal(after!.match(sgr), null, `nothing coloured after it`);
    }

    assert.ok(frame.includes(`> 10.0.0.1:1`));
    assert.match(
      frame,
      new RegExp(String.raw`${escape}\[7m[^\n]*> 10\.0\.0\.1:1`, 'v'),
      'the selected client is inverse',
    );
    assert.ok(!/\[7m[^\n]*loss 40%/v.test(frame), 'the loss is plain at first');
    // Yellow or cyan text all but vanishes on a white background.
    assert.ok(!frame.includes(yellowText), 'no yellow text');
    assert.ok(!frame.includes(cyanText), 'no cyan text');

    harness.source.lossWasChanged = true;
    harness.source.lossValue = 45;
    await waitFor(() => raw().includes('loss 45%'), {message: 'new loss'});
    const header = raw().split('\n')[0]!;
    assert.ok(
      header.includes(`${blackOnYellow}loss 45% (changed)`),
      `a changed loss is black on yellow, and says so in words: ${JSON.stringify(header)}`,
    );
    // Inverse takes the terminal's own background for the text: white on yellow on a light theme.
    assert.ok(!header.includes(inverse), 'no inverse in the header');
    assert.ok(!raw().includes(yellowText), 'still no yellow text');
  } finally {
    harness.unmount();
  }
});
