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
const yellow = `${escape}[33m`;
const red = `${escape}[31m`;
const magenta = `${escape}[35m`;
const inverse = `${escape}[7m`;

test('states, history outcomes, the selected client and a changed loss are coloured', async () => {
  const harness = await renderDashboard({
    records: [
      fakeRecord('10.0.0.1', 1, {
        state: 'alive',
        outcomes: ['replied', 'dropped', 'lost', 'malformed'],
      }),
      fakeRecord('10.0.0.2', 1, {state: 'late'}),
      fakeRecord('10.0.0.3', 1, {state: 'stopped'}),
    ],
  });
  try {
    const raw = () => harness.app.lastFrame() ?? '';
    await waitFor(() => raw().includes('stopped'), {message: 'the rows'});
    const frame = raw();
    assert.ok(frame.includes(`${green} alive`), 'alive is green');
    assert.ok(frame.includes(`${yellow} late`), 'late is yellow');
    assert.ok(frame.includes(`${red} stopped`), 'stopped is red');
    assert.ok(frame.includes(`${green}.`), 'replied is green');
    assert.ok(frame.includes(`${yellow}x`), 'dropped is yellow');
    assert.ok(frame.includes(`${red}?`), 'lost is red');
    assert.ok(frame.includes(`${magenta}!`), 'malformed is magenta');
    assert.ok(frame.includes(`> 10.0.0.1:1`));
    assert.match(
      frame,
      new RegExp(String.raw`${escape}\[7m[^\n]*> 10\.0\.0\.1:1`, 'v'),
      'the selected client is inverse',
    );
    assert.ok(!/\[7m[^\n]*loss 40%/v.test(frame), 'the loss is plain at first');

    harness.source.lossWasChanged = true;
    harness.source.lossValue = 45;
    await waitFor(() => raw().includes('loss 45%'), {message: 'new loss'});
    assert.ok(
      raw().includes(`${inverse}`) && /\[7m[^\n]*loss 45%/v.test(raw()),
      'a changed loss is highlighted',
    );
  } finally {
    harness.unmount();
  }
});
