/*
 * The client timestamp formats of docs/protocol.md. Each format has one anchored regular
 * expression, compiled once: this runs for every datagram that carries a time.
 */

const dateTime =
  /^(\d{4})-(\d{2})-(\d{2})([ T])(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+\-]\d{2}:\d{2})?$/v;
// Epoch numbers by their count of integer digits: seconds and milliseconds may have a fraction.
const epochSeconds = /^(\d{9,11})(?:\.(\d{1,9}))?$/v;
const epochMilliseconds = /^(\d{12,14})(?:\.(\d{1,9}))?$/v;
const epochFine = /^\d{15,20}$/v;
const timeOfDay = /^(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$/v;
// Python's time.ctime() pads a one-digit day with a space; tokens joined by one space lose the pad.
const ctime =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (?:(\d{2})| ?(\d)) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/v;

const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const months = [
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'May',
  'Jun',
  'Jul',
  'Aug',
  'Sep',
  'Oct',
  'Nov',
  'Dec',
];
const daysInMonth = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const powersOfTen = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];
const msPerDay = 86_400_000;

/** Milliseconds a lone epoch number may be from the server's clock and still read as a time. */
export const plausibleEpochMs = 366 * msPerDay;

/**
 * Reads a client's timestamp in one of the formats docs/protocol.md lists.
 * @param nowMs The server's clock: a time of day is read on the date that puts it nearest.
 * @returns Milliseconds since the Unix epoch with the sub-millisecond fraction kept, or undefined
 * when the text is none of the formats or names an impossible date or time.
 */
export function parseTimestamp(
  text: string,
  nowMs: number,
): number | undefined {
  const first = text.codePointAt(0);
  if (first === undefined) {
    return undefined;
  }

  // Dispatch on the first character so that each datagram tries one or two patterns, not all.
  if (first >= 0x30 && first <= 0x39) {
    if (text.length > 4 && text.codePointAt(4) === 0x2d) {
      return parseDateTime(text);
    }

    return text.length > 2 && text.codePointAt(2) === 0x3a
      ? parseTimeOfDay(text, nowMs)
      : parseEpoch(text, nowMs);
  }

  return parseCtime(text);
}

/**
 * A lone number of 9 to 11 digits (epoch seconds), 12 to 14 (milliseconds), 15 to 17
 * (microseconds) or 18 to 20 (nanoseconds) within `plausibleEpochMs` of the server's clock, as
 * milliseconds; otherwise undefined (a sequence number). `digits` holds only the digits 0–9.
 */
export function plausibleEpoch(
  digits: string,
  nowMs: number,
): number | undefined {
  const {length} = digits;
  if (length < 9 || length > 20) {
    return undefined;
  }

  const ms = epochDigitsMs(digits);
  return Math.abs(ms - nowMs) <= plausibleEpochMs ? ms : undefined;
}

/**
 * 9 to 20 digits as epoch milliseconds by their count. Microseconds and nanoseconds are split
 * into whole milliseconds and a fraction, so no digit a double can hold is lost.
 */
function epochDigitsMs(digits: string): number {
  const {length} = digits;
  if (length <= 11) {
    return Number(digits) * 1000;
  }

  if (length <= 14) {
    return Number(digits);
  }

  const fine = length <= 17 ? 3 : 6;
  const whole = length - fine;
  return (
    Number(digits.slice(0, whole)) +
    Number(digits.slice(whole)) / powersOfTen[fine]!
  );
}

function parseDateTime(text: string): number | undefined {
  const match = dateTime.exec(text);
  if (match === null) {
    return undefined;
  }

  const [, year, month, day, , hour, minute, second, fraction, zone] = match;
  // An offset may follow either separator: Python's `str()` of an aware datetime, as in
  // `str(datetime.now(timezone.utc))`, writes `2026-11-24 05:31:07.123456+00:00`.
  const fields = validFields(
    Number(year),
    Number(month),
    Number(day),
    Number(hour),
    Number(minute),
    Number(second),
  );
  if (fields === undefined) {
    return undefined;
  }

  let ms: number | undefined;
  if (zone === undefined) {
    ms = localMs(fields);
  } else {
    ms = utcMs(fields);
    if (zone !== 'Z') {
      const offsetHours = Number(zone.slice(1, 3));
      const offsetMinutes = Number(zone.slice(4, 6));
      if (offsetHours > 23 || offsetMinutes > 59) {
        return undefined;
      }

      const offsetMs = (offsetHours * 60 + offsetMinutes) * 60_000;
      ms -= zone.startsWith('-') ? -offsetMs : offsetMs;
    }
  }

  return ms === undefined ? undefined : ms + fractionMs(fraction);
}

/**
 * Epoch seconds and milliseconds, each with an optional fraction, at any distance from the
 * server's clock; microseconds and nanoseconds only near it (`plausibleEpochMs`), since a count
 * or an identifier of 15 to 20 digits is far likelier than a time from another year.
 */
function parseEpoch(text: string, nowMs: number): number | undefined {
  const seconds = epochSeconds.exec(text);
  if (seconds !== null) {
    return Number(seconds[1]) * 1000 + fractionMs(seconds[2]);
  }

  const milliseconds = epochMilliseconds.exec(text);
  if (milliseconds !== null) {
    const fraction = milliseconds[2];
    return (
      Number(milliseconds[1]) +
      (fraction === undefined
        ? 0
        : Number(fraction) / powersOfTen[fraction.length]!)
    );
  }

  return epochFine.test(text) ? plausibleEpoch(text, nowMs) : undefined;
}

/**
 * `HH:MM:SS` with an optional fraction, in the server's local time, on the day before, of or
 * after the server's date, whichever puts it nearest the server's clock (`23:59:58` read at
 * 00:00:01 is yesterday's).
 */
function parseTimeOfDay(text: string, nowMs: number): number | undefined {
  const match = timeOfDay.exec(text);
  if (match === null || !Number.isFinite(nowMs)) {
    return undefined;
  }

  const [, hourText, minuteText, secondText, fraction] = match;
  const hour = Number(hourText);
  const minute = Number(minuteText);
  const second = Number(secondText);
  if (hour > 23 || minute > 59 || second > 59) {
    return undefined;
  }

  const today = new Date(nowMs);
  let best: number | undefined;
  for (let days = -1; days <= 1; days++) {
    // Noon of that day: the Date constructor carries a day 0 or 32 into the next month.
    const date = new Date(
      today.getFullYear(),
      today.getMonth(),
      today.getDate() + days,
      12,
    );
    const ms = localMs({
      year: date.getFullYear(),
      month: date.getMonth() + 1,
      day: date.getDate(),
      hour,
      minute,
      second,
    });
    if (
      ms !== undefined &&
      (best === undefined || Math.abs(ms - nowMs) < Math.abs(best - nowMs))
    ) {
      best = ms;
    }
  }

  return best === undefined ? undefined : best + fractionMs(fraction);
}

function parseCtime(text: string): number | undefined {
  const match = ctime.exec(text);
  if (match === null) {
    return undefined;
  }

  const [, weekday, monthName, day2, day1, hour, minute, second, year] = match;
  const fields = validFields(
    Number(year),
    months.indexOf(monthName!) + 1,
    Number(day2 ?? day1),
    Number(hour),
    Number(minute),
    Number(second),
  );
  // A weekday that does not match the date names a day that never was.
  if (
    fields === undefined ||
    weekdays[weekdayOf(fields.year, fields.month, fields.day)] !== weekday
  ) {
    return undefined;
  }

  return localMs(fields);
}

type Fields = {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
};

/** Checks the calendar and clock ranges; years 0001–9999 only, no leap seconds. */
function validFields(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
): Fields | undefined {
  if (
    year < 1 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > monthLength(year, month) ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    return undefined;
  }

  return {year, month, day, hour, minute, second};
}

function monthLength(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : daysInMonth[month - 1]!;
}

function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear =
    Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra =
    yearOfEra * 365 +
    Math.floor(yearOfEra / 4) -
    Math.floor(yearOfEra / 100) +
    dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function weekdayOf(year: number, month: number, day: number): number {
  // 1970-01-01 was a Thursday (4).
  return (((daysFromCivil(year, month, day) + 4) % 7) + 7) % 7;
}

function utcMs(fields: Fields): number {
  return (
    daysFromCivil(fields.year, fields.month, fields.day) * msPerDay +
    ((fields.hour * 60 + fields.minute) * 60 + fields.second) * 1000
  );
}

/**
 * The server's local time. Reading the fields back catches a wall-clock time that does not exist
 * in this time zone (the hour skipped when daylight saving time begins).
 */
function localMs(fields: Fields): number | undefined {
  const {year, month, day, hour, minute, second} = fields;
  let date: Date;
  if (year >= 100) {
    // One local-to-UTC conversion: about half the cost of the setters below.
    date = new Date(year, month - 1, day, hour, minute, second);
  } else {
    // The Date constructor would read years 0–99 as 1900–1999; setFullYear does not.
    date = new Date(0);
    date.setFullYear(year, month - 1, day);
    date.setHours(hour, minute, second, 0);
  }

  if (
    date.getFullYear() !== year ||
    date.getMonth() !== month - 1 ||
    date.getDate() !== day ||
    date.getHours() !== hour ||
    date.getMinutes() !== minute ||
    date.getSeconds() !== second
  ) {
    return undefined;
  }

  return date.getTime();
}

/** `.123456789` → 123.456789 ms: one exact integer divided once, so the result is correctly rounded. */
function fractionMs(digits: string | undefined): number {
  return digits === undefined
    ? 0
    : (Number(digits) * 1000) / powersOfTen[digits.length]!;
}
