import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import http from 'node:http';
import {once} from 'node:events';
import type {AddressInfo} from 'node:net';
import {describe, test} from 'node:test';
import {CliProcess, runCli} from '../helpers/cli-process.js';
import {freePort} from '../helpers/free-port.js';
import {
  freeTcpPort,
  PrometheusProcess,
  prometheusMissing,
  promtoolMissing,
} from '../helpers/prometheus.js';
import {UdpPeer} from '../helpers/udp-peer.js';
import {waitFor} from '../helpers/wait-for.js';

/** Sample lines of an exposition, by series. */
function samples(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line !== '' && !line.startsWith('#')) {
      const space = line.lastIndexOf(' ');
      values.set(line.slice(0, space), Number(line.slice(space + 1)));
    }
  }

  return values;
}

async function scrape(url: string): Promise<Map<string, number>> {
  const response = await fetch(url);
  assert.equal(response.status, 200);
  return samples(await response.text());
}

/** A headless server with `--metrics` on a port of its own. */
async function startServer(extra: readonly string[] = []) {
  const port = await freePort();
  const metricsPort = await freeTcpPort();
  const cli = new CliProcess([
    '--port',
    String(port),
    '--output',
    'json',
    '--idle-timeout',
    '0',
    '--metrics',
    `127.0.0.1:${metricsPort}`,
    ...extra,
  ]);
  await cli.waitForLine(/"event":"start"/v);
  return {cli, port, url: `http://127.0.0.1:${metricsPort}/metrics`};
}

function seedHeartbeat(seq: number): string {
  return `${seq} ${(Date.now() / 1000).toFixed(6)}`;
}

describe('--metrics from the built CLI', () => {
  test('the figures follow the traffic sent, loss and malformed datagrams included', async () => {
    const {cli, port, url} = await startServer(['--loss', '50', '--seed', '7']);
    const peer = await UdpPeer.open();
    try {
      for (let seq = 1; seq <= 40; seq++) {
        await peer.send(seedHeartbeat(seq), port);
      }

      // A gap of five sequence numbers, and three datagrams the server cannot read.
      await peer.send(seedHeartbeat(46), port);
      for (const junk of ['-3 nonsense', '3.5 x', '']) {
        await peer.send(junk, port);
      }

      const values = await waitFor(
        async () => {
          const current = await scrape(url);
          return current.get('udp_heartbeat_heartbeats_received_total') === 44
            ? current
            : undefined;
        },
        {message: '44 datagrams counted'},
      );
      const replied = values.get('udp_heartbeat_replies_total')!;
      const dropped = values.get('udp_heartbeat_simulated_drops_total')!;
      const unanswered = values.get('udp_heartbeat_unanswered_total')!;
      assert.equal(replied + dropped + unanswered, 44);
      assert.ok(
        dropped > 5 && dropped < 35,
        `dropped ${dropped} of 44 at 50 %`,
      );
      assert.equal(values.get('udp_heartbeat_lost_total'), 5);
      assert.equal(values.get('udp_heartbeat_malformed_total'), 2);
      // 44 datagrams in a burst: the client may already count as late, but it is one client.
      assert.equal(
        ['alive', 'late', 'stopped']
          .map(
            (state) =>
              values.get(`udp_heartbeat_clients{state="${state}"}`) ?? 0,
          )
          .reduce((sum, count) => sum + count),
        1,
      );
      assert.equal(values.get('udp_heartbeat_simulated_loss_ratio'), 0.5);
      assert.equal(values.get('udp_heartbeat_delay_seconds_count'), 41);
      assert.equal(
        values.get('udp_heartbeat_delay_seconds_bucket{le="+Inf"}'),
        41,
      );
      assert.ok(values.get('process_resident_memory_bytes')! > 0);
      // Replies the peer saw match what the server says it sent.
      await waitFor(() => peer.replies.length === replied, {
        message: `${replied} replies at the peer`,
      });
    } finally {
      await peer.close();
      cli.child.kill('SIGTERM');
      assert.equal(await cli.exit(), 0);
    }
  });

  test('per-client series only with --metrics-clients, for the N most recently seen', async () => {
    const {cli, port, url} = await startServer([
      '--loss',
      '0',
      '--metrics-clients',
      '2',
    ]);
    const peers = [
      await UdpPeer.open(),
      await UdpPeer.open(),
      await UdpPeer.open(),
    ];
    try {
      for (const peer of peers) {
        await peer.request(seedHeartbeat(1), port);
      }

      // Snapshots are published ten times a second: wait for the one after the last heartbeat.
      const values = await waitFor(
        async () => {
          const current = await scrape(url);
          return current.get('udp_heartbeat_heartbeats_received_total') === 3
            ? current
            : undefined;
        },
        {message: 'three heartbeats counted'},
      );
      const clients = [...values.keys()]
        .filter((key) =>
          key.startsWith('udp_heartbeat_client_heartbeats_received{'),
        )
        .toSorted();
      assert.deepEqual(
        clients,
        peers
          .slice(1)
          .map(
            (peer) =>
              `udp_heartbeat_client_heartbeats_received{client="127.0.0.1:${peer.port}"}`,
          )
          .toSorted(),
      );
      assert.equal(
        values.get(
          `udp_heartbeat_client_state{client="127.0.0.1:${peers[2]!.port}",state="alive"}`,
        ),
        1,
      );
    } finally {
      await Promise.all(peers.map(async (peer) => peer.close()));
      cli.child.kill('SIGTERM');
      await cli.exit();
    }
  });

  test(
    'promtool accepts what the CLI serves',
    {skip: promtoolMissing},
    async () => {
      const {cli, port, url} = await startServer([
        '--loss',
        '0',
        '--metrics-clients',
        '5',
      ]);
      const peer = await UdpPeer.open();
      try {
        await peer.request('Ping 1 1764000000.5', port);
        const response = await fetch(url);
        const text = await response.text();
        const check = spawnSync('promtool', ['check', 'metrics'], {
          input: text,
          encoding: 'utf8',
        });
        assert.equal(check.status, 0, check.stdout + check.stderr);
        assert.equal(check.stdout + check.stderr, '');
      } finally {
        await peer.close();
        cli.child.kill('SIGTERM');
        await cli.exit();
      }
    },
  );

  test(
    'a real Prometheus scrapes it and sees the heartbeats',
    {skip: prometheusMissing, timeout: 60_000},
    async () => {
      const {cli, port, url} = await startServer(['--loss', '0']);
      const peer = await UdpPeer.open();
      const prometheus = await PrometheusProcess.start(new URL(url).host);
      try {
        for (let seq = 1; seq <= 12; seq++) {
          await peer.request(seedHeartbeat(seq), port);
        }

        const value = await waitFor(
          async () => {
            const current = await prometheus.queryValue(
              'udp_heartbeat_heartbeats_received_total{job="udp-heartbeat"}',
            );
            return current === 12 ? current : undefined;
          },
          {
            timeoutMs: 30_000,
            intervalMs: 250,
            message: `Prometheus to scrape 12 heartbeats:\n${prometheus.log}`,
          },
        );
        assert.equal(value, 12);
        assert.equal(
          await prometheus.queryValue('sum(udp_heartbeat_clients)'),
          1,
        );
        assert.equal(await prometheus.queryValue('up{job="udp-heartbeat"}'), 1);
      } finally {
        await prometheus.stop();
        await peer.close();
        cli.child.kill('SIGTERM');
        await cli.exit();
      }
    },
  );
});

describe('--metrics mistakes from the built CLI', () => {
  for (const bad of ['abc', '0', '70000', 'example.com:9464', '::1:9464', '']) {
    test(`--metrics ${JSON.stringify(bad)} is one line and exit 2`, async () => {
      const port = await freePort();
      const result = await runCli([
        '--port',
        String(port),
        '--output',
        'text',
        '--metrics',
        bad,
      ]);
      assert.equal(result.code, 2);
      assert.match(result.stderr, /^udp-heartbeat: --metrics: .+\n$/v);
      assert.equal(result.stdout, '');
    });
  }

  test('--metrics-clients without --metrics is one line and exit 2', async () => {
    const result = await runCli(['--output', 'text', '--metrics-clients', '3']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^udp-heartbeat: --metrics-clients: .+\n$/v);
  });

  test('a busy metrics port is exit 1 naming it, before serving', async () => {
    const taken = http.createServer();
    taken.listen(0, '127.0.0.1');
    await once(taken, 'listening');
    const metricsPort = (taken.address() as AddressInfo).port;
    const port = await freePort();
    try {
      const result = await runCli([
        '--port',
        String(port),
        '--output',
        'text',
        '--metrics',
        String(metricsPort),
      ]);
      assert.equal(result.code, 1);
      assert.equal(
        result.stderr,
        `udp-heartbeat: --metrics: 127.0.0.1:${metricsPort} is already in use; pick another port\n`,
      );
      assert.doesNotMatch(result.stdout, /\bstart\b/v);
    } finally {
      taken.close();
    }
  });

  test('an address of another machine is exit 2', async () => {
    const port = await freePort();
    const result = await runCli([
      '--port',
      String(port),
      '--output',
      'text',
      '--metrics',
      '192.0.2.1:9464',
    ]);
    assert.equal(result.code, 2);
    assert.match(
      result.stderr,
      /^udp-heartbeat: --metrics: cannot listen on 192\.0\.2\.1:9464 /v,
    );
  });
});
