import {useReducer} from 'react';
import {
  defaultDescending,
  fitWindow,
  nextSortColumn,
  type SortColumn,
} from './sort-order.js';

/** What covers the table or takes the keys, besides the idle prompt (which the engine decides). */
export type Overlay = 'none' | 'help' | 'filter' | 'loss' | 'reset';

/** The dashboard's own view state: nothing here changes the server. */
export type DashboardViewState = {
  /** Index of the selected row in the sorted, filtered list. */
  readonly selected: number;
  /** Index of the first row shown. */
  readonly top: number;
  readonly sort: SortColumn;
  readonly descending: boolean;
  readonly filter: string;
  readonly overlay: Overlay;
};

/** Move the cursor to `target` (clamped), scrolling so it stays in a window of `visible` rows. */
export type SelectAction = {
  readonly type: 'select';
  readonly target: number;
  /** The cursor and scroll as last drawn (they may differ from the state after a resize). */
  readonly from: {readonly selected: number; readonly top: number};
  readonly visible: number;
  readonly total: number;
};

export type DashboardAction =
  | SelectAction
  | {
      readonly type: 'next-sort';
      /** The table's columns on screen, when known. */
      readonly onScreen?: ReadonlySet<string>;
    }
  | {readonly type: 'reverse-sort'}
  | {readonly type: 'open'; readonly overlay: Exclude<Overlay, 'none'>}
  | {readonly type: 'close'}
  | {readonly type: 'filter'; readonly filter: string};

export const initialViewState: DashboardViewState = {
  selected: 0,
  top: 0,
  sort: 'client',
  descending: defaultDescending.client,
  filter: '',
  overlay: 'none',
};

/** A new order or a new filter starts from the first row again. */
const atFirstRow = {selected: 0, top: 0} as const;

export function dashboardReducer(
  state: DashboardViewState,
  action: DashboardAction,
): DashboardViewState {
  switch (action.type) {
    case 'select': {
      const placed = fitWindow(
        action.target,
        action.from.top,
        action.visible,
        action.total,
      );
      return {...state, ...placed};
    }

    case 'next-sort': {
      const sort = nextSortColumn(state.sort, action.onScreen);
      return {
        ...state,
        ...atFirstRow,
        sort,
        descending: defaultDescending[sort],
      };
    }

    case 'reverse-sort': {
      return {...state, ...atFirstRow, descending: !state.descending};
    }

    case 'open': {
      return {...state, overlay: action.overlay};
    }

    case 'close': {
      return {...state, overlay: 'none'};
    }

    case 'filter': {
      return {...state, ...atFirstRow, filter: action.filter, overlay: 'none'};
    }
  }
}

/** The view state and its dispatch. */
export function useDashboardState() {
  return useReducer(dashboardReducer, initialViewState);
}
