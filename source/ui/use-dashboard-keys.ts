import {useCallback, useLayoutEffect, useRef, type Dispatch} from 'react';
import {useInput, type Key} from 'ink';
import {frozenView} from './clients-view.js';
import type {
  DashboardAction,
  DashboardViewState,
} from './use-dashboard-state.js';
import type {DashboardController, DashboardSource} from './types.js';

/** Where the cursor and the window were when last drawn. */
export type Placement = {
  readonly selected: number;
  readonly top: number;
  /** Rows the window shows. */
  readonly visible: number;
  /** Rows the filter keeps. */
  readonly total: number;
};

type DashboardKeysOptions = {
  readonly source: DashboardSource;
  readonly controller: DashboardController;
  readonly state: DashboardViewState;
  readonly dispatch: Dispatch<DashboardAction>;
  readonly placement: Placement;
  /** False while an input line, the help or the idle prompt has the keys. */
  readonly isActive: boolean;
  /** False without a terminal that supports raw mode: no key is heard at all then. */
  readonly inputSupported: boolean;
  /** After a reset or forget: any kept order may hold records the store no longer has. */
  readonly onClientsReplaced: () => void;
};

/** Loss steps per key; digits set tens. */
const lossSteps: Readonly<Record<string, number>> = {
  '+': 5,
  '-': -5,
  ']': 1,
  '[': -1,
};

/** A loss within 0-100, without the float noise of repeated steps (12.3 + 1 is 13.299999…). */
export function clampLoss(percent: number): number {
  const rounded = Math.round(percent * 1e6) / 1e6;
  return Math.min(100, Math.max(0, rounded));
}

/**
 * One key on the table. Returns whether keys typed after it in the same read may follow: not once
 * it opened an input line (what follows was meant for the line) or read state that is now stale.
 */
function handleKey(
  options: DashboardKeysOptions,
  input: string,
  key: Key,
): boolean {
  const {source, controller, state, dispatch, placement, onClientsReplaced} =
    options;
  const moveTo = (target: number) => {
    dispatch({
      type: 'select',
      target,
      from: placement,
      visible: placement.visible,
      total: placement.total,
    });
  };

  const page = Math.max(1, placement.visible);
  if (key.upArrow) {
    moveTo(placement.selected - 1);
  } else if (key.downArrow) {
    moveTo(placement.selected + 1);
  } else if (key.pageUp) {
    moveTo(placement.selected - page);
  } else if (key.pageDown) {
    moveTo(placement.selected + page);
  } else if (key.home) {
    moveTo(0);
  } else if (key.end) {
    moveTo(placement.total - 1);
  } else if (key.escape) {
    if (state.filter !== '') {
      dispatch({type: 'filter', filter: ''});
    }

    return false;
  } else if (input in lossSteps) {
    const next = clampLoss(source.loss() + lossSteps[input]!);
    if (next !== source.loss()) {
      controller.setLoss(next);
    }
  } else if (/^\d$/v.test(input)) {
    const next = Number(input) * 10;
    if (next !== source.loss()) {
      controller.setLoss(next);
    }
  } else {
    switch (input) {
      case 'L': {
        dispatch({type: 'open', overlay: 'loss'});
        return false;
      }

      case 's': {
        dispatch({type: 'next-sort'});
        break;
      }

      case 'S': {
        dispatch({type: 'reverse-sort'});
        break;
      }

      case '/': {
        dispatch({type: 'open', overlay: 'filter'});
        return false;
      }

      case 'p': {
        dispatch(
          state.frozen === undefined
            ? {type: 'freeze', view: frozenView(source)}
            : {type: 'unfreeze'},
        );
        return false;
      }

      case 'r': {
        controller.resetCounters();
        onClientsReplaced();
        break;
      }

      case 'x': {
        controller.forgetStopped();
        onClientsReplaced();
        break;
      }

      case '?': {
        dispatch({type: 'open', overlay: 'help'});
        return false;
      }

      case 'q': {
        controller.quit();
        return false;
      }

      default: {
        break;
      }
    }
  }

  // Moves read the cursor as last drawn, which a second move in the same read would not see.
  return !(key.upArrow || key.downArrow || key.pageUp || key.pageDown);
}

/**
 * The dashboard's keys while the table has them, and Ctrl+C always (the CLI renders with
 * exitOnCtrlC off, since it owns shutdown). The handlers stay the same function for the
 * dashboard's whole life and read the latest values from a ref: a handler that changed with every
 * frame would make Ink re-subscribe ten times a second, and a key arriving in between would meet a
 * stale one.
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
      if (!handleKey(latest.current, char, key)) {
        return;
      }
    }
  }, []);

  const handleCtrlC = useCallback((input: string, key: Key) => {
    if (key.ctrl && input === 'c') {
      latest.current.controller.quit();
    }
  }, []);

  useInput(handleTableKey, {
    isActive: options.inputSupported && options.isActive,
  });
  useInput(handleCtrlC, {isActive: options.inputSupported});
}
