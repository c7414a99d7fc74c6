/*
How long selecting rows takes with 100000 clients: a measurement to read, not a timed test.
Run: node --import tsx test/ui/measure-select-rows.ts
The figures it printed are in source/ui/row-selector.ts.
*/
import {performance} from 'node:perf_hooks';
import {createRowSelector} from '../../source/ui/row-selector.js';
import {
  countMatching,
  filterAndSort,
  selectRows,
  sortColumns,
  type RowSource,
} from '../../source/ui/select-rows.js';
import {snapshotClients} from '../../source/ui/snapshot-clients.js';
import {manyRecords} from './fake-store.js';

const count = 100_000;
const records = manyRecords(count);
// Shuffled, as a store lists clients by when they were last seen, not by address.
for (let index = records.length - 1; index > 0; index--) {
  const other = (index * 7919) % (index + 1);
  [records[index], records[other]] = [records[other]!, records[index]!];
}

const byKey = new Map(records.map((record) => [record.key, record]));
const source: RowSource = {clients: () => byKey.values()};

function median(samples: number[]): number {
  const sorted = samples.toSorted((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function measure(label: string, run: () => void, rounds = 11): void {
  // Warm up the JIT first, as a running dashboard would be.
  run();
  run();
  const samples: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const start = performance.now();
    run();
    samples.push(performance.now() - start);
  }

  process.stdout.write(
    `${label.padEnd(44)} median ${median(samples).toFixed(1).padStart(6)} ms  max ${Math.max(
      ...samples,
    )
      .toFixed(1)
      .padStart(6)} ms\n`,
  );
}

process.stdout.write(`${count} clients\n`);
measure('count (iterate, no filter)', () => {
  countMatching(source, '');
});
measure('count with filter ".1.2"', () => {
  countMatching(source, '.1.2');
});

for (const sort of sortColumns) {
  measure(`full sort by ${sort}`, () => {
    filterAndSort(source, {sort, descending: false, filter: ''});
  });
}

for (const sort of sortColumns) {
  measure(`window of 40 at the top, by ${sort}`, () => {
    selectRows(source, {sort, descending: true, filter: ''}, 0, 40);
  });
}

measure('window of 40 at the end, by loss', () => {
  selectRows(source, {sort: 'loss', descending: true, filter: ''}, count, 40);
});
measure('window of 40 at the top, filter ".1.2"', () => {
  selectRows(source, {sort: 'loss', descending: true, filter: '.1.2'}, 0, 40);
});

const selector = createRowSelector();
let now = 0;
measure(
  'selector, window in the middle, between sorts',
  () => {
    now += 100;
    selector.select(
      source,
      {sort: 'loss', descending: true, filter: ''},
      now,
      () => ({start: count / 2, count: 40}),
    );
  },
  9,
);

measure('freeze: copy every client', () => {
  snapshotClients(byKey.values());
});
