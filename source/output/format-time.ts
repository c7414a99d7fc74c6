/** Two digits, zero-padded. */
function pad2(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

function pad3(value: number): string {
  return value < 10 ? `00${value}` : value < 100 ? `0${value}` : String(value);
}

/** The local offset from UTC at that instant, as `+01:00` (`+00:00` in UTC, never `Z`). */
function formatOffset(date: Date): string {
  const minutesEast = -date.getTimezoneOffset();
  const sign = minutesEast < 0 ? '-' : '+';
  const absolute = Math.abs(minutesEast);
  return `${sign}${pad2(Math.floor(absolute / 60))}:${pad2(absolute % 60)}`;
}

function formatYear(year: number): string {
  if (year >= 0 && year <= 9999) {
    return String(year).padStart(4, '0');
  }

  // ISO 8601 expanded years, as Date#toISOString writes them.
  return `${year < 0 ? '-' : '+'}${String(Math.abs(year)).padStart(6, '0')}`;
}

// Offsets change only on whole seconds, so everything but the milliseconds can be reused for every
// event within the same second: at thousands of events a second this saves most of the work.
let cachedSecond = Number.NaN;
let cachedPrefix = '';
let cachedOffset = '';

/**
 * ISO 8601 local time with milliseconds and the offset, as `2026-11-24T06:31:07.123+01:00`.
 * Fractions of a millisecond are cut, not rounded, so a time never moves into the next second.
 */
export function formatIsoTime(ms: number): string {
  if (!Number.isFinite(ms)) {
    return String(ms);
  }

  const whole = Math.floor(ms);
  const second = Math.floor(whole / 1000);
  const millis = whole - second * 1000;
  if (second !== cachedSecond) {
    const date = new Date(second * 1000);
    if (Number.isNaN(date.getTime())) {
      return String(ms);
    }

    cachedPrefix = `${formatYear(date.getFullYear())}-${pad2(date.getMonth() + 1)}-${pad2(date.getDate())}T${pad2(date.getHours())}:${pad2(date.getMinutes())}:${pad2(date.getSeconds())}.`;
    cachedOffset = formatOffset(date);
    cachedSecond = second;
  }

  return `${cachedPrefix}${pad3(millis)}${cachedOffset}`;
}

/** Local wall-clock time as `HH:MM:SS`, for tables. */
export function formatClockTime(ms: number): string {
  const date = new Date(Math.floor(ms));
  if (Number.isNaN(date.getTime())) {
    return '--:--:--';
  }

  return `${pad2(date.getHours())}:${pad2(date.getMinutes())}:${pad2(date.getSeconds())}`;
}
