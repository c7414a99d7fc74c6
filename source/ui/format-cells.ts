import type {Outcome} from '../vocabulary.js';

/*
Pure formatting for the table and the header. Every cell is plain ASCII: the table measures widths
with String.length, so anything wider than one column per character would break its borders.
*/

/** What a cell shows when there is no value yet. */
export const noValue = '-';

function pad2(value: number): string {
  return String(value).padStart(2, '0');
}

/**
 * A duration, compact: `0.4s`, `3.2s`, `12s`, `59s`, `2m05s`, `1h02m`, `3d04h`.
 * Tenths of a second for the first ten seconds, so a fresh age visibly counts; whole seconds after
 * that, so an age on screen changes at most once a second and a quiet table needs no new frame.
 */
export function formatDuration(ms: number): string {
  const safe = Number.isFinite(ms) && ms > 0 ? ms : 0;
  if (safe < 10_000) {
    // Truncate, so 9.96 s reads 9.9s rather than a 10.0s that is not yet ten seconds.
    return `${(Math.floor(safe / 100) / 10).toFixed(1)}s`;
  }

  if (safe < 60_000) {
    return `${Math.floor(safe / 1000)}s`;
  }

  const seconds = Math.floor(safe / 1000);
  const minutes = Math.floor(seconds / 60);
  const hours = Math.floor(minutes / 60);
  const days = Math.floor(hours / 24);
  if (hours === 0) {
    return `${minutes}m${pad2(seconds % 60)}s`;
  }

  if (days === 0) {
    return `${hours}h${pad2(minutes % 60)}m`;
  }

  return `${days}d${pad2(hours % 24)}h`;
}

/** How long ago something happened: `3.2s ago`, `12s ago`, `2m05s ago`. A time in the future reads as now. */
export function formatAge(then: number, now: number): string {
  return `${formatDuration(now - then)} ago`;
}

export {formatUptime} from '../uptime.js';

/** A silence for the idle prompt, in words a person reads aloud: `45s`, `1m 02s`, `1h 02m`. */
export function formatSilence(ms: number): string {
  const seconds = Math.floor(Number.isFinite(ms) && ms > 0 ? ms / 1000 : 0);
  const minutes = Math.floor(seconds / 60);
  const hours = Math.floor(minutes / 60);
  if (minutes === 0) {
    return `${seconds}s`;
  }

  if (hours === 0) {
    return `${minutes}m ${pad2(seconds % 60)}s`;
  }

  return `${hours}h ${pad2(minutes % 60)}m`;
}

/** Past a day a delay or interval says only that: a clock years off, not a network. */
export const sanityBoundMs = 86_400_000;

/** `>1d` or `<-1d` for a figure past a day either way, so that a column keeps its width. */
function pastADay(ms: number): string | undefined {
  if (ms > sanityBoundMs) {
    return '>1d';
  }

  return ms < -sanityBoundMs ? '<-1d' : undefined;
}

/**
 * Milliseconds with about three significant digits: `0.42ms`, `12.3ms`, `123ms`, `1.23s`, `12.3s`,
 * `2m05s`. Delays can be negative when the client's clock runs ahead.
 */
export function formatMs(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) {
    return noValue;
  }

  const absurd = pastADay(ms);
  if (absurd !== undefined) {
    return absurd;
  }

  const sign = ms < 0 ? '-' : '';
  const size = Math.abs(ms);
  if (size < 1) {
    return `${sign}${size.toFixed(2)}ms`;
  }

  if (size < 10) {
    return `${sign}${size.toFixed(1)}ms`;
  }

  if (size < 1000) {
    return `${sign}${Math.round(size)}ms`;
  }

  if (size < 10_000) {
    return `${sign}${(size / 1000).toFixed(2)}s`;
  }

  if (size < 60_000) {
    return `${sign}${(size / 1000).toFixed(1)}s`;
  }

  return `${sign}${formatDuration(size)}`;
}

/** A percentage with one decimal, as the table shows loss: `0.0%`, `33.3%`, `100.0%`. */
export function formatPercent(percent: number | undefined): string {
  if (percent === undefined || !Number.isFinite(percent)) {
    return noValue;
  }

  return `${percent.toFixed(1)}%`;
}

/** The loss setting as the operator typed it: `40%`, `12.5%`, `0.25%` (no trailing zeros). */
export function formatLossSetting(percent: number): string {
  if (!Number.isFinite(percent)) {
    return noValue;
  }

  return `${Number(percent.toFixed(2))}%`;
}

/**
 * Milliseconds as a bare number with about three significant digits: `0.42`, `3.2`, `123`, `1234`,
 * `-61234`. For a table column whose every cell is in milliseconds, whatever the size.
 */
function millis(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  const size = Math.abs(ms);
  if (size < 1) {
    return `${sign}${size.toFixed(2)}`;
  }

  if (size < 10) {
    return `${sign}${size.toFixed(1)}`;
  }

  return `${sign}${Math.round(size)}`;
}

/**
 * A delay for the table, always in milliseconds: `0.42ms`, `3.2ms`, `12ms`, `1234ms`, `-61234ms`;
 * `>1d` past a day (a client whose clock is years off), so the column keeps its width.
 */
export function formatDelay(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) {
    return noValue;
  }

  return pastADay(ms) ?? `${millis(ms)}ms`;
}

/**
 * Mean interval and its spread, both in milliseconds, the unit once at the end: `1000 +-12ms`,
 * `250 +-0.50ms`; just the mean (`1000ms`) when there is no spread yet. Every row in one style, so
 * that a column of them reads down.
 */
export function formatInterval(
  meanMs: number | undefined,
  spreadMs: number | undefined,
): string {
  if (meanMs === undefined || !Number.isFinite(meanMs)) {
    return noValue;
  }

  const absurd = pastADay(meanMs) ?? pastADay(spreadMs ?? 0);
  if (absurd !== undefined) {
    return absurd;
  }

  if (spreadMs === undefined || !Number.isFinite(spreadMs)) {
    return `${millis(meanMs)}ms`;
  }

  return `${millis(meanMs)} +-${millis(spreadMs)}ms`;
}

/** A count, or a dash when there is none. */
export function formatCount(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value)
    ? noValue
    : String(value);
}

/** A rate with one decimal: `12.5`. */
export function formatRate(perSecond: number): string {
  return Number.isFinite(perSecond) && perSecond > 0
    ? perSecond.toFixed(1)
    : '0.0';
}

/** One character per outcome in the history strip; the help overlay explains them. */
export const outcomeSymbols: Readonly<Record<Outcome, string>> = {
  replied: '.',
  dropped: 'x',
  lost: '?',
  malformed: '!',
};

/** The most recent outcomes, at most `length` of them, oldest first: `..x.?..`. */
export function formatHistory(
  history: readonly Outcome[],
  length: number,
): string {
  const start = Math.max(0, history.length - Math.max(0, length));
  let strip = '';
  for (let index = start; index < history.length; index++) {
    strip += outcomeSymbols[history[index]!];
  }

  return strip;
}
