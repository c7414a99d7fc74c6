import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import {once} from 'node:events';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import test from 'node:test';
import {runCli} from '../helpers/cli-process.js';

function assertOneCleanLine(stderr: string): void {
  const lines = stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one line, got:\n${stderr}`);
  assert.doesNotMatch(stderr, /\n\s+at /v, 'no stack trace');
}

const badServerFlags: Array<[string[], RegExp]> = [
  [['--port', '80'], /--port: "80".*1024 to 65535/v],
  [['-p', '70000'], /--port: "70000"/v],
  [['--loss', '101'], /--loss: "101".*0 to 100/v],
  [['--packetloss', '-1'], /--loss: "-1"/v],
  [['--output', 'html'], /--output: "html".*tui, text, json/v],
  [['--reply', 'loud'], /--reply: "loud"/v],
  [['--client-key', 'port'], /--client-key: "port".*address, host/v],
  [['--allow', '10.0.0.0/99'], /--allow: "10.0.0.0\/99".*CIDR/v],
  [['--idle-timeout', 'soon'], /--idle-timeout: "soon"/v],
  [['--dead-after', '-3'], /--dead-after: "-3"/v],
  [['--max-clients', '0'], /--max-clients: "0"/v],
  [['--seed', 'abc'], /--seed: "abc"/v],
  [['--host', 'nowhere'], /--host: "nowhere"/v],
];

for (const [args, message] of badServerFlags) {
  test(`udp-heartbeat ${args.join(' ')} exits 2 with one clear line`, async () => {
    const {code, stdout, stderr} = await runCli(args);
    assert.equal(code, 2);
    assert.match(stderr, message);
    assertOneCleanLine(stderr);
    assert.equal(stdout, '');
  });
}

test('an unknown flag or argument exits 2', async () => {
  const unknown = await runCli(['--lose', '5']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /Unknown flag/iv);
  const argument = await runCli(['serve']);
  assert.equal(argument.code, 2);
  assert.match(argument.stderr, /unexpected argument "serve"/v);
});

test('--help lists every flag with its default, --version prints the version', async () => {
  const help = await runCli(['--help']);
  assert.equal(help.code, 0);
  for (const flag of [
    '--port',
    '--host',
    '--loss',
    '--packetloss',
    '--idle-timeout',
    '--dead-after',
    '--log',
    '--output',
    '--reply',
    '--max-clients',
    '--allow',
    '--seed',
    '--quiet',
    '--demo',
  ]) {
    assert.ok(help.stdout.includes(flag), `help lists ${flag}`);
  }

  assert.match(help.stdout, /default 12000/v);
  const version = await runCli(['--version']);
  assert.equal(version.code, 0);
  assert.match(version.stdout.trim(), /^\d+\.\d+\.\d+$/v);
});

test('a busy port given with --port exits 1 and names the port', async () => {
  const busy = dgram.createSocket('udp4');
  busy.bind(0, '0.0.0.0');
  await once(busy, 'listening');
  const {port} = busy.address();
  try {
    const {code, stderr} = await runCli([
      '--port',
      String(port),
      '--output',
      'text',
    ]);
    assert.equal(code, 1);
    assert.match(
      stderr,
      new RegExp(`port ${port} is already in use.*pick another`, 'v'),
    );
    assertOneCleanLine(stderr);
  } finally {
    busy.close();
  }
});

test('a log file that cannot be opened exits 2 before anything is bound', async () => {
  const folder = await mkdtemp(path.join(tmpdir(), 'udp-heartbeat-'));
  try {
    for (const target of [folder, path.join(folder, 'missing', 'log.csv')]) {
      const {code, stdout, stderr} = await runCli([
        '--log',
        target,
        '--output',
        'text',
      ]);
      assert.equal(code, 2);
      assert.match(stderr, /--log: cannot open/v);
      assert.ok(stderr.includes(target), 'the message names the file');
      assertOneCleanLine(stderr);
      assert.equal(stdout, '', 'nothing was served');
    }
  } finally {
    await rm(folder, {recursive: true});
  }
});

const badClientFlags: Array<[string[], RegExp]> = [
  [['--port', '0'], /--port: "0"/v],
  [['--interval', '0'], /--interval: "0"/v],
  [['--count', '-2'], /--count: "-2"/v],
  [['--timeout', 'never'], /--timeout: "never"/v],
  [['--format', 'xml'], /--format: "xml"/v],
  [['--clients', '100000'], /--clients: "100000"/v],
];

for (const [args, message] of badClientFlags) {
  test(`udp-heartbeat client ${args.join(' ')} exits 2 with one clear line`, async () => {
    const {code, stderr} = await runCli(['client', ...args]);
    assert.equal(code, 2);
    assert.match(stderr, message);
    assertOneCleanLine(stderr);
  });
}
