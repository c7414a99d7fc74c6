import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import http from 'node:http';
import {once} from 'node:events';
import {connect, type AddressInfo} from 'node:net';
import {after, before, describe, test} from 'node:test';
import {
  createMetricsRegistry,
  type MetricsReading,
} from '../../source/output/metrics.js';
import {
  MetricsListenError,
  startMetricsServer,
  type MetricsServer,
} from '../../source/output/metrics-server.js';

let reading: MetricsReading = {
  clientsByState: {alive: 3, late: 1, stopped: 2},
  totals: {
    received: 1200,
    replied: 700,
    dropped: 480,
    lost: 17,
    malformed: 9,
    refused: 4,
    evicted: 1,
    unanswered: 20,
    alertsDropped: 0,
    hookErrors: 2,
  },
  lossRatio: 0.4,
  delay: {
    boundsSeconds: [0.001, 0.01, 0.1],
    counts: [5, 7, 2, 1],
    count: 15,
    sumSeconds: 0.123,
  },
  clients: [],
};

/** Sample lines of the exposition, by series, without comments. */
function samples(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) {
      continue;
    }

    const space = line.lastIndexOf(' ');
    values.set(line.slice(0, space), Number(line.slice(space + 1)));
  }

  return values;
}

async function status(url: string): Promise<number> {
  const response = await fetch(url);
  await response.body?.cancel();
  return response.status;
}

async function scrape(url: string): Promise<string> {
  const response = await fetch(url);
  return response.text();
}

const promtool = spawnSync('promtool', ['--version']).status === 0;

describe('the metrics endpoint', () => {
  let server: MetricsServer;

  before(async () => {
    server = await startMetricsServer(
      {host: '127.0.0.1', port: 0},
      createMetricsRegistry(() => reading),
    );
  });

  after(async () => {
    await server.close();
  });

  test('GET /metrics reads the figures of the moment, named the Prometheus way', async () => {
    const response = await fetch(server.url);
    assert.equal(response.status, 200);
    assert.match(
      response.headers.get('content-type')!,
      /^text\/plain; version=0\.0\.4/v,
    );
    const values = samples(await response.text());
    assert.equal(values.get('udp_heartbeat_clients{state="alive"}'), 3);
    assert.equal(values.get('udp_heartbeat_clients{state="late"}'), 1);
    assert.equal(values.get('udp_heartbeat_clients{state="stopped"}'), 2);
    assert.equal(values.get('udp_heartbeat_heartbeats_received_total'), 1200);
    assert.equal(values.get('udp_heartbeat_replies_total'), 700);
    assert.equal(values.get('udp_heartbeat_simulated_drops_total'), 480);
    assert.equal(values.get('udp_heartbeat_lost_total'), 17);
    assert.equal(values.get('udp_heartbeat_malformed_total'), 9);
    assert.equal(values.get('udp_heartbeat_refused_total'), 4);
    assert.equal(values.get('udp_heartbeat_evicted_total'), 1);
    assert.equal(values.get('udp_heartbeat_unanswered_total'), 20);
    assert.equal(values.get('udp_heartbeat_hook_errors_total'), 2);
    assert.equal(values.get('udp_heartbeat_simulated_loss_ratio'), 0.4);
    assert.equal(
      values.get('udp_heartbeat_delay_seconds_bucket{le="0.001"}'),
      5,
    );
    assert.equal(
      values.get('udp_heartbeat_delay_seconds_bucket{le="0.01"}'),
      12,
    );
    assert.equal(
      values.get('udp_heartbeat_delay_seconds_bucket{le="0.1"}'),
      14,
    );
    assert.equal(
      values.get('udp_heartbeat_delay_seconds_bucket{le="+Inf"}'),
      15,
    );
    assert.equal(values.get('udp_heartbeat_delay_seconds_count'), 15);
    assert.equal(values.get('udp_heartbeat_delay_seconds_sum'), 0.123);
    assert.ok(values.has('process_cpu_seconds_total'));
    assert.ok(values.has('process_resident_memory_bytes'));
    assert.ok(values.has('nodejs_heap_size_used_bytes'));
    // No per-client series unless asked for.
    assert.equal(
      [...values.keys()].some((key) => key.includes('client=')),
      false,
    );
  });

  test('a later scrape sees later figures', async () => {
    const before = reading;
    reading = {
      ...before,
      totals: {...before.totals, received: 1300},
      clients: [
        {
          client: '127.0.0.1:4000',
          state: 'late',
          received: 12,
          lossRatio: 0.25,
          delaySeconds: 0.0021,
          lastSeen: 1_764_000_000_500,
          name: undefined,
        },
        {
          // A named client: a name label too, its quotes and backslashes escaped by the library.
          client: '127.0.0.1:4001',
          state: 'alive',
          received: 3,
          lossRatio: 0,
          delaySeconds: undefined,
          lastSeen: 1_764_000_000_500,
          name: String.raw`boiler "room" \ 7`,
        },
      ],
    };
    try {
      const values = samples(await scrape(server.url));
      assert.equal(values.get('udp_heartbeat_heartbeats_received_total'), 1300);
      assert.equal(
        values.get(
          'udp_heartbeat_client_state{client="127.0.0.1:4000",state="late"}',
        ),
        1,
      );
      assert.equal(
        values.get(
          'udp_heartbeat_client_state{client="127.0.0.1:4000",state="alive"}',
        ),
        0,
      );
      assert.equal(
        values.get('udp_heartbeat_client_loss_ratio{client="127.0.0.1:4000"}'),
        0.25,
      );
      assert.equal(
        values.get(
          'udp_heartbeat_client_last_seen_timestamp_seconds{client="127.0.0.1:4000"}',
        ),
        1_764_000_000.5,
      );
      assert.equal(
        values.get(
          String.raw`udp_heartbeat_client_state{client="127.0.0.1:4001",name="boiler \"room\" \\ 7",state="alive"}`,
        ),
        1,
      );
      assert.equal(
        values.get(
          String.raw`udp_heartbeat_client_heartbeats_received{client="127.0.0.1:4001",name="boiler \"room\" \\ 7"}`,
        ),
        3,
      );
    } finally {
      reading = before;
    }

    // A client that is no longer listed leaves no series behind.
    const values = samples(await scrape(server.url));
    assert.equal(
      [...values.keys()].some((key) => key.includes('client=')),
      false,
    );
  });

  test(
    'promtool accepts the exposition',
    {
      skip: promtool
        ? false
        : 'promtool is not installed (Debian package prometheus)',
    },
    async () => {
      const text = await scrape(server.url);
      const check = spawnSync('promtool', ['check', 'metrics'], {
        input: text,
        encoding: 'utf8',
      });
      assert.equal(check.status, 0, `${check.stdout}${check.stderr}`);
      assert.equal(check.stdout + check.stderr, '');
    },
  );

  test('other paths are 404, other methods 405, and a request body is never waited for', async () => {
    const base = server.url.replace('/metrics', '');
    assert.equal(await status(`${base}/`), 404);
    assert.equal(await status(`${base}/metrics/../secrets`), 404);
    assert.equal(await status(`${base}/favicon.ico`), 404);
    const post = await fetch(server.url, {
      method: 'POST',
      body: 'x'.repeat(100_000),
    });
    assert.equal(post.status, 405);
    assert.equal(post.headers.get('allow'), 'GET, HEAD');
    const head = await fetch(server.url, {method: 'HEAD'});
    assert.equal(head.status, 200);
    assert.equal(await head.text(), '');
    assert.equal(await status(`${server.url}?debug=1`), 200);
  });

  test('a malformed request is dropped and the server goes on serving', async () => {
    const {port} = new URL(server.url);
    const socket = connect(Number(port), '127.0.0.1');
    await once(socket, 'connect');
    socket.write('\u0000\u0001 garbage\r\n\r\n');
    await once(socket, 'close');
    assert.equal(await status(server.url), 200);
  });
});

describe('where the metrics listen', () => {
  test('a port in use is exit 1 naming it', async () => {
    const taken = http.createServer();
    taken.listen(0, '127.0.0.1');
    await once(taken, 'listening');
    const {port} = taken.address() as AddressInfo;
    try {
      await assert.rejects(
        startMetricsServer(
          {host: '127.0.0.1', port},
          createMetricsRegistry(() => reading),
        ),
        (error: unknown) =>
          error instanceof MetricsListenError &&
          error.exitCode === 1 &&
          error.message ===
            `--metrics: 127.0.0.1:${port} is already in use; pick another port`,
      );
    } finally {
      taken.close();
    }
  });

  test('an address that is not this machine’s is exit 2', async () => {
    await assert.rejects(
      startMetricsServer(
        {host: '192.0.2.1', port: 9464},
        createMetricsRegistry(() => reading),
      ),
      (error: unknown) =>
        error instanceof MetricsListenError &&
        error.exitCode === 2 &&
        error.message.startsWith(
          '--metrics: cannot listen on 192.0.2.1:9464 (EADDRNOTAVAIL)',
        ),
    );
  });
});
