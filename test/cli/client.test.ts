import assert from 'node:assert/strict';
import test from 'node:test';
import {CliProcess, runCli} from '../helpers/cli-process.js';
import {freePort} from '../helpers/free-port.js';

test('the bundled client against the server: a line per heartbeat, then ping-style statistics', async () => {
  const port = await freePort();
  const server = new CliProcess([
    '--port',
    String(port),
    '--loss',
    '0',
    '--idle-timeout',
    '0',
    '--quiet',
  ]);
  try {
    await server.waitForLine(/\bstart\b/v);
    const client = await runCli([
      'client',
      '--port',
      String(port),
      '--count',
      '4',
      '--interval',
      '0.05',
      '--format',
      'ping',
    ]);
    assert.equal(client.code, 0, client.stderr);
    const replies = client.stdout
      .split('\n')
      .filter((line) =>
        /^seq=\d+ reply from 127\.0\.0\.1:\d+ time=[\d.]+ ms: PING \d+ /v.test(
          line,
        ),
      );
    assert.equal(replies.length, 4, client.stdout);
    assert.match(client.stdout, /^4 sent, 4 received, 0% loss$/mv);
    assert.match(
      client.stdout,
      /^rtt min\/avg\/max\/mdev = [\d.]+\/[\d.]+\/[\d.]+\/[\d.]+ ms$/mv,
    );
    server.child.kill('SIGTERM');
    assert.equal(await server.exit(), 0);
    assert.match(
      server.stdout,
      /\bsummary\b.*received=4;replied=4;dropped=0;lost=0/v,
    );
  } finally {
    server.child.kill('SIGKILL');
  }
});

test('the bundled client says so clearly when nothing answers, and exits 1', async () => {
  const port = await freePort();
  const client = await runCli([
    'client',
    '--port',
    String(port),
    '--count',
    '2',
    '--interval',
    '0.05',
    '--timeout',
    '0.2',
  ]);
  assert.equal(client.code, 1);
  assert.match(client.stdout, /^seq=1 timed out/mv);
  assert.match(client.stdout, /^2 sent, 0 received, 100% loss$/mv);
  assert.match(
    client.stdout,
    /no replies from 127\.0\.0\.1:\d+.*is the server running/v,
  );
  assert.doesNotMatch(
    client.stdout + client.stderr,
    /\n\s+at /v,
    'no stack trace',
  );
});
