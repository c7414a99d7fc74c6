import process from 'node:process';
import {type EngineCore, initialQuery} from '../engine/engine-core.js';
import type {EngineCommand, EngineSnapshot} from '../engine/types.js';
import type {ReplayControls, ReplayStatus} from '../ui/replay-controls.js';
import type {EngineView} from '../ui/use-engine-snapshot.js';
import type {LogRow} from './log-reader.js';
import {createReplayClock, type ReplayClock} from './replay-clock.js';
import {ReplayDriver} from './replay-driver.js';

/** Fastest speed `>` gives before "as fast as it can", and the slowest `<` gives. */
const fastestSpeed = 1024;
const slowestSpeed = 1 / 64;

/** Doubles or halves the speed: past x1024 comes "as fast as it can" (0), and back. */
export function nextSpeed(speed: number, faster: boolean): number {
  if (speed === 0) {
    return faster ? 0 : fastestSpeed;
  }

  if (faster) {
    return speed * 2 > fastestSpeed ? 0 : speed * 2;
  }

  return Math.max(slowestSpeed, speed / 2);
}

/** The replay's clock as the dashboard's keys move it; `changed` after each move. */
export function createReplayControls(
  clock: ReplayClock,
  changed: () => void,
): {
  readonly controls: ReplayControls;
  end(): void;
} {
  const listeners = new Set<() => void>();
  let ended = false;
  let status: ReplayStatus = {speed: clock.speed, paused: false, ended};
  const update = () => {
    status = {speed: clock.speed, paused: clock.paused, ended};
    for (const listener of listeners) {
      listener();
    }

    changed();
  };

  return {
    controls: {
      subscribe(listener) {
        listeners.add(listener);
        return () => {
          listeners.delete(listener);
        };
      },
      getStatus: () => status,
      togglePause() {
        if (clock.paused) {
          clock.resume();
        } else {
          clock.pause();
        }

        update();
      },
      changeSpeed(faster) {
        clock.setSpeed(nextSpeed(clock.speed, faster));
        update();
      },
    },
    end() {
      ended = true;
      update();
    },
  };
}

/**
 * The engine as the dashboard reads it. Only the commands that change the view reach it: the
 * others would change what was recorded, and a replay's keys never send them.
 */
function viewOf(core: EngineCore): EngineView {
  let latest: EngineSnapshot = core.latest();
  const listeners = new Set<() => void>();
  core.onSnapshot((snapshot) => {
    latest = snapshot;
    for (const listener of listeners) {
      listener();
    }
  });
  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    getSnapshot: () => latest,
    send(command: EngineCommand) {
      if (command.type === 'view' || command.type === 'freeze') {
        core.apply(command);
      }
    },
  };
}

export type DashboardReplayOptions = {
  readonly source: string;
  readonly speed: number;
  readonly rows: AsyncIterable<readonly LogRow[]>;
};

/**
 * Plays the rows on the dashboard, as the run was: the engine the driver makes at the session's
 * first row is drawn ten times a second, on the replay clock. Space pauses, `<` and `>` change
 * the speed; at the end of the log the screen stays until `q` (or a signal). Resolves with the
 * driver, for the summary, once the terminal is restored.
 *
 * @throws {ReplayInputError} from a row found broken while playing (the terminal restored first).
 */
export async function replayOnDashboard(
  options: DashboardReplayOptions,
): Promise<ReplayDriver> {
  // Loaded only when there is a dashboard to draw.
  const {showDashboard} = await import('../ui/show-dashboard.js');
  const clock = createReplayClock(options.speed);
  let core: EngineCore | undefined;
  // A pause or a new speed shows at once, with a snapshot of the time it happened at.
  const {controls, end} = createReplayControls(clock, () => {
    core?.apply({type: 'view', query: core.latest().query});
  });
  let quit: () => void = () => undefined;
  const quitting = new Promise<void>((resolve) => {
    quit = resolve;
  });
  let screen: {close(): Promise<void>} | undefined;
  let crash: Error | undefined;
  const driver = new ReplayDriver({
    clock,
    // Nothing is printed while the dashboard is up.
    sink: () => undefined,
    source: options.source,
    query: {...initialQuery, count: process.stdout.rows ?? 24},
    onEngine(engine) {
      core = engine;
      engine.start();
      screen = showDashboard(viewOf(engine), {
        replay: controls,
        onQuit: quit,
        onCrash(error) {
          crash = error;
          quit();
        },
      });
    },
  });

  const onSignal = () => {
    quit();
  };

  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const signal of signals) {
    process.on(signal, onSignal);
  }

  let failure: Error | undefined;
  let playedToEnd = false;
  const playing = driver.play(options.rows).then(
    () => {
      playedToEnd = true;
      end();
      // Nothing was shown (a session without rows): nothing to wait for.
      if (core === undefined) {
        quit();
      }
    },
    (error: unknown) => {
      failure = error instanceof Error ? error : new Error(String(error));
      quit();
    },
  );
  try {
    await quitting;
    if (!playedToEnd) {
      driver.stop();
    }

    await playing;
  } finally {
    core?.pause();
    await screen?.close();
    for (const signal of signals) {
      process.off(signal, onSignal);
    }
  }

  if (failure !== undefined) {
    throw failure;
  }

  if (crash !== undefined) {
    throw crash;
  }

  return driver;
}
