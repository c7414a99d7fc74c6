import {runToEnd, type SlicedWork} from './sliced.js';
import {
  clampStart,
  countMatchingSliced,
  filterAndSortSliced,
  selectRowsSliced,
  sliceWindow,
  type RowQuery,
  type RowSource,
  type RowWindow,
  type SortableRow,
} from './select-rows.js';

/*
Measured with 100000 clients (Node 20 on two busy shared cores, medians): a full sort costs 25 ms
by client and 75-135 ms by a number, while selecting only the rows up to a 40-row window costs
5-13 ms. Either is far over what one task on the engine's thread may take (5 ms: the socket waits
meanwhile), so both run in slices (see sliced.ts). Each pass selects its window exactly, from
whichever end of the order is nearer: fresh every time wherever an operator usually looks (the top,
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

export type RowSelector = {
  /** The window of `count` rows from `start`, from the source, by the query, in slices. */
  selectSliced<R extends SortableRow>(
    source: RowSource<R>,
    query: RowQuery,
    start: number,
    count: number,
    now: number,
  ): SlicedWork<RowWindow<R>>;
  /** The same at once. */
  select<R extends SortableRow>(
    source: RowSource<R>,
    query: RowQuery,
    start: number,
    count: number,
    now: number,
  ): RowWindow<R>;
  /** Drops the kept sort: after a reset or forget, its records may be gone. */
  invalidate(): void;
};

type KeptSort = {
  readonly source: RowSource;
  readonly query: RowQuery;
  readonly sorted: readonly SortableRow[];
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
  function* selectSliced<R extends SortableRow>(
    source: RowSource<R>,
    query: RowQuery,
    start: number,
    count: number,
    now: number,
  ): SlicedWork<RowWindow<R>> {
    const total = yield* countMatchingSliced(source, query.filter);
    // The count's last slice and the next pass's first would otherwise make one long step.
    yield;
    const first = clampStart(start, count, total);
    const end = Math.min(total, first + Math.max(0, count));
    if (Math.min(end, total - first) <= partialLimit) {
      return yield* selectRowsSliced(source, query, first, count, total);
    }

    if (
      kept?.source !== source ||
      !sameQuery(kept.query, query) ||
      now - kept.sortedAt >= resortIntervalMs ||
      now < kept.sortedAt
    ) {
      const sorted = yield* filterAndSortSliced(source, query);
      kept = {source, query, sorted, sortedAt: now};
    }

    // The kept sort was made from this source (checked above): its rows are of its type.
    // eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion
    return sliceWindow(kept.sorted as readonly R[], first, count);
  }

  return {
    selectSliced,
    select: (source, query, start, count, now) =>
      runToEnd(selectSliced(source, query, start, count, now)),
    invalidate() {
      kept = undefined;
    },
  };
}
