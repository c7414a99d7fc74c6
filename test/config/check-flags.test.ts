import assert from 'node:assert/strict';
import test from 'node:test';
import {checkFlags} from '../../source/config/check-flags.js';
import {
  formatFlagHelp,
  type FlagTable,
} from '../../source/config/flag-table.js';
import {UsageError} from '../../source/config/usage-error.js';

const table = {
  port: {type: 'string', shortFlag: 'p', help: 'port'},
  quiet: {type: 'boolean', shortFlag: 'q', help: 'quiet'},
  idleTimeout: {type: 'string', help: 'idle'},
  loss: {type: 'string', shortFlag: 'l', aliases: ['packetloss'], help: 'loss'},
  color: {type: 'boolean', negatable: true, help: 'colour'},
} as const satisfies FlagTable;

function given(argv: string[]): string[] {
  return [...checkFlags(table, argv)].toSorted();
}

function mistake(argv: string[]): string {
  try {
    checkFlags(table, argv);
  } catch (error) {
    assert.ok(error instanceof UsageError);
    return error.message;
  }

  assert.fail(`${argv.join(' ')} was accepted`);
}

test('reads flags as meow does: values, inline values, short groups, negation and --', () => {
  assert.deepEqual(given(['--port', '5', '-q']), ['port', 'quiet']);
  assert.deepEqual(given(['--port=5', '--idle-timeout=0']), [
    'idleTimeout',
    'port',
  ]);
  assert.deepEqual(given(['-qp', '5']), ['port', 'quiet']);
  assert.deepEqual(given(['-p12000']), ['port']);
  assert.deepEqual(given(['--no-color']), ['color']);
  // A value is taken even when it is a negative number; a flag after a flag is not a value.
  assert.deepEqual(given(['--loss', '-1']), ['loss']);
  assert.deepEqual(given(['--port', '--quiet']), ['port', 'quiet']);
  // Everything after -- is input, whatever it looks like.
  assert.deepEqual(given(['--', '--port', '--port', '--nope']), []);
  assert.deepEqual(given(['stray', '-']), []);
});

test('a flag given twice under any of its names is named once, with each spelling', () => {
  assert.equal(
    mistake(['-l', '10', '--packetloss', '20']),
    '--loss was given twice (-l 10, --packetloss 20); give it once',
  );
  assert.equal(
    mistake(['-qq']),
    '--quiet was given twice (-q, -q); give it once',
  );
  // A value equal to a flag's name is not mistaken for the flag.
  assert.deepEqual(given(['--port', '5', '--loss', '5']), ['loss', 'port']);
});

test('an unknown flag suggests the closest known name, or --help', () => {
  assert.equal(
    mistake(['--packet-loss', '5']),
    'unknown flag --packet-loss (did you mean --packetloss?)',
  );
  assert.equal(
    mistake(['--Port']),
    'unknown flag --Port (did you mean --port?)',
  );
  assert.equal(
    mistake(['--colour']),
    'unknown flag --colour (did you mean --color?)',
  );
  assert.equal(mistake(['--verbose']), 'unknown flag --verbose (see --help)');
  // Too far from every name to be a slip of the keyboard: no guess.
  assert.equal(mistake(['--host']), 'unknown flag --host (see --help)');
  assert.equal(mistake(['-qx']), 'unknown flag -x in -qx (see --help)');
  // The check comes before repeats: the first problem on the line is the one reported.
  assert.equal(
    mistake(['--port', '1', '--port', '2', '--prot']),
    'unknown flag --prot (see --help)',
  );
});

test('the help lists every name of every flag, descriptions in one column', () => {
  const help = formatFlagHelp(table).split('\n');
  assert.deepEqual(help, [
    '--port, -p                port',
    '--quiet, -q               quiet',
    '--idle-timeout            idle',
    '--loss, -l, --packetloss  loss',
    '--color, --no-color       colour',
  ]);
});
