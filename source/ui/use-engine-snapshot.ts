import {useCallback, useRef, useSyncExternalStore} from 'react';
import type {EngineHandle, EngineSnapshot} from '../engine/types.js';
import {sameScreen} from './same-screen.js';

/** What the dashboard holds of the engine: its snapshots and its commands, never its store. */
export type EngineView = Pick<
  EngineHandle,
  'subscribe' | 'getSnapshot' | 'send'
>;

/**
 * The latest snapshot the engine published that changes the screen. Snapshots renew at the
 * engine's frame rate and after each command, never per packet, so React does work only on that
 * beat; one that would draw the same screen as the last one drawn (`sameScreen`) is passed over,
 * so an idle or slow fleet costs no frame at all. `exactTime`: the time itself is on screen.
 */
export function useEngineSnapshot(
  engine: EngineView,
  exactTime = false,
): EngineSnapshot {
  const shown = useRef<EngineSnapshot | undefined>(undefined);
  const getShown = useCallback(() => {
    const next = engine.getSnapshot();
    const previous = shown.current;
    if (previous !== undefined && sameScreen(previous, next, exactTime)) {
      return previous;
    }

    shown.current = next;
    return next;
  }, [engine, exactTime]);
  return useSyncExternalStore(engine.subscribe, getShown);
}
