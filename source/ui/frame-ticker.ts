import {liveView, type ClientsView} from './clients-view.js';
import type {DashboardSource} from './types.js';

/** Everything one frame of the dashboard reads, taken at one tick. */
export type Frame = {
  /** Counts frames, so a component can tell one frame from the next. */
  readonly sequence: number;
  readonly clients: ClientsView;
  readonly loss: number;
  readonly lossChanged: boolean;
  readonly logError: string | undefined;
  readonly idleSilenceMs: number | undefined;
};

/** A tiny external store for `useSyncExternalStore`: its snapshot changes only when the interval fires. */
export type FrameTicker = {
  readonly subscribe: (onFrame: () => void) => () => void;
  readonly getSnapshot: () => Frame;
};

function readFrame(source: DashboardSource, sequence: number): Frame {
  return {
    sequence,
    clients: liveView(source, source.clock()),
    loss: source.loss(),
    lossChanged: source.lossChanged(),
    logError: source.logError(),
    idleSilenceMs: source.idleSilenceMs(),
  };
}

/**
 * Publishes a frame every `intervalMs` while anyone listens. Packets never reach React: the store
 * only counts, and the dashboard looks at it on this beat. A new frame each tick, even when the
 * store's version has not moved, because ages and uptime keep counting.
 */
export function createFrameTicker(
  source: DashboardSource,
  intervalMs: number,
): FrameTicker {
  let frame = readFrame(source, 0);
  const listeners = new Set<() => void>();
  let timer: ReturnType<typeof setInterval> | undefined;

  const tick = () => {
    frame = readFrame(source, frame.sequence + 1);
    for (const listener of listeners) {
      listener();
    }
  };

  return {
    subscribe(onFrame) {
      listeners.add(onFrame);
      timer ??= setInterval(tick, intervalMs);
      return () => {
        listeners.delete(onFrame);
        if (listeners.size === 0 && timer !== undefined) {
          clearInterval(timer);
          timer = undefined;
        }
      };
    },
    getSnapshot: () => frame,
  };
}
