import {Buffer} from 'node:buffer';
import type {Liveness} from '../store/types.js';
import type {ReplyMode} from './types.js';

/** No reply is longer than this: an echo, upper-cased or byte for byte. */
export const maxEchoReplyBytes = 1024;
/** Seed and JSON replies: short status lines, so the server never amplifies a small request much. */
export const maxSeedReplyBytes = 256;
export const maxJsonReplyBytes = 256;
/** `ERROR <reason>` replies, rate-limited and small for the same reason. */
export const maxErrorReplyBytes = 64;

const usPerSecond = 1_000_000;
const usPerDay = 86_400 * usPerSecond;
const usPerDayBig = BigInt(usPerDay);
// Python's timedelta.max: 999999999 days, 23:59:59.999999. Nothing larger is written.
const maxDays = 999_999_999;
const maxDelayUs = maxDays * usPerDay + (usPerDay - 1);

/**
 * A duration in microseconds as Python's `str(timedelta)` writes a positive one: `H:MM:SS.ffffff`,
 * with `N day(s), ` in front from one day on. A negative duration is a `-` before the magnitude
 * (`-0:00:00.001000`), which reads better than Python's own `-1 day, 23:59:59.999000`.
 * Rounds to a whole microsecond; caps at timedelta.max, so even absurd inputs stay short.
 */
export function formatDelay(delayUs: number): string {
  if (Number.isNaN(delayUs)) {
    return 'unknown';
  }

  const magnitude = Math.round(Math.abs(delayUs));
  const sign = delayUs < 0 && magnitude > 0 ? '-' : '';
  let days: number;
  let rest: number;
  if (magnitude <= Number.MAX_SAFE_INTEGER) {
    days = Math.floor(magnitude / usPerDay);
    rest = magnitude - days * usPerDay;
  } else if (magnitude < maxDelayUs) {
    // Past 2^53 (a timestamp thousands of years off) doubles lose whole microseconds in arithmetic.
    const big = BigInt(magnitude);
    days = Number(big / usPerDayBig);
    rest = Number(big % usPerDayBig);
  } else {
    days = maxDays;
    rest = usPerDay - 1;
  }

  const seconds = Math.floor(rest / usPerSecond);
  const micros = rest - seconds * usPerSecond;
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor(seconds / 60) % 60;
  const clock = `${hours}:${pad(minutes, 2)}:${pad(seconds % 60, 2)}.${pad(micros, 6)}`;
  if (days === 0) {
    return sign + clock;
  }

  return `${sign}${days} ${days === 1 ? 'day' : 'days'}, ${clock}`;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/** The original server's reply line. */
export function seedReply(
  delayMs: number | undefined,
  lostInBetween: number,
): string {
  const delay = delayMs === undefined ? 'unknown' : formatDelay(delayMs * 1000);
  return `Packet delivery delay = ${delay}, Number of packets lost in between = ${count(lostInBetween)}`;
}

/** One JSON object; `seq` and `delay_ms` are null when the request had none. */
export function jsonReply(
  seq: number | undefined,
  delayMs: number | undefined,
  lostInBetween: number,
  state: Liveness,
): string {
  const seqText = seq === undefined ? 'null' : count(seq);
  const delayText =
    delayMs === undefined || !Number.isFinite(delayMs)
      ? 'null'
      : String(roundMilli(delayMs));
  return `{"seq":${seqText},"delay_ms":${delayText},"lost_in_between":${count(lostInBetween)},"state":"${state}"}`;
}

/** Rounds half away from zero, so a delay and its negation read the same but for the sign. */
function roundMilli(value: number): number {
  const rounded = Math.round(Math.abs(value) * 1000) / 1000;
  return value < 0 && rounded > 0 ? -rounded : rounded;
}

/** A count as JSON and the seed line expect it: a whole number, never `NaN` or `Infinity`. */
function count(value: number): string {
  return Number.isFinite(value) ? String(Math.trunc(value)) : '0';
}

/**
 * The classic pinger server's answer: the text upper-cased, nothing trimmed; bytes that are not
 * text go back unchanged. Upper-casing can lengthen the bytes (`ɐ` → `Ɐ`, two bytes to three);
 * when that would pass the cap, the original bytes go back instead: a reply that changed nothing
 * beats a cut character. Callers answer payloads over the cap with an error; were one passed
 * anyway, only its first bytes would go back, so the cap holds whatever happens.
 */
export function echoReply(payload: Buffer, isText: boolean): Buffer {
  if (payload.length > maxEchoReplyBytes) {
    return payload.subarray(0, maxEchoReplyBytes);
  }

  if (!isText) {
    return payload;
  }

  const upper = Buffer.from(payload.toString('utf8').toUpperCase(), 'utf8');
  return upper.length > maxEchoReplyBytes ? payload : upper;
}

/** `ERROR <reason>`, cut at a character boundary to stay within the cap. */
export function errorReply(reason: string): string {
  const text = `ERROR ${reason}`;
  // Every UTF-16 code unit takes at most three bytes of UTF-8.
  if (text.length * 3 <= maxErrorReplyBytes) {
    return text;
  }

  let bytes = 0;
  let end = 0;
  for (const character of text) {
    bytes += Buffer.byteLength(character, 'utf8');
    if (bytes > maxErrorReplyBytes) {
      break;
    }

    end += character.length;
  }

  return text.slice(0, end);
}

/** `auto` answers the original client's format with `seed`, a labelled pinger with `echo`. */
export function resolveReplyMode(
  mode: ReplyMode,
  label: string | undefined,
): 'seed' | 'echo' | 'json' {
  if (mode === 'auto') {
    return label === undefined ? 'seed' : 'echo';
  }

  return mode;
}
