/*
The client column's order without strings for IPv4: `ipv4Order` must order every pair of
addresses and ports as their padded keys (`clientSortKey`) do, and give way to the key for
anything that is not plain dotted IPv4.
*/
import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import {
  clientSortKey,
  filterAndSort,
  ipv4Order,
  type SortableRow,
  arraySource,
} from '../../source/engine/select-rows.js';

const ipv4 = fc
  .tuple(
    fc.nat({max: 255}),
    fc.nat({max: 255}),
    fc.nat({max: 255}),
    fc.nat({max: 255}),
  )
  .map((octets) => octets.join('.'));
const port = fc.nat({max: 65_535});

function sign(value: number): number {
  return value < 0 ? -1 : value > 0 ? 1 : 0;
}

test('IPv4 addresses and ports order as their padded keys do', () => {
  fc.assert(
    fc.property(ipv4, port, ipv4, port, (a, aPort, b, bPort) => {
      const aKey = clientSortKey(a, aPort);
      const bKey = clientSortKey(b, bPort);
      assert.equal(
        sign(ipv4Order(a, aPort) - ipv4Order(b, bPort)),
        aKey < bKey ? -1 : aKey > bKey ? 1 : 0,
      );
    }),
  );
});

test('anything but dotted IPv4 of octets up to 255 has no number', () => {
  for (const address of [
    '::1',
    '::ffff:192.0.2.7',
    '2001:db8::1',
    '256.0.0.1',
    '1.2.3',
    '1.2.3.4.5',
    '1..2.3',
    '1.2.3.',
    '.1.2.3',
    '1234.1.1.1',
    'a.b.c.d',
    '',
  ]) {
    assert.equal(ipv4Order(address, 5000), -1, address);
  }

  assert.equal(ipv4Order('0.0.0.0', 0), 0);
  assert.equal(ipv4Order('255.255.255.255', 65_535), 2 ** 48 - 1);
});

test('a list of IPv4, IPv6 and mapped addresses sorts by client as the padded keys do', () => {
  const addresses = [
    '10.0.0.10',
    '2001:db8::1',
    '10.0.0.9',
    '::ffff:10.0.0.1',
    '192.0.2.7',
    '::1',
    '9.255.255.255',
  ];
  const rows: SortableRow[] = addresses.flatMap((address, index) =>
    [5000, 40].map((port) => ({
      key: `${address}:${port}`,
      address,
      port,
      state: 'alive' as const,
      received: index,
      lossPercent: undefined,
      delayLastMs: undefined,
      intervalMeanMs: undefined,
      lastSeen: 0,
    })),
  );
  const expected = rows
    .map((row) => clientSortKey(row.address, row.port))
    .toSorted();
  for (const descending of [false, true]) {
    const sorted = filterAndSort(arraySource(rows), {
      sort: 'client',
      descending,
      filter: '',
    }).map((row) => clientSortKey(row.address, row.port));
    assert.deepEqual(sorted, descending ? expected.toReversed() : expected);
  }
});
