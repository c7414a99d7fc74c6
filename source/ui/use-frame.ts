import {useMemo, useSyncExternalStore} from 'react';
import {createFrameTicker, type Frame} from './frame-ticker.js';
import type {DashboardSource} from './types.js';

/**
 * The current frame, renewed every `intervalMs` and never between: however fast packets arrive,
 * React does work only on this beat. The interval stops when the component unmounts.
 */
export function useFrame(source: DashboardSource, intervalMs: number): Frame {
  const ticker = useMemo(
    () => createFrameTicker(source, intervalMs),
    [source, intervalMs],
  );
  return useSyncExternalStore(ticker.subscribe, ticker.getSnapshot);
}
