import {Buffer} from 'node:buffer';
import type {Liveness} from '../vocabulary.js';
import type {ParsedRequest, ReplyMode} from './types.js';

/** No reply is longer than this: an echo, upper-cased or byte for byte. */
export const maxEchoReplyBytes = 1024;
/** Seed and JSON replies: short status lines, so the server never amplifies a small request much. */
export const maxSeedReplyBytes = 256;
export const maxJsonReplyBytes = 256;
/** logfmt replies are the JSON reply's figures in another form, bounded the same. */
export const maxLogfmtReplyBytes = 256;
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

/** `seq=7 delay_ms=0.412 lost_in_between=3 state=alive`; `seq` and `delay_ms` left out when unknown. */
export function logfmtReply(
  seq: number | undefined,
  delayMs: number | undefined,
  lostInBetween: number,
  state: Liveness,
): string {
  const seqText = seq === undefined ? '' : `seq=${count(seq)} `;
  const delayText =
    delayMs === undefined || !Number.isFinite(delayMs)
      ? ''
      : `delay_ms=${roundMilli(delayMs)} `;
  return `${seqText}${delayText}lost_in_between=${count(lostInBetween)} state=${state}`;
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
 * The classic pinger server's answer, `message.upper()` on the received bytes: the text with its
 * ASCII letters upper-cased and nothing trimmed (`Привет` comes back as it came, `ping 7` as
 * `PING 7`), or, for a binary datagram, the bytes unchanged. The reply is never longer than the
 * request. Callers answer payloads over the cap with an error; were one passed anyway, only its
 * first bytes would go back, so the cap holds whatever happens.
 */
export function echoReply(payload: Buffer, binary: boolean): Buffer {
  const size = Math.min(payload.length, maxEchoReplyBytes);
  const echo = size === payload.length ? payload : payload.subarray(0, size);
  if (binary) {
    return echo;
  }

  // Bytes 0x61–0x7A are ASCII letters wherever they stand: every byte of a multi-byte UTF-8
  // character is 0x80 or more. The copy is made only once a letter needs changing.
  let upper: Buffer | undefined;
  for (let index = 0; index < size; index++) {
    const byte = echo[index]!;
    if (byte >= 0x61 && byte <= 0x7a) {
      upper ??= Buffer.from(echo);
      upper[index] = byte - 0x20;
    }
  }

  return upper ?? echo;
}

/** `ERROR <reason>`, cut at a character boundary to stay within the cap. */
export function errorReply(reason: string): string {
  return capBytes(`ERROR ${reason}`, maxErrorReplyBytes);
}

/** `{"error":"<reason>"}` for a client that reads every reply as JSON; within the error cap. */
export function jsonErrorReply(reason: string): string {
  const room = maxErrorReplyBytes - '{"error":""}'.length;
  // The reasons are short ASCII phrases; cutting one that is not would stay valid JSON too.
  const text = JSON.stringify(capBytes(reason, room));
  return Buffer.byteLength(text) + 10 <= maxErrorReplyBytes
    ? `{"error":${text}}`
    : '{"error":"malformed"}';
}

/** `error="<reason>"` for a logfmt client; within the error cap. */
export function logfmtErrorReply(reason: string): string {
  const room = maxErrorReplyBytes - 'error=""'.length;
  // The reasons are short ASCII phrases with no quote or backslash; escaped anyway.
  const text = capBytes(reason, Math.floor(room / 2)).replaceAll(
    /["\\]/gv,
    String.raw`\$&`,
  );
  return `error="${text}"`;
}

function capBytes(text: string, maxBytes: number): string {
  // Every UTF-16 code unit takes at most three bytes of UTF-8.
  if (text.length * 3 <= maxBytes) {
    return text;
  }

  let bytes = 0;
  let end = 0;
  for (const character of text) {
    bytes += Buffer.byteLength(character, 'utf8');
    if (bytes > maxBytes) {
      break;
    }

    end += character.length;
  }

  return text.slice(0, end);
}

/**
 * What answers a datagram under `--reply`: a seed line, an echo, a JSON object, a logfmt line, or
 * an error (`ERROR …`, `{"error":…}` or `error="…"`, by `errorForm`), which is rate-limited.
 * `auto` answers the original client's format (no label) with `seed`, a labelled pinger with
 * `echo`, a JSON heartbeat with `json`, a logfmt one with `logfmt`, a binary pinger with its own
 * bytes, and text it cannot read, or anything over 1024 bytes, with an error.
 */
export type ReplyKind = 'seed' | 'echo' | 'json' | 'logfmt' | 'error';

export function replyKind(mode: ReplyMode, request: ParsedRequest): ReplyKind {
  if (request.kind === 'heartbeat') {
    if (mode === 'auto') {
      if (request.format !== undefined) {
        return request.format;
      }

      return request.label === undefined ? 'seed' : 'echo';
    }

    return mode;
  }

  if (request.reason === 'too long') {
    return 'error';
  }

  if (mode === 'echo' || (mode === 'auto' && request.binary)) {
    return 'echo';
  }

  return 'error';
}

/**
 * The form of an error reply: JSON under `--reply json` or for a JSON payload under `auto`,
 * logfmt likewise, `ERROR …` otherwise.
 */
export function errorForm(
  mode: ReplyMode,
  request: ParsedRequest,
): 'text' | 'json' | 'logfmt' {
  if (mode === 'json' || mode === 'logfmt') {
    return mode;
  }

  return mode === 'auto' && request.kind === 'malformed'
    ? (request.format ?? 'text')
    : 'text';
}
