import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import type {ClientRecord, Liveness} from '../../source/vocabulary.js';
import {createRowSelector} from '../../source/engine/row-selector.js';
import {
  arraySource,
  clientSortKey,
  countMatching,
  filterAndSort,
  matchesFilter,
  selectRows,
  sliceWindow,
  sortColumns,
  type RowQuery,
  type RowSource,
  type SortColumn,
} from '../../source/engine/select-rows.js';
import {fitWindow, nextSortColumn} from '../../source/ui/sort-order.js';
import {fakeRecord, manyRecords, type FakeRecord} from './fake-store.js';

function sourceOf<R extends ClientRecord>(records: readonly R[]): RowSource<R> {
  return arraySource(records);
}

function keysOf(records: readonly ClientRecord[]): string[] {
  return records.map((record) => record.key);
}

/** An independent order to check against: addresses as numbers, written plainly. */
function addressParts(address: string): number[] {
  if (address.includes('.')) {
    return [4, ...address.split('.').map(Number)];
  }

  const [head = '', tail = ''] = address.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === '' ? [] : tail.split(':');
  const zeros = address.includes('::')
    ? 8 - headGroups.length - tailGroups.length
    : 0;
  const groups = [
    ...headGroups,
    ...Array.from({length: zeros}, () => '0'),
    ...tailGroups,
  ];
  return [6, ...groups.map((group) => Number.parseInt(group, 16))];
}

function compareClientsPlainly(a: ClientRecord, b: ClientRecord): number {
  const left = [...addressParts(a.address), a.port];
  const right = [...addressParts(b.address), b.port];
  for (let index = 0; index < Math.max(left.length, right.length); index++) {
    const difference = (left[index] ?? 0) - (right[index] ?? 0);
    if (difference !== 0) {
      return difference;
    }
  }

  return 0;
}

const stateRank: Record<Liveness, number> = {alive: 0, late: 1, stopped: 2};

function plainValue(
  record: ClientRecord,
  sort: SortColumn,
): number | undefined {
  switch (sort) {
    case 'client': {
      return 0;
    }

    case 'state': {
      return stateRank[record.state];
    }

    case 'received': {
      return record.received;
    }

    case 'loss': {
      return record.lossPercent;
    }

    case 'delay': {
      return record.delayLastMs;
    }

    case 'interval': {
      return record.intervalMeanMs;
    }

    case 'lastSeen': {
      return -record.lastSeen;
    }
  }
}

/** Whether `rows` is in the query's order: values first (missing last), then by client. */
function assertOrdered(rows: readonly ClientRecord[], query: RowQuery): void {
  const sign = query.descending ? -1 : 1;
  for (let index = 1; index < rows.length; index++) {
    const a = rows[index - 1]!;
    const b = rows[index]!;
    const left = plainValue(a, query.sort);
    const right = plainValue(b, query.sort);
    if (left === undefined || right === undefined) {
      assert.ok(
        right === undefined,
        `${a.key} has no value but comes before ${b.key}`,
      );
      if (left === undefined) {
        assert.ok(compareClientsPlainly(a, b) < 0, `${a.key} before ${b.key}`);
      }

      continue;
    }

    const byValue = sign * (left - right);
    assert.ok(byValue <= 0, `${a.key} before ${b.key} by ${query.sort}`);
    if (byValue === 0) {
      const clientSign = query.sort === 'client' ? sign : 1;
      assert.ok(
        clientSign * compareClientsPlainly(a, b) < 0,
        `${a.key} before ${b.key} on a tie`,
      );
    }
  }
}

const addressArbitrary = fc.oneof(
  fc
    .tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255))
    .map((octets) => octets.join('.')),
  fc
    .array(fc.nat(0xff_ff), {minLength: 8, maxLength: 8})
    .map((groups) => groups.map((group) => group.toString(16)).join(':')),
  fc.nat(0xff).map((last) => `2001:db8::${last.toString(16)}`),
);

const recordArbitrary = fc
  .record({
    address: addressArbitrary,
    port: fc.integer({min: 1, max: 65_535}),
    state: fc.constantFrom<Liveness>('alive', 'late', 'stopped'),
    received: fc.nat(20),
    lossPercent: fc.option(fc.constantFrom(0, 12.5, 50, 100), {nil: undefined}),
    delayLastMs: fc.option(fc.double({min: -50, max: 50, noNaN: true}), {
      nil: undefined,
    }),
    intervalMeanMs: fc.option(fc.constantFrom(500, 1000), {nil: undefined}),
    lastSeen: fc.integer({min: 0, max: 5}),
  })
  .map(({address, port, ...values}) => fakeRecord(address, port, values));

/** Distinct clients, as the store keeps them. */
const recordsArbitrary = fc.uniqueArray(recordArbitrary, {
  selector: (record) => record.key,
  maxLength: 60,
});

const queryArbitrary = fc.record({
  sort: fc.constantFrom(...sortColumns),
  descending: fc.boolean(),
  filter: fc.constantFrom('', '1', '.2', 'DB8', ':1', '10.', 'zzz'),
});

test('filterAndSort keeps what the filter matches, in the query order', () => {
  fc.assert(
    fc.property(recordsArbitrary, queryArbitrary, (records, query) => {
      const rows = filterAndSort(sourceOf(records), query);
      const expected = records.filter((record) =>
        record.key.toLowerCase().includes(query.filter.toLowerCase()),
      );
      assert.deepEqual(new Set(keysOf(rows)), new Set(keysOf(expected)));
      assert.equal(rows.length, expected.length);
      assertOrdered(rows, query);
    }),
  );
});

test('selectRows gives exactly the window of the full sort, from either end', () => {
  fc.assert(
    fc.property(
      recordsArbitrary,
      queryArbitrary,
      fc.integer({min: -3, max: 70}),
      fc.integer({min: 0, max: 25}),
      (records, query, start, count) => {
        const source = sourceOf(records);
        const expected = sliceWindow(
          filterAndSort(source, query),
          start,
          count,
        );
        const actual = selectRows(source, query, start, count);
        assert.equal(actual.total, expected.total);
        assert.equal(actual.start, expected.start);
        assert.deepEqual(keysOf(actual.rows), keysOf(expected.rows));
      },
    ),
  );
});

test('selectRows on many clients with many ties, at the top, the end and the middle', () => {
  const records = manyRecords(3000, 7);
  const source = sourceOf(records);
  for (const sort of sortColumns) {
    for (const descending of [false, true]) {
      const query = {sort, descending, filter: ''};
      const sorted = filterAndSort(source, query);
      for (const start of [0, 1, 1500, 2990, 3000]) {
        const window = selectRows(source, query, start, 20);
        assert.deepEqual(
          keysOf(window.rows),
          keysOf(sliceWindow(sorted, start, 20).rows),
          `${sort} ${descending ? 'desc' : 'asc'} from ${start}`,
        );
      }
    }
  }
});

test('client order is numeric: 10.0.0.9 before 10.0.0.10, port 900 before 5000, IPv4 before IPv6', () => {
  const records = [
    fakeRecord('10.0.0.10', 1),
    fakeRecord('2001:db8::1', 1),
    fakeRecord('10.0.0.9', 5000),
    fakeRecord('10.0.0.9', 900),
    fakeRecord('::1', 1),
    fakeRecord('9.255.255.255', 1),
  ];
  const rows = filterAndSort(sourceOf(records), {
    sort: 'client',
    descending: false,
    filter: '',
  });
  assert.deepEqual(keysOf(rows), [
    '9.255.255.255:1',
    '10.0.0.9:900',
    '10.0.0.9:5000',
    '10.0.0.10:1',
    '[::1]:1',
    '[2001:db8::1]:1',
  ]);
  assert.ok(clientSortKey('not an address', 1).startsWith('9'));
});

test('missing values go last whichever way a column is sorted', () => {
  const records = [
    fakeRecord('10.0.0.1', 1, {delayLastMs: undefined}),
    fakeRecord('10.0.0.2', 1, {delayLastMs: 5}),
    fakeRecord('10.0.0.3', 1, {delayLastMs: 50}),
  ];
  for (const descending of [false, true]) {
    const rows = filterAndSort(sourceOf(records), {
      sort: 'delay',
      descending,
      filter: '',
    });
    assert.equal(rows.at(-1)?.key, '10.0.0.1:1');
  }
});

test('the filter matches part of the key, without regard to case', () => {
  const record = fakeRecord('2001:db8::a', 5000);
  assert.ok(matchesFilter(record, 'DB8::A'));
  assert.ok(matchesFilter(record, ']:50'));
  assert.ok(matchesFilter(record, ''));
  assert.ok(!matchesFilter(record, '10.'));
  assert.equal(countMatching(sourceOf([record]), 'db8'), 1);
});

test('s cycles through every sort column and back', () => {
  let column: SortColumn = 'client';
  const seen: SortColumn[] = [];
  for (const _ of sortColumns) {
    seen.push(column);
    column = nextSortColumn(column);
  }

  assert.deepEqual(seen, [...sortColumns]);
  assert.equal(column, 'client');
});

test('fitWindow keeps the cursor inside the window and the window inside the list', () => {
  assert.deepEqual(fitWindow(0, 0, 5, 20), {selected: 0, top: 0});
  assert.deepEqual(fitWindow(7, 0, 5, 20), {selected: 7, top: 3});
  assert.deepEqual(fitWindow(2, 3, 5, 20), {selected: 2, top: 2});
  assert.deepEqual(fitWindow(50, 0, 5, 20), {selected: 19, top: 15});
  assert.deepEqual(fitWindow(-4, 10, 5, 20), {selected: 0, top: 0});
  assert.deepEqual(fitWindow(3, 18, 5, 20), {selected: 3, top: 3});
  // The list shrank under the cursor.
  assert.deepEqual(fitWindow(15, 12, 5, 4), {selected: 3, top: 0});
  assert.deepEqual(fitWindow(0, 0, 5, 0), {selected: 0, top: 0});
  fc.assert(
    fc.property(
      fc.integer({min: -10, max: 200}),
      fc.integer({min: -10, max: 200}),
      fc.integer({min: 1, max: 30}),
      fc.integer({min: 1, max: 150}),
      (selected, top, visible, total) => {
        const placed = fitWindow(selected, top, visible, total);
        assert.ok(placed.selected >= 0 && placed.selected < total);
        assert.ok(placed.top >= 0);
        assert.ok(placed.selected >= placed.top);
        assert.ok(placed.selected < placed.top + visible);
        assert.ok(placed.top <= Math.max(0, total - visible));
      },
    ),
  );
});

test('the row selector: exact from either end every frame', () => {
  const records: FakeRecord[] = [
    fakeRecord('10.0.0.1', 1, {received: 1}),
    fakeRecord('10.0.0.2', 1, {received: 2}),
    fakeRecord('10.0.0.3', 1, {received: 3}),
  ];
  const source = sourceOf(records);
  const selector = createRowSelector({partialLimit: 10});
  const query: RowQuery = {sort: 'received', descending: true, filter: ''};
  assert.deepEqual(keysOf(selector.select(source, query, 0, 2, 0).rows), [
    '10.0.0.3:1',
    '10.0.0.2:1',
  ]);
  records[0]!.received = 9;
  assert.deepEqual(keysOf(selector.select(source, query, 0, 2, 1).rows), [
    '10.0.0.1:1',
    '10.0.0.3:1',
  ]);
});

test('the row selector: deep in a long list, a kept sort renewed by the query, the clock, or invalidate', () => {
  const records = Array.from({length: 10}, (_, index) =>
    fakeRecord(`10.0.0.${index + 1}`, 1, {received: index}),
  );
  const source = sourceOf(records);
  const selector = createRowSelector({partialLimit: 1, resortIntervalMs: 1000});
  const query: RowQuery = {sort: 'received', descending: false, filter: ''};
  const shown = (now: number, asked = query) =>
    keysOf(selector.select(source, asked, 4, 2, now).rows);

  assert.deepEqual(shown(0), ['10.0.0.5:1', '10.0.0.6:1']);
  // The order moves; within the interval the kept sort stands.
  records[4]!.received = 100;
  assert.deepEqual(shown(500), ['10.0.0.5:1', '10.0.0.6:1']);
  // A new query sorts again at once.
  assert.deepEqual(shown(600, {...query, filter: '10.'}), [
    '10.0.0.6:1',
    '10.0.0.7:1',
  ]);
  records[5]!.received = 200;
  assert.deepEqual(shown(700, {...query, filter: '10.'}), [
    '10.0.0.6:1',
    '10.0.0.7:1',
  ]);
  // After the interval, a fresh sort.
  assert.deepEqual(shown(1600, {...query, filter: '10.'}), [
    '10.0.0.7:1',
    '10.0.0.8:1',
  ]);
  records[6]!.received = 300;
  selector.invalidate();
  assert.deepEqual(shown(1700, {...query, filter: '10.'}), [
    '10.0.0.8:1',
    '10.0.0.9:1',
  ]);
});

test('a named client sorts by its name, after the addresses, and the filter finds it by name', () => {
  const records = [
    fakeRecord('10.0.0.2', 5000, {name: 'valve'}),
    fakeRecord('10.0.0.10', 5000),
    fakeRecord('10.0.0.1', 5000, {name: 'Boiler-Room'}),
    fakeRecord('10.0.0.3', 5000),
  ];
  const query: RowQuery = {sort: 'client', descending: false, filter: ''};
  assert.deepEqual(keysOf(filterAndSort(sourceOf(records), query)), [
    '10.0.0.3:5000',
    '10.0.0.10:5000',
    '10.0.0.1:5000',
    '10.0.0.2:5000',
  ]);
  assert.deepEqual(
    keysOf(filterAndSort(sourceOf(records), {...query, filter: 'boiler'})),
    ['10.0.0.1:5000'],
  );
  assert.equal(matchesFilter(records[0]!, 'ALV'), true);
  assert.equal(countMatching(sourceOf(records), 'room'), 1);
});
