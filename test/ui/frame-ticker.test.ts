import assert from 'node:assert/strict';
import test from 'node:test';
import {waitFor} from '../helpers/wait-for.js';
import {createFrameTicker} from '../../source/ui/frame-ticker.js';
import {frozenView} from '../../source/ui/clients-view.js';
import {FakeClock, FakeStore, fakeRecord, fakeSource} from './fake-store.js';

/** Timers alive in this process: the ticker's interval is one of them while it runs. */
function timers(): number {
  return process
    .getActiveResourcesInfo()
    .filter((resource) => resource === 'Timeout').length;
}

test('the snapshot is one stable object between ticks, whatever the store does', () => {
  const clock = new FakeClock();
  const store = new FakeStore();
  const ticker = createFrameTicker(fakeSource(store, clock), 20);
  const first = ticker.getSnapshot();
  for (let change = 0; change < 100; change++) {
    store.touch();
  }

  assert.equal(ticker.getSnapshot(), first);
});

test('a frame per tick while subscribed, none after the last unsubscribes', async () => {
  const clock = new FakeClock();
  const store = new FakeStore();
  const source = fakeSource(store, clock);
  const ticker = createFrameTicker(source, 10);
  let notified = 0;
  const timersBefore = timers();
  const unsubscribe = ticker.subscribe(() => {
    notified++;
  });
  const timersWhileSubscribed = timers();
  assert.equal(timersWhileSubscribed, timersBefore + 1, 'one interval');
  clock.advance(1500);
  source.lossValue = 55;
  source.idleMs = 61_000;
  await waitFor(() => notified >= 2, {message: 'two ticks'});
  const frame = ticker.getSnapshot();
  assert.ok(frame.sequence >= 2);
  assert.equal(frame.clients.now, clock.now);
  assert.equal(frame.loss, 55);
  assert.equal(frame.idleSilenceMs, 61_000);

  unsubscribe();
  assert.equal(timers(), timersWhileSubscribed - 1, 'the interval is cleared');
});

test('a frozen view is a copy the store can no longer change', () => {
  const clock = new FakeClock();
  const store = new FakeStore();
  const record = fakeRecord('10.0.0.1', 1, {
    received: 5,
    outcomes: ['replied'],
  });
  store.add(record);
  const view = frozenView(fakeSource(store, clock));
  record.received = 99;
  record.outcomes.push('dropped');
  store.add(fakeRecord('10.0.0.2', 1));
  const copies = [...view.clients.clients()];
  assert.equal(copies.length, 1);
  assert.equal(copies[0]!.received, 5);
  assert.deepEqual(copies[0]!.history(), ['replied']);
  assert.equal(view.clientCount, 1);
  assert.equal(view.frozen, true);
});
