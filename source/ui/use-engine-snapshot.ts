import {useSyncExternalStore} from 'react';
import type {EngineHandle, EngineSnapshot} from '../engine/types.js';

/** What the dashboard holds of the engine: its snapshots and its commands, never its store. */
export type EngineView = Pick<
  EngineHandle,
  'subscribe' | 'getSnapshot' | 'send'
>;

/**
 * The latest snapshot the engine published. It renews at the engine's frame rate and after each
 * command, never per packet, so React does work only on that beat.
 */
export function useEngineSnapshot(engine: EngineView): EngineSnapshot {
  return useSyncExternalStore(engine.subscribe, engine.getSnapshot);
}
