import type {EngineHandle, EngineSnapshot, ViewQuery} from '../engine/types.js';

/*
The engine answers one view at a time: its snapshot carries the window of the query it was last
sent. Several viewers, each with a view of its own, take turns: once a frame, each distinct query
that the latest snapshot did not answer is sent in turn, and the snapshot that answers it goes to
every viewer that asked for it. The engine builds one window per distinct query per frame, and
a viewer is sent only the rows its own view asks for.

The queries of a round are paced, never sent back to back: one at most every fifth of a frame. A
window of a few thousand clients takes the engine's thread a millisecond or two, and a burst of
ten of them in a row would hold datagrams back for as long; spread out, each costs one short task.
With more than five distinct views a round takes longer than a frame, and each viewer is drawn a
little less often than ten times a second: viewers wait, replies do not.
*/

/** One reader's view: its query and where its snapshots go. */
export type MultiplexedView = {
  /** What this view asks for; undefined until it says. */
  query: ViewQuery | undefined;
  deliver(snapshot: EngineSnapshot): void;
};

export type ViewMultiplexer = {
  add(view: MultiplexedView): void;
  remove(view: MultiplexedView): void;
  /** The view's query changed: it gets an answer without waiting for the next frame. */
  changed(view: MultiplexedView): void;
  close(): void;
};

/** How long a query may go unanswered (the engine is busy or stopping) before the next one goes. */
const answerTimeoutMs = 1000;

/** The same view, whichever thread's copy of it this is. */
export function queryKey(query: ViewQuery): string {
  return JSON.stringify([
    query.sort,
    query.descending,
    query.filter,
    query.start,
    query.count,
    query.detail ?? null,
    query.recent ?? 0,
  ]);
}

export function createViewMultiplexer(
  engine: EngineHandle,
  {frameIntervalMs = 100}: {readonly frameIntervalMs?: number} = {},
): ViewMultiplexer {
  const views = new Set<MultiplexedView>();
  /** The engine's own view before anyone attached: restored when the last view goes. */
  const restingQuery = engine.getSnapshot().query;
  let queue: string[] = [];
  let awaiting: {key: string; timer: NodeJS.Timeout} | undefined;
  let roundStartedAt = Number.NEGATIVE_INFINITY;
  let closed = false;
  const askGapMs = frameIntervalMs / 5;
  let lastAskAt = Number.NEGATIVE_INFINITY;
  let pacing: NodeJS.Timeout | undefined;

  const queriesByKey = (): Map<string, ViewQuery> => {
    const byKey = new Map<string, ViewQuery>();
    for (const view of views) {
      if (view.query !== undefined) {
        byKey.set(queryKey(view.query), view.query);
      }
    }

    return byKey;
  };

  const answerLate = () => {
    awaiting = undefined;
    askNext();
  };

  function askNext(): void {
    if (awaiting !== undefined || closed) {
      return;
    }

    const byKey = queriesByKey();
    while (queue.length > 0) {
      const key = queue.shift()!;
      const query = byKey.get(key);
      if (query === undefined) {
        continue;
      }

      awaiting = {key, timer: setTimeout(answerLate, answerTimeoutMs)};
      lastAskAt = performance.now();
      engine.send({type: 'view', query});
      return;
    }
  }

  /** The next query of the round, a fifth of a frame after the last one at the soonest. */
  function askPaced(): void {
    if (pacing !== undefined || closed || queue.length === 0) {
      return;
    }

    const waitMs = lastAskAt + askGapMs - performance.now();
    if (waitMs <= 0) {
      askNext();
      return;
    }

    pacing = setTimeout(() => {
      pacing = undefined;
      askNext();
    }, Math.ceil(waitMs));
  }

  const onSnapshot = () => {
    const snapshot = engine.getSnapshot();
    const key = queryKey(snapshot.query);
    for (const view of views) {
      if (view.query !== undefined && queryKey(view.query) === key) {
        view.deliver(snapshot);
      }
    }

    if (awaiting?.key === key) {
      clearTimeout(awaiting.timer);
      awaiting = undefined;
    }

    // A new round once a frame: every other query this snapshot did not answer, in turn.
    if (
      awaiting === undefined &&
      queue.length === 0 &&
      snapshot.time - roundStartedAt >= frameIntervalMs * 0.9
    ) {
      roundStartedAt = snapshot.time;
      queue = [...queriesByKey().keys()].filter((other) => other !== key);
    }

    askPaced();
  };

  const unsubscribe = engine.subscribe(onSnapshot);

  return {
    add(view) {
      views.add(view);
      this.changed(view);
    },
    remove(view) {
      views.delete(view);
      if (views.size === 0 && !closed) {
        queue = [];
        engine.send({type: 'view', query: restingQuery});
      }
    },
    changed(view) {
      if (view.query === undefined) {
        return;
      }

      const key = queryKey(view.query);
      if (!queue.includes(key)) {
        queue.unshift(key);
      }

      askNext();
    },
    close() {
      closed = true;
      unsubscribe();
      if (awaiting !== undefined) {
        clearTimeout(awaiting.timer);
      }

      clearTimeout(pacing);
    },
  };
}
