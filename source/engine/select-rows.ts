import type {Liveness} from '../vocabulary.js';
import {itemsPerYield, runToEnd, type SlicedWork} from './sliced.js';
import type {SortColumn} from './types.js';

export {sortColumns, type SortColumn} from './types.js';

/** What sorting and filtering read of a client: a live record of the store, or a row copied from one. */
export type SortableRow = {
  readonly key: string;
  /** The name its heartbeats give it: shown, sorted and filtered on in place of the address. */
  readonly name?: string | undefined;
  readonly address: string;
  readonly port: number;
  readonly state: Liveness;
  readonly received: number;
  readonly lossPercent: number | undefined;
  readonly delayLastMs: number | undefined;
  readonly intervalMeanMs: number | undefined;
  readonly lastSeen: number;
};

/** What to show and in which order. */
export type RowQuery = {
  readonly sort: SortColumn;
  readonly descending: boolean;
  /** A substring of the client key or name, matched without regard to case; empty keeps every client. */
  readonly filter: string;
};

/**
 * Clients by index, in no particular order: the store (by slot), or a frozen copy of it. A pass in
 * slices walks the indexes, which stay put while other clients come and go (a removal moves only
 * the last one), where the store's least-recently-seen list reorders on every datagram.
 */
export type RowSource<R extends SortableRow = SortableRow> = {
  readonly clientCount: number;
  clientAt(index: number): R | undefined;
  /**
   * For a source whose `clientAt` answers with one cursor pointed at each client in turn (a
   * still copy): a record of client `index` of its own, which a pass keeps. Without it, the
   * records `clientAt` gives are kept as they are.
   */
  keep?(index: number): R;
};

/** A source over an array. */
export function arraySource<R extends SortableRow>(
  rows: readonly R[],
): RowSource<R> {
  return {
    clientCount: rows.length,
    clientAt: (index) => rows[index],
  };
}

const stateRank: Readonly<Record<Liveness, number>> = {
  alive: 0,
  late: 1,
  stopped: 2,
};

/*
"Last seen" sorts by age: ascending means most recent first, as the column reads. Negating the time
keeps the order independent of the clock.
*/
const sortValues: Readonly<
  Record<SortColumn, (record: SortableRow) => number | undefined>
> = {
  client: () => 0,
  state: (record) => stateRank[record.state],
  received: (record) => record.received,
  loss: (record) => record.lossPercent,
  delay: (record) => record.delayLastMs,
  interval: (record) => record.intervalMeanMs,
  lastSeen: (record) => -record.lastSeen,
};

/** Digits of an IPv4 address, or hex groups of an IPv6 one, padded so string order is numeric order. */
export function clientSortKey(address: string, port: number): string {
  const portKey = String(port).padStart(5, '0');
  if (/^\d{1,3}(?:\.\d{1,3}){3}$/v.test(address)) {
    const octets = address.split('.').map((part) => part.padStart(3, '0'));
    return `4${octets.join('.')}:${portKey}`;
  }

  const [head = '', tail] = address.toLowerCase().split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeros = Array.from(
    {length: Math.max(0, 8 - headGroups.length - tailGroups.length)},
    () => '0',
  );
  const groups =
    tail === undefined ? headGroups : [...headGroups, ...zeros, ...tailGroups];
  if (groups.every((group) => /^[\da-f]{1,4}$/v.test(group))) {
    const padded = groups.map((group) => group.padStart(4, '0'));
    return `6${padded.join(':')}:${portKey}`;
  }

  // Not an address as the store writes them: after every address, in plain string order.
  return `9${address}:${portKey}`;
}

/*
The client column orders addresses as numbers (`10.0.0.9` before `10.0.0.10`) through a padded key
that compares as a plain string: an Intl.Collator with numeric digits does the same but measured ten
times slower. A plain IPv4 address needs no string at all: its order is one number, address × 65536
+ port, read from its characters without allocating, and it orders as the padded key would. Other
addresses compute their key once per record and forget it with it.
*/
const clientKeys = new WeakMap<SortableRow, string>();

function clientKeyOf(record: SortableRow): string {
  let key = clientKeys.get(record);
  if (key === undefined) {
    key = clientSortKey(record.address, record.port);
    clientKeys.set(record, key);
  }

  return key;
}

/** Address × 65536 + port for a dotted IPv4 address of octets up to 255; -1 for any other. */
export function ipv4Order(address: string, port: number): number {
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let index = 0; index < address.length; index++) {
    const code = address.codePointAt(index)!;
    if (code === 0x2e) {
      if (digits === 0 || octet > 255 || ++dots > 3) {
        return -1;
      }

      value = value * 256 + octet;
      octet = 0;
      digits = 0;
    } else if (code >= 0x30 && code <= 0x39 && ++digits <= 3) {
      octet = octet * 10 + code - 0x30;
    } else {
      return -1;
    }
  }

  if (dots !== 3 || digits === 0 || octet > 255) {
    return -1;
  }

  return (value * 256 + octet) * 65_536 + port;
}

/**
 * Where a record goes in client order: a number for IPv4, its padded key for any other. A cursor
 * (`transient`) is never a key of the cache: it stands for another client at the next read.
 */
function clientOrderOf(
  record: SortableRow,
  transient = false,
): number | string {
  // A named client sorts by the name the table shows, after every address (their keys start with
  // a digit, and an IPv4 order beside a key is compared as its key).
  const {name} = record;
  if (name !== undefined) {
    return `n${name}`;
  }

  const order = ipv4Order(record.address, record.port);
  if (order >= 0) {
    return order;
  }

  return transient
    ? clientSortKey(record.address, record.port)
    : clientKeyOf(record);
}

/** Client order of two records, from their `clientOrderOf`: as their padded keys compare. */
function compareClientOrder(
  a: number | string,
  aRecord: SortableRow,
  b: number | string,
  bRecord: SortableRow,
): number {
  if (typeof a === typeof b) {
    return a < b ? -1 : a > b ? 1 : 0;
  }

  // An IPv4 order beside a key: compare keys (rare: the other is not plain IPv4). A number is
  // only ever an IPv4 order, whose key is made here and not cached (its record may be a cursor).
  const aKey =
    typeof a === 'string' ? a : clientSortKey(aRecord.address, aRecord.port);
  const bKey =
    typeof b === 'string' ? b : clientSortKey(bRecord.address, bRecord.port);
  return aKey < bKey ? -1 : aKey > bKey ? 1 : 0;
}

/**
 * One total order over records, as numbers: `rank` is smaller for rows that come first, and
 * ±Infinity puts records without a value (no delay yet …) last; ties go by client in `clientDirection`.
 */
type Order = {
  readonly rank: (record: SortableRow) => number;
  readonly clientDirection: number;
};

function orderOf(query: RowQuery, reversed: boolean): Order {
  const value = sortValues[query.sort];
  const direction = (query.descending ? -1 : 1) * (reversed ? -1 : 1);
  // Missing values go last in the table whichever way it is sorted, so first when reversed.
  const missing = reversed ? -Infinity : Infinity;
  return {
    rank(record) {
      const raw = value(record);
      return raw === undefined || Number.isNaN(raw) ? missing : direction * raw;
    },
    // Ties go by client ascending, except when sorting by client itself.
    clientDirection: query.sort === 'client' ? direction : reversed ? -1 : 1,
  };
}

/** A record with its rank and client order read once, so sorting touches no getters. */
type Entry<R extends SortableRow> = {
  readonly rank: number;
  readonly client: number | string;
  readonly record: R;
};

function entryComparator(clientDirection: number) {
  return <R extends SortableRow>(a: Entry<R>, b: Entry<R>): number =>
    // Infinity - Infinity is NaN, which is falsy: equal missing values fall through to the client.
    a.rank - b.rank ||
    clientDirection *
      compareClientOrder(a.client, a.record, b.client, b.record);
}

/** A filter prepared once per pass: lower-cased, and whether case can matter at all. */
type Needle = {
  readonly text: string;
  /** Digits, dots and colons have no case: most filters skip lower-casing 100000 keys. */
  readonly foldCase: boolean;
};

function needleOf(filter: string): Needle {
  const text = filter.toLowerCase();
  return {text, foldCase: /\p{L}/v.test(text)};
}

function matches(record: SortableRow, needle: Needle): boolean {
  return (
    needle.text === '' ||
    record.key.includes(needle.text) ||
    (needle.foldCase && record.key.toLowerCase().includes(needle.text)) ||
    (record.name?.toLowerCase().includes(needle.text) ?? false)
  );
}

/** Whether the client's key or name holds the filter text, without regard to case. */
export function matchesFilter(record: SortableRow, filter: string): boolean {
  return matches(record, needleOf(filter));
}

/** Every client the filter keeps, sorted by the query: the reference the faster paths must equal. */
export function filterAndSort<R extends SortableRow>(
  source: RowSource<R>,
  query: RowQuery,
): R[] {
  return runToEnd(filterAndSortSliced(source, query));
}

/** `filterAndSort` in slices: the entries are collected, then merge-sorted a run at a time. */
export function* filterAndSortSliced<R extends SortableRow>(
  source: RowSource<R>,
  query: RowQuery,
): SlicedWork<R[]> {
  const order = orderOf(query, false);
  const needle = needleOf(query.filter);
  const entries: Array<Entry<R>> = [];
  for (let index = 0; index < source.clientCount; index++) {
    const record = source.clientAt(index);
    if (record !== undefined && matches(record, needle)) {
      const kept = source.keep?.(index) ?? record;
      entries.push({
        rank: order.rank(kept),
        client: clientOrderOf(kept),
        record: kept,
      });
    }

    if (index % itemsPerYield === itemsPerYield - 1) {
      yield;
    }
  }

  const sorted = yield* mergeSortSliced(
    entries,
    entryComparator(order.clientDirection),
  );
  return sorted.map((entry) => entry.record);
}

/** Runs of this many entries are sorted at once; longer ones are merged in slices. */
const sortedRun = 512;

/**
 * A stable bottom-up merge sort that yields every few hundred moves, so that sorting 100000
 * entries never holds the thread for more than a slice.
 */
function* mergeSortSliced<T>(
  items: T[],
  compare: (a: T, b: T) => number,
): SlicedWork<T[]> {
  const {length} = items;
  for (let start = 0; start < length; start += sortedRun) {
    const run = items.slice(start, start + sortedRun).toSorted(compare);
    for (const [index, item] of run.entries()) {
      items[start + index] = item;
    }

    yield;
  }

  let from = items;
  let to: T[] = Array.from({length});
  let moves = 0;
  for (let width = sortedRun; width < length; width *= 2) {
    for (let low = 0; low < length; low += 2 * width) {
      const middle = Math.min(low + width, length);
      const high = Math.min(low + 2 * width, length);
      let left = low;
      let right = middle;
      for (let out = low; out < high; out++) {
        to[out] =
          left < middle &&
          (right >= high || compare(from[left]!, from[right]!) <= 0)
            ? from[left++]!
            : from[right++]!;
        if (++moves === itemsPerYield * 8) {
          moves = 0;
          yield;
        }
      }
    }

    [from, to] = [to, from];
  }

  return from;
}

/** How many clients the filter keeps. */
export function countMatching(source: RowSource, filter: string): number {
  return runToEnd(countMatchingSliced(source, filter));
}

/** `countMatching` in slices. */
export function* countMatchingSliced(
  source: RowSource,
  filter: string,
): SlicedWork<number> {
  const needle = needleOf(filter);
  let total = 0;
  for (let index = 0; index < source.clientCount; index++) {
    const record = source.clientAt(index);
    if (record !== undefined && matches(record, needle)) {
      total++;
    }

    if (index % itemsPerYield === itemsPerYield - 1) {
      yield;
    }
  }

  return total;
}

/**
 * The first `k` records in `order`, sorted, without sorting them all: a candidate buffer that is
 * cut back to the best `k` whenever it doubles, so most records cost one comparison with the
 * current k-th best.
 */
function* selectFirst<R extends SortableRow>(
  source: RowSource<R>,
  order: Order,
  needle: Needle,
  k: number,
): SlicedWork<Array<Entry<R>>> {
  if (k <= 0) {
    return [];
  }

  const compare = entryComparator(order.clientDirection);
  const limit = Math.max(2 * k, 64);
  let buffer: Array<Entry<R>> = [];
  let worst: Entry<R> | undefined;
  for (let index = 0; index < source.clientCount; index++) {
    if (index % itemsPerYield === itemsPerYield - 1) {
      yield;
    }

    const record = source.clientAt(index);
    if (record === undefined || !matches(record, needle)) {
      continue;
    }

    const rank = order.rank(record);
    if (worst !== undefined) {
      const byRank = rank - worst.rank;
      if (byRank > 0) {
        continue;
      }

      if (!(byRank < 0)) {
        // Same rank (or both missing): the client decides.
        const byClient = compareClientOrder(
          clientOrderOf(record, source.keep !== undefined),
          record,
          worst.client,
          worst.record,
        );
        if (byClient * order.clientDirection >= 0) {
          continue;
        }
      }
    }

    const kept = source.keep?.(index) ?? record;
    buffer.push({rank, client: clientOrderOf(kept), record: kept});
    if (buffer.length >= limit) {
      buffer.sort(compare);
      buffer = buffer.slice(0, k);
      worst = buffer.at(-1);
      yield;
    }
  }

  buffer.sort(compare);
  return buffer.length > k ? buffer.slice(0, k) : buffer;
}

/** The rows of a sorted list that the window shows. */
export type RowWindow<R = SortableRow> = {
  readonly rows: readonly R[];
  /** Index of the first row shown. */
  readonly start: number;
  /** How many rows the filter kept, shown or not. */
  readonly total: number;
};

/** Where a window of `count` rows from `start` really starts: never past the end. */
export function clampStart(
  start: number,
  count: number,
  total: number,
): number {
  return clamp(start, 0, Math.max(0, total - Math.max(0, count)));
}

/**
 * Sort and filter, then slice to the window: `filterAndSort(…).slice(start, start + count)`, but
 * selecting only the rows up to the window from whichever end is nearer, which is what keeps a pass
 * cheap with many clients (see row-selector.ts for the measurements).
 */
export function selectRows<R extends SortableRow>(
  source: RowSource<R>,
  query: RowQuery,
  start: number,
  count: number,
  /** How many clients the filter keeps, when the caller has counted them already. */
  total = countMatching(source, query.filter),
): RowWindow<R> {
  return runToEnd(selectRowsSliced(source, query, start, count, total));
}

/** `selectRows` in slices. */
export function* selectRowsSliced<R extends SortableRow>(
  source: RowSource<R>,
  query: RowQuery,
  start: number,
  count: number,
  total: number,
): SlicedWork<RowWindow<R>> {
  const needle = needleOf(query.filter);
  const first = clampStart(start, count, total);
  const end = Math.min(total, first + Math.max(0, count));
  if (end <= total - first) {
    const best = yield* selectFirst(source, orderOf(query, false), needle, end);
    return {
      rows: best.slice(first).map((entry) => entry.record),
      start: first,
      total,
    };
  }

  // Nearer the end: the last rows are the first ones of the reversed order.
  const last = yield* selectFirst(
    source,
    orderOf(query, true),
    needle,
    total - first,
  );
  const rows = last
    .slice(total - end)
    .map((entry) => entry.record)
    .toReversed();
  return {rows, start: first, total};
}

/** The `count` rows from `start` of an already sorted list. */
export function sliceWindow<R>(
  sorted: readonly R[],
  start: number,
  count: number,
): RowWindow<R> {
  const first = clampStart(start, count, sorted.length);
  return {
    rows: sorted.slice(first, first + Math.max(0, count)),
    start: first,
    total: sorted.length,
  };
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(Math.max(value, low), high);
}
