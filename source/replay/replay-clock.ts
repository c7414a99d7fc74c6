/**
 * The clock a replay runs on: recorded time, which moves `speed` times as fast as real time.
 * The driver asks it to reach each row's time before playing the row; a paused clock does not
 * move. Speed 0 means as fast as it can: every time is reached at once.
 */
export type ReplayClock = {
  /** The recorded time reached (milliseconds since the epoch); NaN before the first row. */
  now(): number;
  /**
   * Moves to `time`: undefined when it is reached at once (the recorded time is past it, or the
   * speed is 0), else a promise that settles when it is. A time before the present is the present.
   */
  advanceTo(time: number): Promise<void> | undefined;
  readonly speed: number;
  setSpeed(speed: number): void;
  readonly paused: boolean;
  pause(): void;
  resume(): void;
  /** Releases a pending wait at once and stops the timer; later waits also end at once. */
  stop(): void;
};

/** Real time and timers, injected so tests control them exactly. */
export type RealTimers = {
  now(): number;
  /** Calls `callback` after `ms` real milliseconds, unless the returned function is called first. */
  setTimeout(callback: () => void, ms: number): () => void;
};

export const realTimers: RealTimers = {
  now: () => performance.now(),
  setTimeout(callback, ms) {
    const timer = setTimeout(callback, ms);
    return () => {
      clearTimeout(timer);
    };
  },
};

type Wait = {
  readonly target: number;
  readonly resolve: () => void;
  cancel: (() => void) | undefined;
};

/** A replay clock at `speed` times real time (0: as fast as it can). */
export function createReplayClock(
  speed: number,
  timers: RealTimers = realTimers,
): ReplayClock {
  let currentSpeed = speed;
  let paused = false;
  let stopped = false;
  /** The latest row time reached. */
  let position = Number.NaN;
  /** Recorded time at real time `anchorReal`: the clock runs from there at the current speed. */
  let anchorRecorded = Number.NaN;
  let anchorReal = 0;
  let wait: Wait | undefined;

  /**
   * Where recorded time has run to. It may be past the latest row when playing falls behind: the
   * rows after it are then played at once until it catches up, so the pace is kept over time.
   */
  function running(): number {
    if (paused || currentSpeed === 0) {
      return anchorRecorded;
    }

    return anchorRecorded + (timers.now() - anchorReal) * currentSpeed;
  }

  /** Starts the clock afresh from where it is, before its speed or pause changes. */
  function reanchor(): void {
    anchorRecorded = Math.max(running(), position);
    anchorReal = timers.now();
  }

  function settle(): void {
    const done = wait;
    if (done === undefined) {
      return;
    }

    done.cancel?.();
    wait = undefined;
    position = Math.max(position, done.target);
    done.resolve();
  }

  /** Sets the timer for the pending wait, or settles it when nothing is left to wait for. */
  function arm(): void {
    if (wait === undefined) {
      return;
    }

    wait.cancel?.();
    wait.cancel = undefined;
    if (stopped) {
      settle();
      return;
    }

    if (paused) {
      return;
    }

    if (currentSpeed === 0) {
      settle();
      return;
    }

    const remainingMs = (wait.target - running()) / currentSpeed;
    if (remainingMs <= 0) {
      settle();
      return;
    }

    wait.cancel = timers.setTimeout(settle, remainingMs);
  }

  return {
    now() {
      if (wait === undefined) {
        return position;
      }

      return Math.max(position, Math.min(running(), wait.target));
    },
    // Not async: a row that needs no wait is played without a turn of the microtask queue.
    // eslint-disable-next-line @typescript-eslint/promise-function-async
    advanceTo(time) {
      if (wait !== undefined) {
        throw new Error('the replay clock is already waiting');
      }

      if (Number.isNaN(position)) {
        // The first row starts the replay at its own time.
        position = time;
        anchorRecorded = time;
        anchorReal = timers.now();
        return undefined;
      }

      if (
        stopped ||
        time <= position ||
        (!paused && (currentSpeed === 0 || running() >= time))
      ) {
        position = Math.max(position, time);
        return undefined;
      }

      return new Promise<void>((resolve) => {
        wait = {target: time, resolve, cancel: undefined};
        arm();
      });
    },
    get speed() {
      return currentSpeed;
    },
    setSpeed(next) {
      reanchor();
      currentSpeed = next;
      arm();
    },
    get paused() {
      return paused;
    },
    pause() {
      reanchor();
      paused = true;
      arm();
    },
    resume() {
      reanchor();
      paused = false;
      arm();
    },
    stop() {
      stopped = true;
      settle();
    },
  };
}
