import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import test from 'node:test';
import {CliProcess} from '../helpers/cli-process.js';
import {freePort} from '../helpers/free-port.js';
import {UdpPeer} from '../helpers/udp-peer.js';
import {waitFor} from '../helpers/wait-for.js';

test('without a terminal: one text line per event, and the summary on SIGTERM', async () => {
  const port = await freePort();
  const cli = new CliProcess([
    '--port',
    String(port),
    '--loss',
    '0',
    '--idle-timeout',
    '0',
  ]);
  const peer = await UdpPeer.open();
  try {
    await cli.waitForLine(/\bstart\b.*listening=0\.0\.0\.0:\d+/v);
    for (let seq = 1; seq <= 3; seq++) {
      await peer.request(`Ping ${seq} ${(Date.now() / 1000).toFixed(6)}`, port);
    }

    const key = `127.0.0.1:${peer.port}`;
    await waitFor(
      () => cli.lines().filter((line) => line.includes('replied')).length === 3,
      {
        message: 'three replied lines',
      },
    );
    const replied = cli.lines().find((line) => line.includes('replied'));
    assert.ok(replied?.includes(key), replied);
    assert.match(replied ?? '', /seq=1/v);

    cli.child.kill('SIGTERM');
    assert.equal(await cli.exit(), 0);
    const out = cli.stdout;
    assert.match(out, /\bsummary\b.*received=3;replied=3;dropped=0;lost=0/v);
    assert.match(out, /\bstop\b/v);
    assert.ok(
      out.lastIndexOf(key) > out.search(/\bstop\b/v),
      'the summary table lists the client',
    );
    assert.equal(cli.stderr, '');
  } finally {
    await peer.close();
    cli.child.kill('SIGKILL');
  }
});

test('--output json --quiet: JSON objects with the CSV fields, state changes only', async () => {
  const port = await freePort();
  const cli = new CliProcess([
    '--port',
    String(port),
    '--output',
    'json',
    '--quiet',
    '--loss',
    '50',
    '--idle-timeout',
    '0',
  ]);
  const peer = await UdpPeer.open();
  try {
    await cli.waitForLine(/"event":"start"/v);
    for (let seq = 1; seq <= 10; seq++) {
      await peer.send(`${seq}`, port);
    }

    await peer.send('-1 not a heartbeat', port);
    await cli.waitForLine(/"event":"malformed"/v);
    cli.child.kill('SIGINT');
    assert.equal(await cli.exit(), 0);
    const events = cli
      .lines()
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    for (const event of events) {
      assert.deepEqual(Object.keys(event).toSorted(), [
        'client',
        'delay_ms',
        'detail',
        'event',
        'seq',
        'session',
        'state',
        'time',
        'v',
      ]);
      assert.equal(event.v, 2, 'the line format version');
      assert.notEqual(event.event, 'replied');
      assert.notEqual(event.event, 'dropped');
    }

    const names = events.map((event) => event.event);
    assert.equal(names[0], 'start');
    assert.ok(names.includes('summary'));
    assert.equal(names.at(-1), 'stop');
    assert.equal(new Set(events.map((event) => event.session)).size, 1);
    // What `jq '.detail.received'` reads: a number, not text in a `k=v` string.
    const summary = events.find((event) => event.event === 'summary')!
      .detail as Record<string, unknown>;
    assert.equal(summary.received, 11);
    assert.equal(typeof summary.lost, 'number');
    assert.equal(typeof summary.state, 'string');
    const malformed = events.find((event) => event.event === 'malformed')!
      .detail as Record<string, unknown>;
    assert.equal(typeof malformed.message, 'string', JSON.stringify(malformed));
  } finally {
    await peer.close();
    cli.child.kill('SIGKILL');
  }
});

test('SIGHUP also shuts down cleanly with the summary', async () => {
  const port = await freePort();
  const cli = new CliProcess(['--port', String(port), '--idle-timeout', '0']);
  await cli.waitForLine(/\bstart\b/v);
  cli.child.kill('SIGHUP');
  assert.equal(await cli.exit(), 0);
  assert.match(cli.stdout, /\bstop\b/v);
});

test('a busy default port moves on to the next one and says so', async (t) => {
  const busy = dgram.createSocket('udp4');
  try {
    await new Promise<void>((resolve, reject) => {
      busy.once('error', reject);
      busy.bind(12_000, '0.0.0.0', resolve);
    });
  } catch {
    busy.close();
    t.skip('port 12000 is in use on this machine already');
    return;
  }

  const cli = new CliProcess(['--idle-timeout', '0']);
  try {
    const start = await cli.waitForLine(/\bstart\b/v);
    assert.match(start, /listening=0\.0\.0\.0:(?!12000\b)\d+;busy=12000-\d+/v);
    cli.child.kill('SIGTERM');
    assert.equal(await cli.exit(), 0);
  } finally {
    busy.close();
    cli.child.kill('SIGKILL');
  }
});
