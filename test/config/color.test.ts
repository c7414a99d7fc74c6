import assert from 'node:assert/strict';
import test from 'node:test';
import {applyColor, resolveColor} from '../../source/config/color.js';

const terminal = {TERM: 'xterm-256color'};

test('a colour flag wins over the environment', () => {
  assert.equal(
    resolveColor(true, {env: {NO_COLOR: '1', CI: 'true'}, isTTY: false}),
    true,
  );
  assert.equal(
    resolveColor(false, {env: {FORCE_COLOR: '3', ...terminal}, isTTY: true}),
    false,
  );
});

test('without a flag: NO_COLOR (non-empty), then FORCE_COLOR, then a terminal outside CI', () => {
  const resolve = (env: NodeJS.ProcessEnv, isTTY = true) =>
    resolveColor(undefined, {env, isTTY});
  assert.equal(resolve({...terminal, NO_COLOR: '1'}), false);
  assert.equal(resolve({...terminal, NO_COLOR: ''}), true, 'empty is unset');
  assert.equal(resolve({...terminal, FORCE_COLOR: '0'}), false);
  assert.equal(resolve({...terminal, FORCE_COLOR: 'false'}), false);
  assert.equal(resolve({FORCE_COLOR: '1'}, false), true);
  assert.equal(resolve({...terminal, FORCE_COLOR: 'nonsense'}), true);
  assert.equal(resolve(terminal), true);
  assert.equal(resolve(terminal, false), false, 'not a terminal');
  assert.equal(resolve({TERM: 'dumb'}), false);
  assert.equal(resolve({...terminal, CI: 'false'}), false, 'any CI, as chalk');
});

test('applyColor sets FORCE_COLOR so that chalk follows, keeping a higher level asked for', () => {
  const off: NodeJS.ProcessEnv = {FORCE_COLOR: '3'};
  applyColor(false, off);
  assert.equal(off.FORCE_COLOR, '0');
  const on: NodeJS.ProcessEnv = {FORCE_COLOR: '0'};
  applyColor(true, on);
  assert.equal(on.FORCE_COLOR, '1');
  const high: NodeJS.ProcessEnv = {FORCE_COLOR: '3'};
  applyColor(true, high);
  assert.equal(high.FORCE_COLOR, '3');
});
