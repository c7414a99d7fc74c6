/*
A real server on loopback, with an injected clock, records its events through the CSV log writer;
the replay reads that file back and must rebuild the same events and the same summary, figure
for figure: error replies held back by their rate limit, clients keyed by address alone, and a
client whose clock keeps another time zone.
*/
import assert from 'node:assert/strict';
import path from 'node:path';
import test from 'node:test';
import {openCsvLog} from '../../source/engine/csv-log.js';
import {summaryEvents} from '../../source/output/summary.js';
import {rowProblem} from '../../source/replay/event-translation.js';
import {readLogBatches} from '../../source/replay/log-reader.js';
import {createReplayClock} from '../../source/replay/replay-clock.js';
import {ReplayDriver} from '../../source/replay/replay-driver.js';
import type {ClientKeyMode} from '../../source/store/client-key.js';
import type {HeartbeatEvent} from '../../source/vocabulary.js';
import {startTestServer, type TestServer} from '../helpers/test-server.js';
import {UdpPeer} from '../helpers/udp-peer.js';
import {waitFor} from '../helpers/wait-for.js';
import {withTempDir} from './log-files.js';

/** Sends one datagram and waits until the server has handled it (its last event is recorded). */
async function deliver(
  server: TestServer,
  peer: UdpPeer,
  payload: string | Uint8Array,
  events: number,
): Promise<void> {
  const before = server.events.length;
  await peer.send(payload, server.port);
  await waitFor(() => server.events.length >= before + events, {
    message: `${events} event(s) for ${JSON.stringify(String(payload))}`,
  });
}

type Recorded = {
  readonly file: string;
  /** What the live run's sink saw, summary included (the start row aside). */
  readonly events: HeartbeatEvent[];
};

/** Writes the run's events, between a start row and its summary, with the log writer a run uses. */
async function writeLog(
  directory: string,
  server: TestServer,
  startDetail: string,
): Promise<Recorded> {
  const file = path.join(directory, 'run.csv');
  const log = await openCsvLog(file, {
    session: 'roundtrip',
    onError(message) {
      assert.fail(message);
    },
  });
  const startedAt = server.events[0]?.time ?? server.clock.now;
  log.write({
    time: startedAt - 1,
    event: 'start',
    client: undefined,
    seq: undefined,
    delayMs: undefined,
    detail: startDetail,
    state: undefined,
  });
  const events = [
    ...server.events,
    ...summaryEvents(server.running.store.clients(), server.clock.now),
  ];
  for (const event of events) {
    log.write(event);
  }

  await log.close();
  return {file, events};
}

async function replay(file: string): Promise<HeartbeatEvent[]> {
  const events: HeartbeatEvent[] = [];
  const driver = new ReplayDriver({
    clock: createReplayClock(0),
    sink(event) {
      events.push(event);
    },
    source: file,
  });
  await driver.play(readLogBatches(file, rowProblem));
  return events.filter((event) => event.event !== 'start');
}

/** The fields of each event that its CSV row and JSON line show. */
function shown(events: readonly HeartbeatEvent[]): unknown[][] {
  return events.map((event) => [
    event.time,
    event.event,
    event.client,
    event.seq,
    event.delayMs,
    event.detail,
  ]);
}

async function roundTrip(
  clientKey: ClientKeyMode,
  startDetail: string,
  run: (server: TestServer, peers: UdpPeer[]) => Promise<void>,
): Promise<{live: HeartbeatEvent[]; replayed: HeartbeatEvent[]}> {
  const server = await startTestServer({clientKey});
  const peers = [await UdpPeer.open(), await UdpPeer.open()];
  try {
    await run(server, peers);
    await server.running.close();
    let result: {live: HeartbeatEvent[]; replayed: HeartbeatEvent[]};
    await withTempDir(async (directory) => {
      const {file, events} = await writeLog(directory, server, startDetail);
      result = {live: events, replayed: await replay(file)};
    });
    return result!;
  } finally {
    await server.running.close();
    for (const peer of peers) {
      await peer.close();
    }
  }
}

test('error replies held back by their rate limit replay as unanswered, and answered ones as answered', async () => {
  const {live, replayed} = await roundTrip(
    'address',
    'loss=0%;seed=1',
    async (server, [peer]) => {
      await deliver(server, peer!, '1 1795498266.999875', 1);
      // Malformed text draws an error reply, one a second: the next two are held back.
      await deliver(server, peer!, '-3 x', 2);
      server.clock.advance(300);
      await deliver(server, peer!, '7 yesterday', 1);
      server.clock.advance(300);
      await deliver(server, peer!, '-3 x', 1);
      // A binary datagram is echoed, never rate-limited.
      await deliver(server, peer!, new Uint8Array([0, 1, 2]), 2);
      server.clock.advance(500);
      // A second after the first error: answered again.
      await deliver(server, peer!, '-3 x', 2);
      await deliver(server, peer!, '2 1795498268.099875', 1);
    },
  );
  assert.deepEqual(shown(replayed), shown(live));
  const summary = live.find((event) => event.event === 'summary')!;
  assert.match(
    summary.detail!,
    /^received=7;replied=5;dropped=0;lost=0;.*malformed=5;unanswered=2;/v,
  );
  assert.deepEqual(
    live
      .filter((event) => event.event === 'malformed')
      .map((event) => event.detail),
    [
      'bad sequence number',
      'bad timestamp;unanswered',
      'bad sequence number;unanswered',
      'control character',
      'bad sequence number',
    ],
  );
});

test('clients keyed by address alone (--client-key host) replay as one client per address', async () => {
  for (const startDetail of ['loss=0%;client_key=host', 'loss=0%']) {
    const {live, replayed} = await roundTrip(
      'host',
      startDetail,
      async (server, [first, second]) => {
        // A client that opens a new socket for every heartbeat: two ports, one client.
        await deliver(server, first!, '1 1795498266.999875', 1);
        server.clock.advance(1000);
        await deliver(server, second!, '2 1795498267.999750', 1);
        server.clock.advance(100);
        await deliver(server, first!, '-3 x', 2);
      },
    );
    assert.deepEqual(shown(replayed), shown(live), startDetail);
    const summaries = replayed.filter((event) => event.event === 'summary');
    assert.deepEqual(
      summaries.map((event) => event.client),
      ['127.0.0.1'],
      startDetail,
    );
    assert.match(
      summaries[0]!.detail!,
      /^received=3;replied=3;dropped=0;lost=0;/v,
    );
  }
});

test('a client whose clock keeps another time zone: the same offset, the same delays net of it', async () => {
  const {live, replayed} = await roundTrip(
    'address',
    'loss=0%',
    async (server, [peer]) => {
      // The server's clock reads 05:31:07Z; this client's runs 5:30 behind (a client in UTC
      // heard by a server in UTC+5:30 makes the same raw delays).
      await deliver(server, peer!, '1 2026-11-24T00:01:06.999625Z', 1);
      server.clock.advance(1000.25);
      await deliver(server, peer!, '2 2026-11-24T00:01:07.998Z', 1);
      // Three minutes late: a delay, not a new time zone.
      server.clock.advance(1000);
      await deliver(server, peer!, '3 2026-11-23T23:58:09.00025Z', 1);
    },
  );
  assert.deepEqual(shown(replayed), shown(live));
  const summary = live.find((event) => event.event === 'summary')!;
  assert.match(summary.detail!, /;clock_offset_ms=-19800000;/v);
  const delays = live
    .filter((event) => event.event === 'replied')
    .map((event) => event.delayMs);
  assert.equal(delays.length, 3);
  assert.ok(delays[0]! > 0 && delays[0]! < 1, `${delays[0]}`);
  assert.ok(Math.abs(delays[2]! - 180_000) < 0.001, `${delays[2]}`);
});
