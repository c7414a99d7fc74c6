import assert from 'node:assert/strict';
import {test} from 'node:test';
import {
  createViewMultiplexer,
  queryKey,
  type MultiplexedView,
} from '../../source/control/view-multiplexer.js';
import type {
  EngineCommand,
  EngineHandle,
  EngineSnapshot,
  ViewQuery,
} from '../../source/engine/types.js';
import {waitFor} from '../helpers/wait-for.js';

/** An engine that answers one query at a time, as the real one does: a snapshot per view command and per beat. */
function oneQueryEngine(beatMs: number) {
  let query: ViewQuery = {
    sort: 'client',
    descending: false,
    filter: '',
    start: 0,
    count: 0,
  };
  let sequence = 0;
  let latest = snapshotOf();
  const listeners = new Set<() => void>();
  const sent: EngineCommand[] = [];
  function snapshotOf(): EngineSnapshot {
    // Only the fields the multiplexer reads; the rest is not its business.
    const partial = {sequence: ++sequence, time: Date.now(), query};
    return partial as unknown as EngineSnapshot;
  }

  const publish = () => {
    latest = snapshotOf();
    for (const listener of listeners) {
      listener();
    }
  };

  const beat = setInterval(publish, beatMs);
  const engine = {
    subscribe(listener: () => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getSnapshot: () => latest,
    send(command: EngineCommand) {
      sent.push(command);
      if (command.type === 'view') {
        query = command.query;
      }

      setImmediate(publish);
    },
  } as unknown as EngineHandle;
  return {
    engine,
    sent,
    stop() {
      clearInterval(beat);
    },
  };
}

function view(query: ViewQuery): MultiplexedView & {got: EngineSnapshot[]} {
  const got: EngineSnapshot[] = [];
  return {
    query,
    got,
    deliver(snapshot) {
      got.push(snapshot);
    },
  };
}

const base: ViewQuery = {
  sort: 'client',
  descending: false,
  filter: '',
  start: 0,
  count: 20,
};

test('each view gets only snapshots that answer its own query, several a second', async () => {
  const {engine, stop} = oneQueryEngine(100);
  const multiplexer = createViewMultiplexer(engine);
  const byState = view({...base, sort: 'state', descending: true});
  const filtered = view({...base, filter: '10.1.'});
  const alsoByState = view({...base, sort: 'state', descending: true});
  for (const each of [byState, filtered, alsoByState]) {
    multiplexer.add(each);
  }

  try {
    await waitFor(
      () =>
        [byState, filtered, alsoByState].every((each) => each.got.length >= 5),
      {timeoutMs: 10_000, message: 'five snapshots for every view'},
    );
    for (const each of [byState, filtered, alsoByState]) {
      assert.ok(
        each.got.every(
          (snapshot) => queryKey(snapshot.query) === queryKey(each.query!),
        ),
        'a snapshot of another view',
      );
    }

    // Two views with one query share its snapshots.
    assert.deepEqual(
      byState.got.slice(0, 3).map((snapshot) => snapshot.sequence),
      alsoByState.got.slice(0, 3).map((snapshot) => snapshot.sequence),
    );
  } finally {
    multiplexer.close();
    stop();
  }
});

test('a view that changes its query is answered without waiting for the next round', async () => {
  const {engine, stop} = oneQueryEngine(60_000);
  const multiplexer = createViewMultiplexer(engine);
  const one = view(base);
  multiplexer.add(one);
  try {
    await waitFor(() => one.got.length > 0, {message: 'a first snapshot'});
    one.query = {...base, start: 40};
    multiplexer.changed(one);
    await waitFor(() => one.got.at(-1)?.query.start === 40, {
      timeoutMs: 2000,
      message: 'the new window, long before the next beat',
    });
  } finally {
    multiplexer.close();
    stop();
  }
});

test('when the last view goes, the engine gets back the view it had', async () => {
  const {engine, sent, stop} = oneQueryEngine(100);
  const resting = engine.getSnapshot().query;
  const multiplexer = createViewMultiplexer(engine);
  const one = view({...base, sort: 'delay'});
  multiplexer.add(one);
  try {
    await waitFor(() => one.got.length > 0, {message: 'a snapshot'});
    multiplexer.remove(one);
    const last = sent.at(-1);
    assert.deepEqual(last, {type: 'view', query: resting});
  } finally {
    multiplexer.close();
    stop();
  }
});

test('the queries of a round are paced a fifth of a frame apart, never sent back to back', async () => {
  const {engine, sent, stop} = oneQueryEngine(100);
  const sentAt: number[] = [];
  const send = engine.send.bind(engine);
  engine.send = (command) => {
    if (command.type === 'view') {
      sentAt.push(performance.now());
    }

    send(command);
  };

  const multiplexer = createViewMultiplexer(engine);
  const views = [
    'state',
    'received',
    'loss',
    'delay',
    'interval',
    'lastSeen',
  ].map((sort) => view({...base, sort: sort as ViewQuery['sort']}));
  for (const each of views) {
    multiplexer.add(each);
  }

  try {
    await waitFor(() => views.every((each) => each.got.length >= 3), {
      timeoutMs: 10_000,
      message: 'three snapshots for each of six views',
    });
    // Adding a view asks at once (a key pressed is answered now); the rounds after are paced.
    const paced = sentAt.slice(views.length);
    assert.ok(paced.length >= 6, `${sent.length} view commands`);
    for (let index = 1; index < paced.length; index++) {
      const gapMs = paced[index]! - paced[index - 1]!;
      // Timers count in whole milliseconds from the loop's cached time: two for that.
      assert.ok(
        gapMs >= 100 / 5 - 1,
        `two queries ${gapMs.toFixed(1)} ms apart`,
      );
    }
  } finally {
    multiplexer.close();
    stop();
  }
});
