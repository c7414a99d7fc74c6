/*
Sorting and filtering 100000 clients of a real store in slices: every pass yields after a bounded
number of clients, whatever the column, the direction, the filter or the depth of the window, so
that no task on the engine's thread holds the socket up for long. Counted, not timed: each step of
a pass may read at most `itemsPerYield` clients, and a pass takes as many steps as its work needs.
*/
import assert from 'node:assert/strict';
import test from 'node:test';
import {createRowSelector} from '../../source/engine/row-selector.js';
import {
  filterAndSort,
  filterAndSortSliced,
  type RowQuery,
  type RowSource,
  type SortableRow,
} from '../../source/engine/select-rows.js';
import {itemsPerYield, type SlicedWork} from '../../source/engine/sliced.js';
import {sortColumns} from '../../source/engine/types.js';
import {HeartbeatStore} from '../../source/store/heartbeat-store.js';
import type {ClientRecord} from '../../source/vocabulary.js';

const clients = 100_000;
const start = 1_764_000_000_000;

function filledStore(): HeartbeatStore {
  let now = start;
  const store = new HeartbeatStore({clock: () => now, maxClients: clients});
  for (let index = 0; index < clients; index++) {
    now += 0.01;
    const address = `10.${index >> 16}.${(index >> 8) & 255}.${index & 255}`;
    const client = store.recordHeartbeat(
      address,
      40_000 + (index % 7),
      {
        kind: 'heartbeat',
        label: 'Ping',
        seq: 1 + (index % 13),
        timestampMs: now - (index % 97),
      },
      now,
    );
    store.recordReply(client, index % 11 !== 0, now);
  }

  return store;
}

/** The store as a source that counts the clients each step reads. */
function countingSource(store: HeartbeatStore): {
  source: RowSource<ClientRecord>;
  takeReads(): number;
} {
  let reads = 0;
  return {
    source: {
      get clientCount() {
        return store.clientCount;
      },
      clientAt(index) {
        reads++;
        return store.clientAt(index);
      },
    },
    takeReads() {
      const taken = reads;
      reads = 0;
      return taken;
    },
  };
}

/** Runs a pass step by step: its result, its steps, and the most clients one step read. */
function stepThrough<T>(
  work: SlicedWork<T>,
  takeReads: () => number,
): {result: T; steps: number; mostReads: number} {
  let steps = 0;
  let mostReads = 0;
  takeReads();
  for (;;) {
    const step = work.next();
    steps++;
    mostReads = Math.max(mostReads, takeReads());
    if (step.done) {
      return {result: step.value, steps, mostReads};
    }
  }
}

const store = filledStore();

test('a window at either end of 100000 clients, by every column: each step reads at most a slice', () => {
  const {source, takeReads} = countingSource(store);
  for (const sort of sortColumns) {
    for (const descending of [false, true]) {
      const query: RowQuery = {sort, descending, filter: ''};
      for (const first of [0, clients - 40]) {
        const {result, steps, mostReads} = stepThrough(
          createRowSelector().selectSliced(source, query, first, 40, start),
          takeReads,
        );
        const label = `${sort} ${descending ? 'down' : 'up'} from ${first}`;
        assert.equal(result.rows.length, 40, label);
        assert.ok(mostReads <= itemsPerYield, `${label}: ${mostReads} reads`);
        // Counting the filter's matches and selecting: two passes over every client.
        assert.ok(steps >= (2 * clients) / itemsPerYield, `${label}: ${steps}`);
      }
    }
  }
});

test('a full sort of 100000 clients (a window deep in the list) yields through the merge too, and equals the sort at once', () => {
  const {source, takeReads} = countingSource(store);
  const query: RowQuery = {sort: 'delay', descending: true, filter: ''};
  const {result, steps, mostReads} = stepThrough(
    filterAndSortSliced(source, query),
    takeReads,
  );
  assert.equal(result.length, clients);
  assert.ok(mostReads <= itemsPerYield, `${mostReads} reads`);
  // Collecting takes clients / 256 steps; sorting runs of 512 and merging 8 levels take more.
  const merging = (clients * Math.ceil(Math.log2(clients / 512))) / 2048;
  assert.ok(
    steps >= clients / itemsPerYield + clients / 512 + merging,
    `${steps} steps`,
  );
  const reference = filterAndSort<SortableRow>(source, query);
  assert.deepEqual(
    result.map((record) => record.key),
    reference.map((record) => record.key),
  );
});

test('a filter over 100000 clients reads them a slice at a time too', () => {
  const {source, takeReads} = countingSource(store);
  const {result, mostReads} = stepThrough(
    createRowSelector().selectSliced(
      source,
      {sort: 'client', descending: false, filter: '10.1.2'},
      0,
      40,
      start,
    ),
    takeReads,
  );
  assert.ok(result.total > 0 && result.total < clients, `${result.total}`);
  assert.ok(
    result.rows.every((record) => record.key.includes('10.1.2')),
    'only matching clients',
  );
  assert.ok(mostReads <= itemsPerYield, `${mostReads} reads`);
});

test('a still copy of 100000 clients, read through one cursor, selects the rows the store does, by every column, and keeps records of their own', () => {
  const copy = store.stillCopy();
  while (copy.step(itemsPerYield)) {
    // Copied in slices, as a freeze copies.
  }

  assert.equal(copy.clientCount, clients);
  const live = countingSource(store).source;
  for (const sort of sortColumns) {
    const query: RowQuery = {sort, descending: sort !== 'client', filter: ''};
    for (const first of [0, clients - 40, clients / 2]) {
      const fromStore = createRowSelector().select(
        live,
        query,
        first,
        40,
        start,
      );
      const fromCopy = createRowSelector().select(
        copy,
        query,
        first,
        40,
        start,
      );
      assert.deepEqual(
        fromCopy.rows.map((record) => record.key),
        fromStore.rows.map((record) => record.key),
        `${sort} from ${first}`,
      );
      assert.equal(new Set(fromCopy.rows).size, fromCopy.rows.length);
      assert.deepEqual(
        fromCopy.rows.map((record) => record.delayLastMs),
        fromStore.rows.map((record) => record.delayLastMs),
      );
    }
  }
});
