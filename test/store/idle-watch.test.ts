import assert from 'node:assert/strict';
import test from 'node:test';
import {IdleWatch} from '../../source/store/idle-watch.js';

const start = 1_764_000_000_000;
const minute = 60_000;

test('the prompt shows once the timeout passes without any datagram since the start', () => {
  const watch = new IdleWatch(minute, start);
  assert.equal(watch.silenceMs(start + minute - 1, undefined), undefined);
  assert.equal(watch.silenceMs(start + minute, undefined), minute);
  assert.equal(
    watch.silenceMs(start + minute + 2500, undefined),
    minute + 2500,
  );
});

test('the silence counts from the latest datagram, and a datagram hides the prompt', () => {
  const watch = new IdleWatch(minute, start);
  const last = start + 10_000;
  assert.equal(watch.silenceMs(last + minute - 1, last), undefined);
  assert.equal(watch.silenceMs(last + minute, last), minute);
  // A heartbeat arrives: the prompt goes by itself.
  const next = last + minute + 500;
  assert.equal(watch.silenceMs(next, next), undefined);
  assert.equal(watch.silenceMs(next + 1000, next), undefined);
});

test('dismissing hides the prompt until another full period passes', () => {
  const watch = new IdleWatch(minute, start);
  const shownAt = start + minute;
  assert.equal(watch.silenceMs(shownAt, undefined), minute);
  watch.dismiss(shownAt + 5000);
  assert.equal(watch.silenceMs(shownAt + 5000, undefined), undefined);
  assert.equal(
    watch.silenceMs(shownAt + 5000 + minute - 1, undefined),
    undefined,
  );
  // Shown again, with the whole silence since the start.
  assert.equal(
    watch.silenceMs(shownAt + 5000 + minute, undefined),
    2 * minute + 5000,
  );
});

test('after a dismissal, activity and a new silence bring the prompt back a full period later', () => {
  const watch = new IdleWatch(minute, start);
  watch.dismiss(start + minute);
  const last = start + minute + 30_000;
  assert.equal(watch.silenceMs(last + minute - 1, last), undefined);
  assert.equal(watch.silenceMs(last + minute, last), minute);
});

test('a timeout of 0 turns it off', () => {
  const watch = new IdleWatch(0, start);
  assert.equal(watch.silenceMs(start + 1e9, undefined), undefined);
  assert.equal(watch.shouldAnnounce(start + 1e9, undefined), false);
});

test('headless mode announces each silence once', () => {
  const watch = new IdleWatch(minute, start);
  assert.equal(watch.shouldAnnounce(start + minute - 1, undefined), false);
  assert.equal(watch.shouldAnnounce(start + minute, undefined), true);
  assert.equal(watch.shouldAnnounce(start + minute + 100, undefined), false);
  assert.equal(watch.shouldAnnounce(start + 10 * minute, undefined), false);
  // Activity, then a new silence: announced once more.
  const last = start + 11 * minute;
  assert.equal(watch.shouldAnnounce(last + 1000, last), false);
  assert.equal(watch.shouldAnnounce(last + minute, last), true);
  assert.equal(watch.shouldAnnounce(last + 2 * minute, last), false);
});
