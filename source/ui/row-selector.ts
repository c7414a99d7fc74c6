import type {ClientRecord} from '../store/types.js';
import {
  clampStart,
  countMatching,
  filterAndSort,
  selectRows,
  sliceWindow,
  type RowQuery,
  type RowSource,
  type RowWindow,
} from './select-rows.js';

/*
Measured with 100000 clients (test/ui/measure-select-rows.ts; Node 20 on two busy shared cores,
medians): a full sort costs 25 ms by client and 75-135 ms by a number, far over the ~10 ms a frame
may spend, while selecting only the rows up to a 40-row window costs 5-13 ms, and copying every
client for a freeze 60 ms (once, on the key). So each frame selects its window exactly, from
whichever end of the order is nearer: fresh every frame wherever an operator usually looks (the top,
or the bottom after End). Only a window deep inside a long list needs the full sort; that one is
kept, and redone when the query or source changes, after `resortIntervalMs`, or after a reset or
forget, so the order there may lag by up to a second (the values in the rows are always current).
*/

export type RowSelectorOptions = {
  /** Most rows to select from one end before falling back to the kept full sort. */
  readonly partialLimit?: number;
  /** How long a kept full sort stays in use. */
  readonly resortIntervalMs?: number;
};

/** Where the window goes, worked out once the number of rows the filter keeps is known. */
export type Placement = {readonly start: number; readonly count: number};

export type RowSelector = {
  /** The window of rows to show now, from the source, by the query, and where `place` put it. */
  select<P extends Placement>(
    source: RowSource,
    query: RowQuery,
    now: number,
    place: (total: number) => P,
  ): {readonly window: RowWindow; readonly placement: P};
  /** Drops the kept sort: after a reset or forget, its records may be gone. */
  invalidate(): void;
};

type KeptSort = {
  readonly source: RowSource;
  readonly query: RowQuery;
  readonly sorted: readonly ClientRecord[];
  readonly sortedAt: number;
};

function sameQuery(a: RowQuery, b: RowQuery): boolean {
  return (
    a.sort === b.sort && a.descending === b.descending && a.filter === b.filter
  );
}

export function createRowSelector({
  partialLimit = 2000,
  resortIntervalMs = 1000,
}: RowSelectorOptions = {}): RowSelector {
  let kept: KeptSort | undefined;
  return {
    select(source, query, now, place) {
      const total = countMatching(source, query.filter);
      const placement = place(total);
      const {start, count} = placement;
      const first = clampStart(start, count, total);
      const end = Math.min(total, first + Math.max(0, count));
      if (Math.min(end, total - first) <= partialLimit) {
        return {
          window: selectRows(source, query, first, count, total),
          placement,
        };
      }

      if (
        kept?.source !== source ||
        !sameQuery(kept.query, query) ||
        now - kept.sortedAt >= resortIntervalMs ||
        now < kept.sortedAt
      ) {
        kept = {
          source,
          query,
          sorted: filterAndSort(source, query),
          sortedAt: now,
        };
      }

      return {window: sliceWindow(kept.sorted, first, count), placement};
    },
    invalidate() {
      kept = undefined;
    },
  };
}
