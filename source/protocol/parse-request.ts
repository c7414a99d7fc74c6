import {isUtf8} from 'node:buffer';
import type {Heartbeat, MalformedReason} from '../vocabulary.js';
import {
  looksLikeJson,
  parseJsonHeartbeat,
  parseLogfmtHeartbeat,
} from './parse-structured.js';
import {parseTimestamp, plausibleEpoch} from './parse-timestamp.js';
import {maxRequestBytes, type Malformed, type ParsedRequest} from './types.js';

/*
 * Runs once per datagram, tens of thousands of times a second: it scans bytes and character codes
 * by hand, slices only the tokens it keeps, and returns shared frozen objects for every malformed
 * result, so junk that fails the byte checks allocates nothing at all.
 */

// A label starts with a letter of any script; the rest is letters, marks, digits, punctuation or
// symbols: no format character (bidi overrides, zero-width) that could reorder a line on screen.
const label = /^\p{L}[\p{L}\p{M}\p{N}\p{P}\p{S}]*$/v;
const maxLabelLength = 32;
// Words that Python's float() and JavaScript's Number() read as numbers: not labels.
const numberWord = /^(?:inf|infinity|nan)$/iv;
const blankRun = /[\t ]+/gv;
const unevenBlanks = /\t| {2}/v;
const maxSeqDigits = String(Number.MAX_SAFE_INTEGER).length;

const decoder = new TextDecoder();

const bareHeartbeat: Heartbeat = Object.freeze({
  kind: 'heartbeat',
  label: undefined,
  seq: undefined,
  timestampMs: undefined,
});

const malformedText = new Map<MalformedReason, Malformed>();
const malformedBinary = new Map<MalformedReason, Malformed>();
for (const reason of [
  'too long',
  'not UTF-8',
  'control character',
  'bad sequence number',
  'bad timestamp',
] as const) {
  malformedText.set(
    reason,
    Object.freeze({kind: 'malformed', reason, binary: false}),
  );
  malformedBinary.set(
    reason,
    Object.freeze({kind: 'malformed', reason, binary: true}),
  );
}

function malformed(reason: MalformedReason, binary: boolean): Malformed {
  return (binary ? malformedBinary : malformedText).get(reason)!;
}

/**
 * Reads one heartbeat datagram as docs/protocol.md defines it. Never throws.
 * @param nowMs The server's clock: a lone epoch number near it is a time, and a time of day is
 * read on the date that puts it nearest.
 *
 * Control characters are C0 (other than tab, CR and LF), DEL, and also C1 (U+0080–U+009F): no
 * client has a reason to send them in text, and some terminals act on them (U+009B starts an
 * escape sequence). A datagram holding one is binary, like one that is not UTF-8.
 */
export function parseRequest(
  payload: Uint8Array,
  nowMs: number,
): ParsedRequest {
  const size = payload.length;
  if (size > maxRequestBytes) {
    return malformed('too long', false);
  }

  if (!isUtf8(payload)) {
    return malformed('not UTF-8', true);
  }

  if (hasControlCharacter(payload)) {
    return malformed('control character', true);
  }

  const text = decoder.decode(payload).trim();
  const {length} = text;
  if (length === 0) {
    return bareHeartbeat;
  }

  // Structured heartbeats come before the token rules. Cheap tests first: a seed-client datagram
  // starts with a digit and holds no `=`.
  if (looksLikeJson(text)) {
    return parseJsonHeartbeat(text, nowMs);
  }

  const end = tokenEnd(text, 0);
  const equals = text.indexOf('=');
  if (equals > 0 && equals < end) {
    const structured = parseLogfmtHeartbeat(text, nowMs);
    if (structured !== undefined) {
      return structured;
    }
  }

  const digits = digitsEnd(text, 0);
  const after = text.codePointAt(digits);
  if (
    digits === end ||
    (digits > 0 && (after === 0x2c /* , */ || after === 0x3b)) /* ; */
  ) {
    // The seed client's format (`7\t2026-11-24 …`), or a bare number. No timestamp starts with
    // a token of digits alone other than a lone epoch number, which `readRest` reads.
    return readRest(text, undefined, 0, nowMs);
  }

  // A whole text that is a time is one, even when it starts with a word (`Mon Apr 14 …`).
  const wholeMs = parseTimestamp(joinTokens(text, 0), nowMs);
  if (wholeMs !== undefined) {
    return heartbeat(undefined, undefined, wholeMs);
  }

  if (!isLabel(text, end)) {
    // Neither a sequence number, nor a time, nor a label: `-3 …`, `3.5 …`.
    return malformed('bad sequence number', false);
  }

  const first = text.slice(0, end);
  const start = blanksEnd(text, end);
  if (start === length) {
    return heartbeat(first, undefined, undefined);
  }

  const rest = readRest(text, first, start, nowMs);
  // After a label, anything that is not a sequence number and a time is free text.
  return rest.kind === 'heartbeat'
    ? rest
    : heartbeat(first, undefined, undefined);
}

/**
 * The text from `start` on as an optional sequence number followed by an optional timestamp.
 * Strict: whatever else is malformed, for the caller to forgive after a label.
 */
function readRest(
  text: string,
  first: string | undefined,
  start: number,
  nowMs: number,
): ParsedRequest {
  const {length} = text;
  let end = tokenEnd(text, start);
  if (first === undefined) {
    // CSV-minded senders: `3,1764000000.5`, `4;2026-11-24 05:31:07`.
    const separator = digitsEnd(text, start);
    const code = text.codePointAt(separator);
    if (separator > start && (code === 0x2c || code === 0x3b)) {
      end = separator;
      const seq = readSeq(text, start, end);
      const next = blanksEnd(text, end + 1);
      const timestampMs =
        seq === undefined || next === length
          ? undefined
          : parseTimestamp(joinTokens(text, next), nowMs);
      if (seq === undefined) {
        return malformed('bad sequence number', false);
      }

      return timestampMs === undefined
        ? malformed('bad timestamp', false)
        : heartbeat(first, seq, timestampMs);
    }
  }

  const seq = readSeq(text, start, end);
  if (seq === undefined) {
    // Not a sequence number: the rest may still be a time alone (`Heartbeat 1764000000.5`).
    const timestampMs = parseTimestamp(joinTokens(text, start), nowMs);
    return timestampMs === undefined
      ? malformed('bad sequence number', false)
      : heartbeat(first, undefined, timestampMs);
  }

  const next = blanksEnd(text, end);
  if (next === length) {
    // A lone number near the server's clock is a time (`Ping 1795504759123`), not a sequence number.
    const digits = end - start;
    // Only 9 to 20 digits can be a time: a short sequence number is not sliced out to check.
    const epochMs =
      digits < 9 || digits > 20
        ? undefined
        : plausibleEpoch(
            digits === length ? text : text.slice(start, end),
            nowMs,
          );
    return epochMs === undefined
      ? heartbeat(first, seq, undefined)
      : heartbeat(first, undefined, epochMs);
  }

  const timestampMs = parseTimestamp(joinTokens(text, next), nowMs);
  return timestampMs === undefined
    ? malformed('bad timestamp', false)
    : heartbeat(first, seq, timestampMs);
}

function heartbeat(
  label: string | undefined,
  seq: number | undefined,
  timestampMs: number | undefined,
): Heartbeat {
  return {kind: 'heartbeat', label, seq, timestampMs};
}

/** Assumes valid UTF-8, where 0xC2 is always a lead byte: 0xC2 0x80–0x9F encodes U+0080–U+009F. */
function hasControlCharacter(payload: Uint8Array): boolean {
  const size = payload.length;
  for (let index = 0; index < size; index++) {
    const byte = payload[index]!;
    if (byte < 0x20) {
      if (byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) {
        return true;
      }
    } else if (byte === 0x7f) {
      return true;
    } else if (byte === 0xc2 && payload[index + 1]! < 0xa0) {
      return true;
    }
  }

  return false;
}

function isBlank(code: number): boolean {
  return code === 0x20 || code === 0x09;
}

function tokenEnd(text: string, start: number): number {
  let index = start;
  while (index < text.length && !isBlank(text.codePointAt(index)!)) {
    index++;
  }

  return index;
}

function blanksEnd(text: string, start: number): number {
  let index = start;
  while (index < text.length && isBlank(text.codePointAt(index)!)) {
    index++;
  }

  return index;
}

function digitsEnd(text: string, start: number): number {
  let index = start;
  while (index < text.length) {
    const code = text.codePointAt(index)!;
    if (code < 0x30 || code > 0x39) {
      break;
    }

    index++;
  }

  return index;
}

function isLabel(text: string, end: number): boolean {
  const code = text.codePointAt(0)!;
  // Cheap tests before slicing: most seed-client datagrams start with a digit.
  if ((code >= 0x30 && code <= 0x39) || end > 2 * maxLabelLength) {
    return false;
  }

  const token = end === text.length ? text : text.slice(0, end);
  if (!label.test(token) || numberWord.test(token)) {
    return false;
  }

  // At most 32 characters: code points, as a reader counts them, not UTF-16 units.
  if (end <= maxLabelLength) {
    return true;
  }

  let characters = 0;
  for (const _character of token) {
    characters++;
  }

  return characters <= maxLabelLength;
}

/** A decimal integer from 0 to Number.MAX_SAFE_INTEGER, or undefined. */
function readSeq(text: string, start: number, end: number): number | undefined {
  const digits = end - start;
  if (digits === 0 || digits > maxSeqDigits) {
    return undefined;
  }

  let value = 0;
  for (let index = start; index < end; index++) {
    const digit = text.codePointAt(index)! - 0x30;
    if (digit < 0 || digit > 9) {
      return undefined;
    }

    // Exact while below 2^53; a 16-digit value past it can only grow, so the check below holds.
    value = value * 10 + digit;
  }

  return value <= Number.MAX_SAFE_INTEGER ? value : undefined;
}

/** The tokens from `start` on, joined by one space, as timestamps are read. */
function joinTokens(text: string, start: number): string {
  const rest = start === 0 ? text : text.slice(start);
  return unevenBlanks.test(rest) ? rest.replaceAll(blankRun, ' ') : rest;
}
