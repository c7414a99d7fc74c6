/*
Work on the engine's thread comes in slices, so that no task holds the socket up for long: a pass
over 100000 clients is a generator that yields every few hundred of them, and `runSliced` runs it
for a few milliseconds per turn of the event loop, with datagrams handled in between.
*/

/** A pass that yields now and then and returns its result at the end. */
export type SlicedWork<T> = Generator<void, T, undefined>;

/** Items handled between two yields: small enough that a check of the clock is never far away. */
export const itemsPerYield = 256;

/** Runs a pass to its end at once: for tests and for work off the engine's thread. */
export function runToEnd<T>(work: SlicedWork<T>): T {
  for (;;) {
    const step = work.next();
    if (step.done) {
      return step.value;
    }
  }
}

export type SliceTimer = {
  /** Milliseconds, monotonic. */
  now(): number;
  /** Runs `task` on a later turn of the event loop (setImmediate). */
  later(task: () => void): void;
};

const defaultTimer: SliceTimer = {
  now: () => performance.now(),
  later(task) {
    setImmediate(task);
  },
};

/**
 * Runs `work` in slices of about `budgetMs`, each on its own turn of the event loop, and calls
 * `done` with the result. Returns a function that abandons the pass.
 */
export function runSliced<T>(
  work: SlicedWork<T>,
  budgetMs: number,
  done: (result: T) => void,
  timer: SliceTimer = defaultTimer,
): () => void {
  let cancelled = false;
  const slice = () => {
    if (cancelled) {
      return;
    }

    const end = timer.now() + budgetMs;
    for (;;) {
      const step = work.next();
      if (step.done) {
        done(step.value);
        return;
      }

      if (timer.now() >= end) {
        timer.later(slice);
        return;
      }
    }
  };

  slice();
  return () => {
    cancelled = true;
  };
}
