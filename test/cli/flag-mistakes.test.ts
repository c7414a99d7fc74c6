import assert from 'node:assert/strict';
import test from 'node:test';
import {runCli} from '../helpers/cli-process.js';

/** One line on standard error, with the program's name, nothing on standard output, exit 2. */
async function assertUsageError(
  args: readonly string[],
  expected: string,
): Promise<void> {
  const {code, stdout, stderr} = await runCli(args);
  assert.equal(code, 2, `exit code of ${args.join(' ')}: ${stderr}`);
  assert.equal(stderr, `udp-heartbeat: ${expected}\n`);
  assert.equal(stdout, '');
}

const mistakes: Array<[string[], string]> = [
  [
    ['--port', '23000', '--port', '23001'],
    '--port was given twice (--port 23000, --port 23001); give it once',
  ],
  [
    ['-l', '10', '--packetloss', '20'],
    '--loss was given twice (-l 10, --packetloss 20); give it once',
  ],
  [
    ['--loss=5', '-l', '6', '--loss', '7'],
    '--loss was given 3 times (--loss=5, -l 6, --loss 7); give it once',
  ],
  [
    ['--color', '--no-color'],
    '--color was given twice (--color, --no-color); give it once',
  ],
  [
    ['--packet-loss', '20'],
    'unknown flag --packet-loss (did you mean --packetloss?)',
  ],
  [
    ['--idleTimeout', '5'],
    'unknown flag --idleTimeout (did you mean --idle-timeout?)',
  ],
  [['--no-colour'], 'unknown flag --no-colour (did you mean --no-color?)'],
  [['-port', '5'], 'unknown flag -port (did you mean --port?)'],
  [['-P', '5'], 'unknown flag -P (did you mean -p?)'],
  [['--frobnicate'], 'unknown flag --frobnicate (see --help)'],
  [['serve'], 'unexpected argument "serve" (see --help)'],
  [
    ['client', '--port', '1', '-p', '2'],
    '--port was given twice (--port 1, -p 2); give it once',
  ],
  [['client', '--cont', '3'], 'unknown flag --cont (did you mean --count?)'],
  [['client', '--loss', '3'], 'unknown flag --loss (see --help)'],
];

for (const [args, expected] of mistakes) {
  test(`udp-heartbeat ${args.join(' ')}: ${expected}`, async () => {
    await assertUsageError(args, expected);
  });
}

test('a value that looks like a flag is still the value of the flag before it', async () => {
  // `--loss -1` is a loss of -1 (out of range), not an unknown flag `-1`.
  const {code, stderr} = await runCli(['--loss', '-1']);
  assert.equal(code, 2);
  assert.match(stderr, /^udp-heartbeat: --loss: "-1" is not allowed/v);
});

test('client --host with a name that does not resolve is one line naming the flag, exit 2', async () => {
  const {code, stdout, stderr} = await runCli([
    'client',
    '--host',
    'no-such-host.invalid',
    '--count',
    '1',
  ]);
  assert.equal(code, 2);
  assert.match(
    stderr,
    /^udp-heartbeat: --host: cannot resolve "no-such-host\.invalid" \(\w+\); expected a host name that resolves, or an IPv4 or IPv6 address\n$/v,
  );
  assert.equal(stdout, '');
});

test('-h and --help show the help, with the flags of their own command', async () => {
  for (const flag of ['-h', '--help']) {
    const server = await runCli([flag]);
    assert.equal(server.code, 0);
    assert.match(server.stdout, /^\s*A UDP heartbeat server/v);
    assert.match(server.stdout, /--color, --no-color/v);
    assert.match(server.stdout, /--help, -h/v);
    const client = await runCli(['client', flag]);
    assert.equal(client.code, 0);
    assert.match(
      client.stdout,
      /^\s*The bundled client: sends UDP heartbeats/v,
    );
    assert.match(client.stdout, /--interval/v);
    assert.doesNotMatch(client.stdout, /--idle-timeout|dashboard/v);
  }

  // Help wins over the other flags, as it does in most tools.
  const withOthers = await runCli(['--port', '5', '--help']);
  assert.equal(withOthers.code, 0);
  assert.match(withOthers.stdout, /Usage/v);
});
