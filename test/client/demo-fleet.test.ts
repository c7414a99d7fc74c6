import assert from 'node:assert/strict';
import test from 'node:test';
import {
  demoBehaviourFor,
  demoBehaviours,
  type DemoBehaviour,
} from '../../source/client/demo-behaviours.js';
import {startDemoFleet} from '../../source/client/demo-fleet.js';
import {parseRequest} from '../../source/protocol/parse-request.js';
import type {ParsedRequest} from '../../source/protocol/types.js';
import {seededRandom} from '../../source/random.js';
import {waitFor} from '../helpers/wait-for.js';
import {
  activeResources,
  echoUpperCase,
  LoopbackServer,
  type Datagram,
} from './loopback.js';

const start = 1_795_498_267_000;

/** What a fresh client of this behaviour sends over `ticks` ticks, as the server reads it. */
function simulate(
  behaviour: DemoBehaviour,
  ticks: number,
  seed = 1,
): Array<ParsedRequest | undefined> {
  const ticker = behaviour.create(seededRandom(seed));
  return Array.from({length: ticks}, (_, tick) => {
    const now = start + tick * behaviour.intervalMs;
    const payload = ticker(tick, now);
    if (payload === undefined) {
      return undefined;
    }

    return parseRequest(
      typeof payload === 'string' ? Buffer.from(payload) : payload,
      now,
    );
  });
}

function seqs(requests: Array<ParsedRequest | undefined>): number[] {
  return requests.flatMap((request) =>
    request?.kind === 'heartbeat' && request.seq !== undefined
      ? [request.seq]
      : [],
  );
}

function behaviourNamed(part: string): DemoBehaviour {
  const found = demoBehaviours.find((behaviour) =>
    behaviour.name.includes(part),
  );
  assert.ok(found, part);
  return found;
}

test('steady: one heartbeat a second in the seed format, numbered 1, 2, 3 …', () => {
  const behaviour = behaviourNamed('steady');
  assert.equal(behaviour.intervalMs, 1000);
  const requests = simulate(behaviour, 5);
  assert.deepEqual(seqs(requests), [1, 2, 3, 4, 5]);
  for (const [tick, request] of requests.entries()) {
    assert.equal(request?.kind, 'heartbeat');
    if (request?.kind === 'heartbeat') {
      assert.equal(request.label, undefined);
      assert.equal(request.timestampMs, start + tick * 1000);
    }
  }
});

test('fast: ten Ping heartbeats a second', () => {
  const behaviour = behaviourNamed('fast');
  assert.equal(behaviour.intervalMs, 100);
  const requests = simulate(behaviour, 20);
  assert.deepEqual(
    seqs(requests),
    Array.from({length: 20}, (_, index) => index + 1),
  );
  assert.ok(
    requests.every(
      (request) => request?.kind === 'heartbeat' && request.label === 'Ping',
    ),
  );
});

test('intermittent: ~12 s of heartbeats, ~8 s of silence (long enough to be stopped), then from 1 again', () => {
  const behaviour = behaviourNamed('silent');
  const requests = simulate(behaviour, 100);
  assert.ok(
    requests.every(
      (request) => request === undefined || request.kind === 'heartbeat',
    ),
  );
  // Runs of sending and of silence, in ticks of one second.
  const runs: Array<{
    silent: boolean;
    length: number;
    firstSeq: number | undefined;
  }> = [];
  for (const request of requests) {
    const silent = request === undefined;
    const last = runs.at(-1);
    if (last?.silent === silent) {
      last.length++;
    } else {
      runs.push({
        silent,
        length: 1,
        firstSeq: request?.kind === 'heartbeat' ? request.seq : undefined,
      });
    }
  }

  const silences = runs.filter((run) => run.silent);
  assert.ok(silences.length >= 4, JSON.stringify(runs));
  assert.ok(
    silences.every((run) => run.length >= 7 && run.length <= 9),
    JSON.stringify(runs),
  );
  const active = runs.filter((run) => !run.silent);
  assert.ok(
    active.slice(0, -1).every((run) => run.length >= 11 && run.length <= 13),
    JSON.stringify(runs),
  );
  assert.ok(
    active.every((run) => run.firstSeq === 1),
    'each burst starts over from 1',
  );
});

test('gappy: now and then skips one to three numbers, never goes back', () => {
  const steps = seqs(simulate(behaviourNamed('skips'), 200)).map(
    (seq, index, all) => seq - (all[index - 1] ?? 0),
  );
  assert.ok(
    steps.every((step) => step >= 1 && step <= 4),
    steps.join(','),
  );
  const gaps = steps.filter((step) => step > 1).length;
  assert.ok(gaps >= 10 && gaps <= 60, `${gaps} gaps in 200`);
});

test('faulty: now and then a datagram the server counts as malformed; heartbeats in order around it', () => {
  const requests = simulate(behaviourNamed('malformed'), 100);
  const malformed = requests.filter((request) => request?.kind === 'malformed');
  assert.ok(
    malformed.length >= 8 && malformed.length <= 40,
    `${malformed.length} malformed in 100`,
  );
  // Every sample is rejected, for more than one reason.
  assert.ok(
    new Set(
      malformed.map(
        (request) => request?.kind === 'malformed' && request.reason,
      ),
    ).size >= 3,
  );
  const numbers = seqs(requests);
  assert.deepEqual(
    numbers,
    Array.from({length: numbers.length}, (_, index) => index + 1),
  );
});

test('every datagram of the other behaviours is a heartbeat the server accepts', () => {
  for (const behaviour of demoBehaviours.filter(
    (behaviour) =>
      !behaviour.name.includes('malformed') &&
      !behaviour.name.includes('binary'),
  )) {
    const requests = simulate(behaviour, 30).filter(
      (request) => request !== undefined,
    );
    assert.ok(requests.length > 0, behaviour.name);
    assert.ok(
      requests.every((request) => request.kind === 'heartbeat'),
      `${behaviour.name}: ${JSON.stringify(requests.find((request) => request.kind !== 'heartbeat'))}`,
    );
  }
});

test('the ctime() client writes local time the server reads back to the second', () => {
  const ticker = behaviourNamed('ctime').create(seededRandom(1));
  // A one-digit day, padded with a space as Python does, and a two-digit one.
  for (const nowMs of [
    new Date(2025, 3, 4, 9, 5, 7, 250).getTime(),
    start + 0.5,
  ]) {
    const payload = ticker(0, nowMs);
    assert.ok(typeof payload === 'string');
    const request = parseRequest(Buffer.from(payload), nowMs);
    assert.equal(request.kind, 'heartbeat', String(payload));
    if (request.kind === 'heartbeat') {
      assert.equal(request.label, 'Ping');
      assert.equal(request.timestampMs, Math.floor(nowMs / 1000) * 1000);
    }
  }

  assert.match(
    String(ticker(1, new Date(2025, 3, 4, 9, 5, 7).getTime())),
    /^Ping 2 Fri Apr {2}4 09:05:07 2025$/v,
  );
});

test('a big fleet cycles through the behaviours at other rates', () => {
  const count = demoBehaviours.length;
  assert.equal(demoBehaviourFor(0), demoBehaviours[0]);
  assert.equal(demoBehaviourFor(count + 1).name, demoBehaviours[1]!.name);
  assert.notEqual(
    demoBehaviourFor(count + 1).intervalMs,
    demoBehaviours[1]!.intervalMs,
  );
  const intervals = new Set(
    Array.from({length: count * 5}, (_, index) => demoBehaviourFor(index)).map(
      (behaviour) => `${behaviour.name}@${behaviour.intervalMs}`,
    ),
  );
  assert.equal(intervals.size, count * 5, 'no two clients alike');
});

/** Heartbeat numbers per source port, as the server received them. */
function seqsByPort(received: readonly Datagram[]): Map<number, number[]> {
  const byPort = new Map<number, number[]>();
  for (const {payload, port} of received) {
    const request = parseRequest(payload, Date.now());
    if (request.kind === 'heartbeat' && request.seq !== undefined) {
      byPort.set(port, [...(byPort.get(port) ?? []), request.seq]);
    }
  }

  return byPort;
}

test('over UDP: five sockets, a malformed datagram, a gap, a restart; stop() leaves nothing behind', async () => {
  const server = await LoopbackServer.open(echoUpperCase);
  const resources = activeResources();
  const fleet = startDemoFleet({
    host: '0.0.0.0',
    port: server.port,
    random: seededRandom(7),
    speed: 20,
  });
  try {
    assert.equal(fleet.behaviours.length, 5);
    await waitFor(
      () => {
        const byPort = seqsByPort(server.received);
        const all = [...byPort.values()];
        return (
          server.ports().size >= 5 &&
          server.received.some(
            ({payload}) =>
              parseRequest(payload, Date.now()).kind === 'malformed',
          ) &&
          all.some((numbers) =>
            numbers.some(
              (seq, index) => index > 0 && seq > numbers[index - 1]! + 1,
            ),
          ) &&
          all.some((numbers) =>
            numbers.some((seq, index) => index > 0 && seq === 1),
          ) &&
          fleet.counts().replies > 0
        );
      },
      {
        timeoutMs: 10_000,
        message:
          'five clients, a malformed datagram, a gap, a restart, replies',
      },
    );
    assert.ok(fleet.counts().sent >= server.received.length);
  } finally {
    await fleet.stop();
  }

  await resources.settled();
  const after = server.received.length;
  // Stopped means stopped: a second stop is harmless, and the server's count no longer moves
  // (checked once the sockets are gone, so nothing can still be in flight).
  await fleet.stop();
  assert.equal(server.received.length, after);
  await server.close();
});

test('more than five clients: each its own socket; stopped before the first tick is fine too', async () => {
  const server = await LoopbackServer.open();
  const resources = activeResources();
  const fleet = startDemoFleet({
    host: '127.0.0.1',
    port: server.port,
    count: 12,
    speed: 10,
  });
  assert.equal(fleet.behaviours.length, 12);
  try {
    await waitFor(() => server.ports().size >= 12, {
      timeoutMs: 10_000,
      message: '12 source ports',
    });
  } finally {
    await fleet.stop();
  }

  const early = startDemoFleet({
    host: '127.0.0.1',
    port: server.port,
    count: 3,
  });
  await early.stop();
  await resources.settled();
  await server.close();
});

test('without a server the fleet keeps sending quietly: port unreachable is no crash', async () => {
  const server = await LoopbackServer.open();
  const {port} = server;
  await server.close();
  const resources = activeResources();
  const fleet = startDemoFleet({
    host: '127.0.0.1',
    port,
    speed: 20,
    random: seededRandom(3),
  });
  try {
    await waitFor(() => fleet.counts().sent >= 30, {
      message: '30 datagrams sent',
    });
    assert.equal(fleet.counts().replies, 0);
  } finally {
    await fleet.stop();
  }

  await resources.settled();
});

test('the newer clients: free text after a label, a lone millisecond time, a time of day, a binary struct', () => {
  const [free] = simulate(behaviourNamed('free text'), 1);
  assert.deepEqual(free, {
    kind: 'heartbeat',
    label: 'Ping',
    seq: undefined,
    timestampMs: undefined,
  });
  const [alone] = simulate(behaviourNamed('lone millisecond'), 1);
  assert.deepEqual(alone, {
    kind: 'heartbeat',
    label: 'PING',
    seq: undefined,
    timestampMs: start,
  });
  const times = simulate(behaviourNamed('time of day'), 3);
  assert.deepEqual(
    times.map(
      (request) =>
        request?.kind === 'heartbeat' && [request.seq, request.timestampMs],
    ),
    [
      [1, start],
      [2, start + 1000],
      [3, start + 2000],
    ],
  );
  const structs = simulate(behaviourNamed('binary'), 3);
  assert.ok(
    structs.every((request) => request?.kind === 'malformed' && request.binary),
  );
});
