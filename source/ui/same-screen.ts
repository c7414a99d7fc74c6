import type {ClientRow, EngineSnapshot} from '../engine/types.js';
import {
  formatAge,
  formatRate,
  formatSilence,
  formatUptime,
} from './format-cells.js';

/*
Whether a new snapshot would draw the same screen as the one drawn. The engine publishes ten times
a second, and each snapshot is a new object with a new time; drawing one that changes nothing still
costs React, Ink's layout and its output a whole frame. A snapshot that is the same as the last one
drawn in everything the dashboard shows is not drawn at all: times are compared as they are shown
(ages, uptime, the idle prompt's silence, the rate), everything else exactly.
*/

/** What the dashboard never shows, or shows only through the comparisons below. */
const comparedApart: ReadonlySet<string> = new Set([
  'sequence',
  'time',
  'heartbeatsPerSecond',
  'idleSilenceMs',
  'runTotals',
  'delayHistogram',
  'recent',
  'window',
  'detail',
]);

/** A row's times, compared as ages. */
const rowTimes: ReadonlySet<string> = new Set(['lastSeen', 'firstSeen']);

/** Plain data as the engine sends it: equal values, element by element, key by key. */
function equalData(
  a: unknown,
  b: unknown,
  skip: ReadonlySet<string> = new Set(),
): boolean {
  if (Object.is(a, b)) {
    return true;
  }

  if (
    typeof a !== 'object' ||
    typeof b !== 'object' ||
    a === null ||
    b === null
  ) {
    return false;
  }

  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((item, index) => equalData(item, b[index]))
    );
  }

  const aEntries = Object.entries(a);
  if (aEntries.length !== Object.keys(b).length) {
    return false;
  }

  return aEntries.every(
    ([key, value]) =>
      skip.has(key) ||
      (Object.hasOwn(b, key) && equalData(value, Reflect.get(b, key))),
  );
}

function sameRow(
  a: ClientRow,
  aNow: number,
  b: ClientRow,
  bNow: number,
): boolean {
  return (
    formatAge(a.lastSeen, aNow) === formatAge(b.lastSeen, bNow) &&
    formatAge(a.firstSeen, aNow) === formatAge(b.firstSeen, bNow) &&
    equalData(a, b, rowTimes)
  );
}

/** The clock the screen counts ages from: the frozen copy's, when frozen. */
function nowOf(snapshot: EngineSnapshot): number {
  return snapshot.frozenAt ?? snapshot.time;
}

/**
 * True when `next` would draw what `shown` drew. `exactTime`: the time itself is on screen (a
 * replay's header shows the recorded time to the millisecond).
 */
export function sameScreen(
  shown: EngineSnapshot,
  next: EngineSnapshot,
  exactTime = false,
): boolean {
  if (shown === next) {
    return true;
  }

  const shownNow = nowOf(shown);
  const nextNow = nowOf(next);
  if (
    (exactTime && shown.time !== next.time) ||
    formatUptime(shownNow - shown.info.startedAt) !==
      formatUptime(nextNow - next.info.startedAt) ||
    formatRate(shown.heartbeatsPerSecond) !==
      formatRate(next.heartbeatsPerSecond) ||
    (shown.idleSilenceMs === undefined) !==
      (next.idleSilenceMs === undefined) ||
    formatSilence(shown.idleSilenceMs ?? 0) !==
      formatSilence(next.idleSilenceMs ?? 0)
  ) {
    return false;
  }

  const a = shown.window;
  const b = next.window;
  if (
    a.start !== b.start ||
    a.total !== b.total ||
    a.rows.length !== b.rows.length ||
    !a.rows.every((row, index) =>
      sameRow(row, shownNow, b.rows[index]!, nextNow),
    )
  ) {
    return false;
  }

  if (
    (shown.detail !== undefined || next.detail !== undefined) &&
    (shown.detail === undefined ||
      next.detail === undefined ||
      !sameRow(shown.detail.row, shownNow, next.detail.row, nextNow) ||
      !equalData(shown.detail, next.detail, new Set(['row'])))
  ) {
    return false;
  }

  return equalData(shown, next, comparedApart);
}
