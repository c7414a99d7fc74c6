import assert from 'node:assert/strict';
import test from 'node:test';
import {parseServerFlags} from '../../source/config/server-options.js';
import {startLocalEngine} from '../../source/engine/local-engine.js';
import type {
  EngineHandle,
  EngineSnapshot,
  NotableEvent,
  ViewQuery,
} from '../../source/engine/types.js';
import type * as workerEngine from '../../source/engine/worker-engine.js';
import {seededRandom} from '../../source/random.js';
import {FakeClock} from '../helpers/test-server.js';
import {UdpPeer} from '../helpers/udp-peer.js';
import {waitFor} from '../helpers/wait-for.js';

/*
The engine's interface over real UDP on loopback: snapshots out, commands in. The engine runs on
the test's thread with a clock the test moves, so liveness is exact.
*/

type WorkerEngineModule = typeof workerEngine;

type Run = {
  readonly engine: EngineHandle;
  readonly clock: FakeClock;
  readonly events: NotableEvent[];
  /** Waits for a snapshot published after now for which `check` holds. */
  next(
    check: (snapshot: EngineSnapshot) => boolean,
    what: string,
  ): Promise<EngineSnapshot>;
};

const query: ViewQuery = {
  sort: 'client',
  descending: false,
  filter: '',
  start: 0,
  count: 10,
};

async function withEngine(
  flags: Record<string, string>,
  body: (run: Run) => Promise<void>,
): Promise<void> {
  const clock = new FakeClock();
  const options = {
    ...parseServerFlags(
      {loss: '0', idleTimeout: '0', ...flags},
      {interactive: false},
    ),
    host: '127.0.0.1',
    port: 0,
    explicitPort: true,
  };
  const engine = await startLocalEngine(options, {
    session: 'test',
    clock: clock.read,
    random: seededRandom(1),
  });
  const events: NotableEvent[] = [];
  engine.onEvents((batch) => {
    events.push(...batch);
  });
  const next: Run['next'] = async (check, what) => {
    const after = engine.getSnapshot().sequence;
    return waitFor(
      () => {
        const snapshot = engine.getSnapshot();
        return snapshot.sequence > after && check(snapshot)
          ? snapshot
          : undefined;
      },
      {message: what},
    );
  };

  try {
    await body({engine, clock, events, next});
  } finally {
    await engine.stop();
  }
}

async function heartbeats(
  peer: UdpPeer,
  port: number,
  clock: FakeClock,
  count: number,
  intervalMs = 1000,
): Promise<void> {
  for (let seq = 1; seq <= count; seq++) {
    const sentAt = new Date(clock.now - 2).toISOString();
    await peer.request(`${seq} ${sentAt}`, port);
    clock.advance(intervalMs);
  }
}

test('every command publishes a fresh snapshot that shows its effect', async () => {
  await withEngine({}, async ({engine, next}) => {
    let snapshot = await next(() => true, 'a first snapshot');
    const commands = [
      {type: 'view', query} as const,
      {type: 'set-loss', percent: 25} as const,
      {type: 'mute', muted: true} as const,
      {type: 'hook-error', detail: 'webhook timed out'} as const,
      {type: 'dismiss-idle'} as const,
      {type: 'reset'} as const,
      {type: 'forget-stopped'} as const,
      {type: 'freeze', frozen: true} as const,
      {type: 'freeze', frozen: false} as const,
    ];
    for (const command of commands) {
      const applied = snapshot.commandsApplied;
      engine.send(command);
      snapshot = await next(
        (fresh) => fresh.commandsApplied === applied + 1,
        `a snapshot after ${command.type}`,
      );
    }

    assert.equal(snapshot.lossPercent, 25);
    assert.equal(snapshot.lossChanged, true);
    assert.equal(snapshot.muted, true);
    assert.equal(snapshot.hookError, 'webhook timed out');
    assert.equal(snapshot.resets.length, 1);
    assert.deepEqual(snapshot.query, query);
    assert.equal(snapshot.frozen, false);
  });
});

test('the window follows the view: rows sorted, filtered and sliced; totals and counts by state', async () => {
  await withEngine({deadAfter: '60'}, async ({engine, clock, next}) => {
    const {port} = engine.info;
    const peers = await Promise.all([
      UdpPeer.open(),
      UdpPeer.open(),
      UdpPeer.open(),
    ]);
    try {
      for (const [index, peer] of peers.entries()) {
        await heartbeats(peer, port, clock, index + 1, 10);
      }

      engine.send({
        type: 'view',
        query: {...query, sort: 'received', descending: true},
      });
      const sorted = await next(
        (snapshot) =>
          snapshot.window.total === 3 && snapshot.query.sort === 'received',
        'sorted by received',
      );
      assert.deepEqual(
        sorted.window.rows.map((row) => row.received),
        [3, 2, 1],
      );
      assert.equal(sorted.totals.received, 6);
      assert.equal(sorted.runTotals.received, 6);
      const {alive, late, stopped} = sorted.countByState;
      assert.equal(alive + late + stopped, 3);
      assert.equal(stopped, 0);
      assert.equal(sorted.delayHistogram.count, 6);
      assert.equal(
        sorted.delayHistogram.counts.reduce((sum, count) => sum + count, 0),
        6,
      );
      // The rows are plain data: they could cross a thread.
      assert.deepEqual(structuredClone(sorted), sorted);

      const {port: peerPort} = peers[1];
      const key = `127.0.0.1:${peerPort}`;
      engine.send({
        type: 'view',
        query: {...query, filter: `:${peerPort}`, start: 0, count: 1},
      });
      const filtered = await next(
        (snapshot) => snapshot.query.filter !== '',
        'filtered',
      );
      assert.deepEqual(
        filtered.window.rows.map((row) => row.key),
        [key],
      );
      assert.equal(filtered.window.total, 1);
    } finally {
      await Promise.all(peers.map(async (peer) => peer.close()));
    }
  });
});

test('freeze keeps a copy while recording goes on; unfreeze shows the live figures', async () => {
  await withEngine({}, async ({engine, clock, next}) => {
    const peer = await UdpPeer.open();
    try {
      engine.send({type: 'view', query});
      await heartbeats(peer, engine.info.port, clock, 3, 10);
      await next(
        (snapshot) => snapshot.window.rows[0]?.received === 3,
        'three heartbeats',
      );
      engine.send({type: 'freeze', frozen: true});
      const frozen = await next((snapshot) => snapshot.frozen, 'frozen');
      await heartbeats(peer, engine.info.port, clock, 4, 10);
      const still = await next(
        (snapshot) => snapshot.totals.received === 7,
        'four more recorded',
      );
      assert.equal(still.frozen, true);
      assert.equal(still.window.rows[0]!.received, 3, 'the frozen copy stands');
      assert.equal(still.frozenAt, frozen.frozenAt);
      engine.send({type: 'freeze', frozen: false});
      const live = await next((snapshot) => !snapshot.frozen, 'live again');
      assert.equal(live.window.rows[0]!.received, 7);
    } finally {
      await peer.close();
    }
  });
});

test('reset zeroes the counters but not the run totals, and is an event; forget drops stopped clients', async () => {
  await withEngine({deadAfter: '5'}, async ({engine, clock, events, next}) => {
    const steady = await UdpPeer.open();
    const silent = await UdpPeer.open();
    try {
      engine.send({type: 'view', query});
      await heartbeats(silent, engine.info.port, clock, 2, 10);
      await heartbeats(steady, engine.info.port, clock, 3, 10);
      await next(
        (snapshot) => snapshot.totals.received === 5,
        'five heartbeats',
      );

      const resetAt = clock.now;
      engine.send({type: 'reset'});
      const reset = await next(
        (snapshot) => snapshot.resets.length === 1,
        'reset',
      );
      assert.equal(reset.totals.received, 0);
      assert.equal(reset.runTotals.received, 5);
      assert.deepEqual(reset.resets, [resetAt]);
      assert.ok(reset.window.rows.every((row) => row.received === 0));
      assert.equal(reset.clientCount, 2);
      await waitFor(() => events.some((event) => event.event === 'reset'), {
        message: 'a reset event',
      });

      // The silent client stops; the steady one keeps beating.
      clock.advance(6000);
      await heartbeats(steady, engine.info.port, clock, 1, 10);
      await next(
        (snapshot) => snapshot.countByState.stopped === 1,
        'one stopped',
      );
      engine.send({type: 'forget-stopped'});
      const forgotten = await next(
        (snapshot) => snapshot.clientCount === 1,
        'forgotten',
      );
      assert.deepEqual(
        forgotten.window.rows.map((row) => row.key),
        [`127.0.0.1:${steady.port}`],
      );
      await waitFor(
        () =>
          events.find((event) => event.event === 'forget')?.detail ===
          'forgotten=1',
        {message: 'a forget event'},
      );
      assert.ok(
        events.some((event) => event.event === 'stopped'),
        'state changes reach the host',
      );
      assert.ok(
        !events.some((event) => event.event === 'replied'),
        'replies do not',
      );
    } finally {
      await steady.close();
      await silent.close();
    }
  });
});

test("a detail key brings the client's figures, state changes, delays and intervals", async () => {
  await withEngine({deadAfter: '3'}, async ({engine, clock, next}) => {
    const peer = await UdpPeer.open();
    try {
      const key = `127.0.0.1:${peer.port}`;
      await heartbeats(peer, engine.info.port, clock, 5, 500);
      clock.advance(4000);
      await next((snapshot) => snapshot.countByState.stopped === 1, 'stopped');
      await heartbeats(peer, engine.info.port, clock, 1, 500);
      engine.send({type: 'view', query: {...query, detail: key, recent: 1}});
      const {detail, recent} = await next(
        (snapshot) => snapshot.detail !== undefined,
        'the detail',
      );
      assert.equal(detail!.row.key, key);
      assert.equal(detail!.delaysMs.length, 6);
      for (const delay of detail!.delaysMs) {
        assert.ok(Math.abs(delay - 2) < 0.01, `a 2 ms delay, kept as ${delay}`);
      }

      // The liveness rules decide whether the outage's silence is learned: the first four stand.
      assert.deepEqual(detail!.intervalsMs.slice(0, 4), [500, 500, 500, 500]);
      assert.deepEqual(
        detail!.stateChanges.map((change) => change.state),
        ['alive', 'late', 'stopped', 'alive'],
      );
      assert.deepEqual(
        recent.map((row) => row.key),
        [key],
      );
    } finally {
      await peer.close();
    }
  });
});

test('the worker engine speaks the same interface (from the build: a worker loads JavaScript)', async () => {
  const {startWorkerEngine} =
    (await import('../../dist/source/engine/worker-engine.js')) as WorkerEngineModule;
  const options = {
    ...parseServerFlags({loss: '0', idleTimeout: '0'}, {interactive: false}),
    host: '127.0.0.1',
    port: 0,
    explicitPort: true,
  };
  const engine = await startWorkerEngine(options, 'test');
  const peer = await UdpPeer.open();
  try {
    engine.send({type: 'view', query});
    const reply = await peer.request(
      `1 ${new Date().toISOString()}`,
      engine.info.port,
    );
    assert.match(reply, /^Packet delivery delay = /v);
    const snapshot = await waitFor(
      () => {
        const latest = engine.getSnapshot();
        return latest.window.rows.length === 1 ? latest : undefined;
      },
      {message: 'the client in a snapshot from the worker'},
    );
    assert.equal(snapshot.window.rows[0]!.key, `127.0.0.1:${peer.port}`);
  } finally {
    await peer.close();
    const final = await engine.stop();
    assert.equal(final.clients.length, 1);
    assert.equal(final.snapshot.runTotals.received, 1);
  }
});
