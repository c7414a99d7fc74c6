import {isUtf8} from 'node:buffer';
import {parseTimestamp} from './parse-timestamp.js';
import {
  maxRequestBytes,
  type Heartbeat,
  type Malformed,
  type MalformedReason,
  type ParsedRequest,
} from './types.js';

/*
 * Runs once per datagram, tens of thousands of times a second: it scans bytes and character codes
 * by hand, slices only the tokens it keeps, and returns shared frozen objects for every malformed
 * result, so junk that fails the byte checks allocates nothing at all.
 */

const label = /^[A-Za-z][\w\-]{0,31}$/v;
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
const malformedBytes = new Map<MalformedReason, Malformed>();
for (const reason of [
  'too long',
  'not UTF-8',
  'control character',
  'bad sequence number',
  'bad timestamp',
] as const) {
  malformedText.set(
    reason,
    Object.freeze({kind: 'malformed', reason, isText: true}),
  );
  malformedBytes.set(
    reason,
    Object.freeze({kind: 'malformed', reason, isText: false}),
  );
}

function malformed(reason: MalformedReason, isText: boolean): Malformed {
  return (isText ? malformedText : malformedBytes).get(reason)!;
}

/**
 * Reads one heartbeat datagram as PROTOCOL.md defines it. Never throws.
 *
 * Control characters are C0 (other than tab, CR and LF), DEL, and also C1 (U+0080–U+009F): no
 * client has a reason to send them, and some terminals act on them (U+009B starts an escape
 * sequence), so a label or an echoed text could otherwise carry one towards a screen.
 */
export function parseRequest(payload: Uint8Array): ParsedRequest {
  const size = payload.length;
  if (size > maxRequestBytes) {
    return malformed('too long', isUtf8(payload));
  }

  if (!isUtf8(payload)) {
    return malformed('not UTF-8', false);
  }

  if (hasControlCharacter(payload)) {
    return malformed('control character', true);
  }

  const text = decoder.decode(payload).trim();
  const {length} = text;
  if (length === 0) {
    return bareHeartbeat;
  }

  let end = tokenEnd(text, 0);
  let start = 0;
  let first: string | undefined;
  if (isLabel(text, end)) {
    first = text.slice(0, end);
    start = blanksEnd(text, end);
    if (start === length) {
      return heartbeat(first, undefined, undefined);
    }

    end = tokenEnd(text, start);
  }

  const seq = readSeq(text, start, end);
  if (seq === undefined) {
    // Not a sequence number: the rest may still be a time alone (`Heartbeat 1764000000.5`).
    const timestampMs = parseTimestamp(joinTokens(text, start));
    if (timestampMs !== undefined) {
      return heartbeat(first, undefined, timestampMs);
    }

    // A bare ctime() time starts with a word that looks like a label (`Mon Apr 14 …`).
    if (first !== undefined) {
      const wholeMs = parseTimestamp(joinTokens(text, 0));
      if (wholeMs !== undefined) {
        return heartbeat(undefined, undefined, wholeMs);
      }
    }

    return malformed('bad sequence number', true);
  }

  const rest = blanksEnd(text, end);
  if (rest === length) {
    return heartbeat(first, seq, undefined);
  }

  const timestampMs = parseTimestamp(joinTokens(text, rest));
  return timestampMs === undefined
    ? malformed('bad timestamp', true)
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

function isLabel(text: string, end: number): boolean {
  const code = text.codePointAt(0)! | 0x20;
  // Cheap first-letter test before slicing: most seed-client datagrams start with a digit.
  if (code < 0x61 || code > 0x7a || end > 32) {
    return false;
  }

  const token = end === text.length ? text : text.slice(0, end);
  return label.test(token) && !numberWord.test(token);
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

/** The tokens from `start` on, joined by one space as PROTOCOL.md says. */
function joinTokens(text: string, start: number): string {
  const rest = start === 0 ? text : text.slice(start);
  return unevenBlanks.test(rest) ? rest.replaceAll(blankRun, ' ') : rest;
}
