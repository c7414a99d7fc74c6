import {useCallback, useLayoutEffect, useRef} from 'react';
import {useInput, type Key} from 'ink';
import {intentOf, type KeyGroup, type KeyIntent} from './key-bindings.js';

/** Where the cursor and the window were when last drawn. */
export type Placement = {
  readonly selected: number;
  readonly top: number;
  /** Rows the window shows. */
  readonly visible: number;
  /** Rows the filter keeps. */
  readonly total: number;
};

/** What the dashboard does for each intention of the key table. */
export type DashboardIntentions = {
  /** Carries out one intention; returns whether keys typed after it in the same read may follow. */
  perform(intent: KeyIntent): boolean;
  /** Ctrl+C. */
  quit(): void;
};

type DashboardKeysOptions = {
  readonly intentions: DashboardIntentions;
  /** False while an input line, the help or a prompt has the keys. */
  readonly isActive: boolean;
  /** False without a terminal that supports raw mode: no key is heard at all then. */
  readonly inputSupported: boolean;
  /** The key table (a replay has its own). */
  readonly groups?: readonly KeyGroup[];
};

/** Loss within 0-100, without the float noise of repeated steps (12.3 + 1 is 13.299999…). */
export function clampLoss(percent: number): number {
  const rounded = Math.round(percent * 1e6) / 1e6;
  return Math.min(100, Math.max(0, rounded));
}

/**
 * The dashboard's keys while the table has them, and Ctrl+C always (the CLI renders with
 * exitOnCtrlC off, since it owns shutdown). Each key is looked up in the key table and its
 * intention handed to the dashboard. The handlers stay the same function for the dashboard's
 * whole life and read the latest intentions from a ref: a handler that changed with every frame
 * would make Ink re-subscribe ten times a second, and a key arriving in between would meet a stale
 * one.
 */
export function useDashboardKeys(options: DashboardKeysOptions): void {
  const latest = useRef(options);
  useLayoutEffect(() => {
    latest.current = options;
  });

  const handleTableKey = useCallback((input: string, key: Key) => {
    if (key.ctrl || (key.meta && !key.escape)) {
      return;
    }

    // Keys typed faster than they are read arrive as one string (as a paste does): each counts.
    for (const char of input.length > 1 ? input : [input]) {
      const intent = intentOf(char, key, latest.current.groups);
      if (intent !== undefined && !latest.current.intentions.perform(intent)) {
        return;
      }
    }
  }, []);

  const handleCtrlC = useCallback((input: string, key: Key) => {
    if (key.ctrl && input === 'c') {
      latest.current.intentions.quit();
    }
  }, []);

  useInput(handleTableKey, {
    isActive: options.inputSupported && options.isActive,
  });
  useInput(handleCtrlC, {isActive: options.inputSupported});
}
