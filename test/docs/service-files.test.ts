import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {chmod, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {test} from 'node:test';
import {fileURLToPath} from 'node:url';

/*
The shipped systemd unit: what it runs (headless, the log in StateDirectory, metrics, the control
socket in a private RuntimeDirectory), and `systemd-analyze verify` on it where that is installed.
*/

const root = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
);
const unitPath = path.join(root, 'docs', 'systemd', 'udp-heartbeat.service');
const shippedBinary = '/usr/local/bin/udp-heartbeat';

/** The unit's `Key=value` lines, by key (the last of each). */
function directives(unit: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const line of unit.split('\n')) {
    const match = /^([A-Za-z]+)=(.*)$/v.exec(line);
    if (match) {
      found.set(match[1]!, match[2]!);
    }
  }

  return found;
}

test('the unit runs the server headless with its log, metrics and a private control socket', async () => {
  const unit = directives(await readFile(unitPath, 'utf8'));
  const start = unit.get('ExecStart') ?? '';
  assert.ok(start.startsWith(`${shippedBinary} `));
  assert.match(start, /--output text/v);
  assert.match(start, /--log %S\/udp-heartbeat\/heartbeats\.csv/v);
  assert.match(start, /--metrics 127\.0\.0\.1:\d+/v);
  assert.match(start, /--control %t\/udp-heartbeat\/control\.sock/v);
  assert.equal(unit.get('StateDirectory'), 'udp-heartbeat');
  assert.equal(unit.get('RuntimeDirectory'), 'udp-heartbeat');
  // The server refuses a control directory that others can enter.
  assert.equal(unit.get('RuntimeDirectoryMode'), '0700');
  assert.equal(unit.get('ExecReload'), '/bin/kill -USR1 $MAINPID');
  assert.equal(unit.get('CapabilityBoundingSet'), '');
  assert.equal(unit.get('DynamicUser'), 'yes');
  // Node's JIT writes code and runs it.
  assert.equal(unit.get('MemoryDenyWriteExecute'), undefined);
});

test('systemd-analyze verify accepts the unit', async (t) => {
  const analyze = spawnSync('sh', ['-c', 'command -v systemd-analyze'], {
    encoding: 'utf8',
  }).stdout.trim();
  if (analyze === '') {
    t.skip('systemd-analyze is not installed; skipped');
    return;
  }

  // verify checks that ExecStart's program exists: a stand-in where the package installs it.
  const directory = await mkdtemp(path.join(tmpdir(), 'udp-heartbeat-unit-'));
  try {
    const program = path.join(directory, 'udp-heartbeat');
    await writeFile(program, '#!/bin/sh\nexit 0\n');
    await chmod(program, 0o755);
    const unit = await readFile(unitPath, 'utf8');
    const copy = path.join(directory, 'udp-heartbeat.service');
    await writeFile(copy, unit.replace(shippedBinary, program));
    const verified = spawnSync(analyze, ['verify', copy], {encoding: 'utf8'});
    const result = {
      code: verified.status,
      output: `${verified.stdout}${verified.stderr}`,
    };
    // Unknown or misspelt directives are only warnings: any output about the unit fails too.
    const aboutUnit = result.output
      .split('\n')
      .filter((line) => line.includes('udp-heartbeat'));
    assert.deepEqual(aboutUnit, [], result.output);
    assert.equal(result.code, 0, result.output);
  } finally {
    await rm(directory, {recursive: true, force: true});
  }
});
