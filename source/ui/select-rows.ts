import type {ClientRecord, Liveness} from '../store/types.js';

/** Columns the table can be sorted by, in the order `s` cycles through them. */
export const sortColumns = [
  'client',
  'state',
  'received',
  'loss',
  'delay',
  'interval',
  'lastSeen',
] as const;

export type SortColumn = (typeof sortColumns)[number];

/** How the status line names each sort column. */
export const sortLabels: Readonly<Record<SortColumn, string>> = {
  client: 'client',
  state: 'state',
  received: 'recv',
  loss: 'loss%',
  delay: 'delay',
  interval: 'interval',
  lastSeen: 'last seen',
};

/**
 * The direction `s` picks for each column: the one an operator looks for first (worst state,
 * highest loss, longest delay, most recently seen).
 */
export const defaultDescending: Readonly<Record<SortColumn, boolean>> = {
  client: false,
  state: true,
  received: true,
  loss: true,
  delay: true,
  interval: true,
  lastSeen: false,
};

/** The column after `column`, wrapping round. */
export function nextSortColumn(column: SortColumn): SortColumn {
  const index = sortColumns.indexOf(column);
  return sortColumns[(index + 1) % sortColumns.length]!;
}

/** What to show and in which order. */
export type RowQuery = {
  readonly sort: SortColumn;
  readonly descending: boolean;
  /** A substring of the client key, matched without regard to case; empty keeps every client. */
  readonly filter: string;
};

/** Anything that can list its clients more than once: the store, or a frozen copy of it. */
export type RowSource = {
  clients(): Iterable<ClientRecord>;
};

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
  Record<SortColumn, (record: ClientRecord) => number | undefined>
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
times slower. The key is computed once per record and forgotten with it.
*/
const clientKeys = new WeakMap<ClientRecord, string>();

function clientKeyOf(record: ClientRecord): string {
  let key = clientKeys.get(record);
  if (key === undefined) {
    key = clientSortKey(record.address, record.port);
    clientKeys.set(record, key);
  }

  return key;
}

/**
 * One total order over records, as numbers: `rank` is smaller for rows that come first, and
 * ±Infinity puts records without a value (no delay yet …) last; ties go by client in `clientDirection`.
 */
type Order = {
  readonly rank: (record: ClientRecord) => number;
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

/** A record with its rank read once, so sorting touches no getters. */
type Entry = {
  readonly rank: number;
  readonly client: string;
  readonly record: ClientRecord;
};

function entryComparator(clientDirection: number) {
  return (a: Entry, b: Entry): number =>
    // Infinity - Infinity is NaN, which is falsy: equal missing values fall through to the client.
    a.rank - b.rank ||
    (a.client < b.client
      ? -clientDirection
      : a.client > b.client
        ? clientDirection
        : 0);
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

function matches(record: ClientRecord, needle: Needle): boolean {
  return (
    needle.text === '' ||
    record.key.includes(needle.text) ||
    (needle.foldCase && record.key.toLowerCase().includes(needle.text))
  );
}

/** Whether the client's key holds the filter text, without regard to case. */
export function matchesFilter(record: ClientRecord, filter: string): boolean {
  return matches(record, needleOf(filter));
}

/** Every client the filter keeps, sorted by the query: the reference the faster paths must equal. */
export function filterAndSort(
  source: RowSource,
  query: RowQuery,
): ClientRecord[] {
  const order = orderOf(query, false);
  const needle = needleOf(query.filter);
  const entries: Entry[] = [];
  for (const record of source.clients()) {
    if (matches(record, needle)) {
      entries.push({
        rank: order.rank(record),
        client: clientKeyOf(record),
        record,
      });
    }
  }

  entries.sort(entryComparator(order.clientDirection));
  return entries.map((entry) => entry.record);
}

/** How many clients the filter keeps. */
export function countMatching(source: RowSource, filter: string): number {
  const needle = needleOf(filter);
  let total = 0;
  for (const record of source.clients()) {
    if (matches(record, needle)) {
      total++;
    }
  }

  return total;
}

/**
 * The first `k` records in `order`, sorted, without sorting them all: a candidate buffer that is
 * cut back to the best `k` whenever it doubles, so most records cost one comparison with the
 * current k-th best.
 */
function selectFirst(
  source: RowSource,
  order: Order,
  needle: Needle,
  k: number,
): Entry[] {
  if (k <= 0) {
    return [];
  }

  const compare = entryComparator(order.clientDirection);
  const limit = Math.max(2 * k, 64);
  let buffer: Entry[] = [];
  let worst: Entry | undefined;
  for (const record of source.clients()) {
    if (!matches(record, needle)) {
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
        const client = clientKeyOf(record);
        const byClient =
          client < worst.client ? -1 : client > worst.client ? 1 : 0;
        if (byClient * order.clientDirection >= 0) {
          continue;
        }
      }
    }

    buffer.push({rank, client: clientKeyOf(record), record});
    if (buffer.length >= limit) {
      buffer.sort(compare);
      buffer = buffer.slice(0, k);
      worst = buffer.at(-1);
    }
  }

  buffer.sort(compare);
  return buffer.length > k ? buffer.slice(0, k) : buffer;
}

/** The rows of a sorted list that the window shows. */
export type RowWindow = {
  readonly rows: readonly ClientRecord[];
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
 * selecting only the rows up to the window from whichever end is nearer, which is what keeps a frame
 * cheap with many clients (see row-selector.ts for the measurements).
 */
export function selectRows(
  source: RowSource,
  query: RowQuery,
  start: number,
  count: number,
  /** How many clients the filter keeps, when the caller has counted them already. */
  total = countMatching(source, query.filter),
): RowWindow {
  const needle = needleOf(query.filter);
  const first = clampStart(start, count, total);
  const end = Math.min(total, first + Math.max(0, count));
  if (end <= total - first) {
    const best = selectFirst(source, orderOf(query, false), needle, end);
    return {
      rows: best.slice(first).map((entry) => entry.record),
      start: first,
      total,
    };
  }

  // Nearer the end: the last rows are the first ones of the reversed order.
  const last = selectFirst(source, orderOf(query, true), needle, total - first);
  const rows = last
    .slice(total - end)
    .map((entry) => entry.record)
    .toReversed();
  return {rows, start: first, total};
}

/** The `count` rows from `start` of an already sorted list. */
export function sliceWindow(
  sorted: readonly ClientRecord[],
  start: number,
  count: number,
): RowWindow {
  const first = clampStart(start, count, sorted.length);
  return {
    rows: sorted.slice(first, first + Math.max(0, count)),
    start: first,
    total: sorted.length,
  };
}

/** The cursor and scroll position that keep the selected row inside a window of `visible` rows. */
export function fitWindow(
  selected: number,
  top: number,
  visible: number,
  total: number,
): {readonly selected: number; readonly top: number} {
  const chosen = clamp(selected, 0, Math.max(0, total - 1));
  let first = top;
  if (chosen < first) {
    first = chosen;
  } else if (visible > 0 && chosen >= first + visible) {
    first = chosen - visible + 1;
  }

  return {
    selected: chosen,
    top: clampStart(first, Math.max(1, visible), total),
  };
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(Math.max(value, low), high);
}
