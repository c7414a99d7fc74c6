import type {
  Heartbeat,
  MalformedReason,
  StructuredFormat,
} from '../vocabulary.js';
import {parseTimestamp} from './parse-timestamp.js';
import {
  maxFieldKeyLength,
  maxFields,
  maxFieldValueLength,
  maxNameLength,
  type Malformed,
  type ParsedRequest,
} from './types.js';

/*
 * Structured heartbeats (docs/protocol.md, "Structured heartbeats"): one JSON object, or logfmt
 * `key=value` pairs. The same keys are read from either; values may be numbers or strings.
 */

// Keys in the order that decides which wins when a heartbeat holds more than one of a list.
const seqKeys = [
  'seq',
  'seqno',
  'seq_no',
  'sequence',
  'sequence_number',
  'counter',
  'count',
  'n',
];
const timeKeys = [
  'ts',
  'time',
  'timestamp',
  't',
  'sent',
  'sent_at',
  'sent_time',
];
const nameKeys = [
  'id',
  'name',
  'device',
  'device_id',
  'host',
  'hostname',
  'node',
  'client',
  'client_id',
];

/** JSON objects and arrays nested deeper than this are not read. */
export const maxJsonDepth = 4;

// Control characters, format characters (bidi overrides, zero-width), lone surrogates and line or
// paragraph separators: none may stand in a name that is drawn on a terminal.
const unprintable = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/v;
const unprintableGlobal = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/gv;
const digitsOnly = /^\d{1,16}$/v;
const blankRun = /[\t ]+/gv;

const malformedJson = new Map<MalformedReason, Malformed>();
const malformedLogfmt = new Map<MalformedReason, Malformed>();
for (const reason of [
  'bad JSON',
  'bad sequence number',
  'bad timestamp',
  'bad name',
] as const) {
  malformedJson.set(
    reason,
    Object.freeze({kind: 'malformed', reason, binary: false, format: 'json'}),
  );
  malformedLogfmt.set(
    reason,
    Object.freeze({
      kind: 'malformed',
      reason,
      binary: false,
      format: 'logfmt',
    }),
  );
}

function malformed(
  reason: MalformedReason,
  format: StructuredFormat,
): Malformed {
  return (format === 'json' ? malformedJson : malformedLogfmt).get(reason)!;
}

/**
 * Whether a trimmed payload is to be read as JSON: it starts with `{`. One cut short (`{"seq":1,`)
 * is then `bad JSON`, answered in JSON under `auto`; no token-rule datagram starts with `{`.
 */
export function looksLikeJson(text: string): boolean {
  return text.codePointAt(0) === 0x7b;
}

/**
 * Reads a trimmed payload that `looksLikeJson` as one JSON object. Never throws.
 * @param nowMs The server's clock, as the timestamp forms need it.
 */
export function parseJsonHeartbeat(text: string, nowMs: number): ParsedRequest {
  if (!withinDepth(text, maxJsonDepth)) {
    return malformed('bad JSON', 'json');
  }

  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return malformed('bad JSON', 'json');
  }

  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return malformed('bad JSON', 'json');
  }

  const pairs: Array<[string, unknown]> = Object.entries(value);
  return readPairs(pairs, 'json', nowMs);
}

/**
 * Reads a trimmed payload as logfmt when every token of it is `key=value` (a value bare or
 * double-quoted with `\"` and `\\` escapes); undefined when it is not logfmt, for the token rules
 * to read. Never throws.
 */
export function parseLogfmtHeartbeat(
  text: string,
  nowMs: number,
): ParsedRequest | undefined {
  const pairs = tokenizeLogfmt(text);
  return pairs === undefined ? undefined : readPairs(pairs, 'logfmt', nowMs);
}

/**
 * logfmt pairs in order, or undefined when the text holds anything else: a bare word, an
 * unterminated quote, a key that breaks the key pattern. Written here rather than taken from a
 * package: the npm `logfmt` parser reads a bare word as `word=true` and drops backslashes from
 * keys, where this must tell logfmt from a label and free text exactly.
 */
export function tokenizeLogfmt(
  text: string,
): Array<[string, string]> | undefined {
  const {length} = text;
  const pairs: Array<[string, string]> = [];
  let index = 0;
  while (index < length) {
    if (!isKeyStart(text.codePointAt(index)!)) {
      return undefined;
    }

    const keyStart = index;
    index++;
    while (index < length && isKeyPart(text.codePointAt(index)!)) {
      index++;
    }

    if (text[index] !== '=') {
      return undefined;
    }

    const key = text.slice(keyStart, index);
    index++;
    let value: string;
    if (text[index] === '"') {
      index++;
      let unquoted = '';
      let closed = false;
      while (index < length) {
        const character = text[index]!;
        if (character === '"') {
          closed = true;
          index++;
          break;
        }

        if (
          character === '\\' &&
          (text[index + 1] === '"' || text[index + 1] === '\\')
        ) {
          unquoted += text[index + 1];
          index += 2;
        } else {
          unquoted += character;
          index++;
        }
      }

      if (!closed) {
        return undefined;
      }

      value = unquoted;
    } else {
      const valueStart = index;
      while (
        index < length &&
        text[index] !== ' ' &&
        text[index] !== '\t' &&
        text[index] !== '"' &&
        text[index] !== '='
      ) {
        index++;
      }

      value = text.slice(valueStart, index);
    }

    if (index < length && text[index] !== ' ' && text[index] !== '\t') {
      // `a=b=c`, `a="x"y`: not logfmt.
      return undefined;
    }

    pairs.push([key, value]);
    while (index < length && (text[index] === ' ' || text[index] === '\t')) {
      index++;
    }
  }

  return pairs.length === 0 ? undefined : pairs;
}

/** `[A-Za-z_]`: character codes compared, not a pattern run per character. */
function isKeyStart(code: number): boolean {
  return (
    (code >= 0x61 && code <= 0x7a) ||
    (code >= 0x41 && code <= 0x5a) ||
    code === 0x5f
  );
}

/** `[A-Za-z0-9_.-]`. */
function isKeyPart(code: number): boolean {
  return (
    isKeyStart(code) ||
    (code >= 0x30 && code <= 0x39) ||
    code === 0x2e ||
    code === 0x2d
  );
}

const seqList = 0;
const timeList = 1;
const nameList = 2;
/** Each known key, lower-cased: its list and its rank in it, as `list * 16 + rank`. */
const keyRanks = new Map<string, number>();
for (const [list, keys] of [seqKeys, timeKeys, nameKeys].entries()) {
  for (const [rank, key] of keys.entries()) {
    keyRanks.set(key, list * 16 + rank);
  }
}

/**
 * The sequence number, time and name by their key lists; every other key a field. One pass over
 * the pairs keeps, for each list, the value of its best-ranked key (a JSON `null` counts as
 * absent; of one key given twice, the first): no map is built per datagram.
 */
function readPairs(
  pairs: ReadonlyArray<readonly [string, unknown]>,
  format: StructuredFormat,
  nowMs: number,
): ParsedRequest {
  const values: unknown[] = [undefined, undefined, undefined];
  const ranks = [16, 16, 16];
  let fields: Array<readonly [string, string]> | undefined;
  for (const [key, value] of pairs) {
    const code = keyRanks.get(key.toLowerCase());
    if (code === undefined) {
      fields ??= [];
      if (fields.length < maxFields) {
        fields.push([
          printable(cut(key, maxFieldKeyLength)),
          printable(cut(fieldText(value), maxFieldValueLength)),
        ]);
      }
    } else if (value !== null && value !== undefined) {
      const list = code >> 4;
      const rank = code & 15;
      if (rank < ranks[list]!) {
        ranks[list] = rank;
        values[list] = value;
      }
    }
  }

  const seqValue = values[seqList];
  let seq: number | undefined;
  if (seqValue !== undefined) {
    seq = readSeq(seqValue);
    if (seq === undefined) {
      return malformed('bad sequence number', format);
    }
  }

  const timeValue = values[timeList];
  let timestampMs: number | undefined;
  if (timeValue !== undefined) {
    timestampMs = readTime(timeValue, nowMs);
    if (timestampMs === undefined) {
      return malformed('bad timestamp', format);
    }
  }

  const nameValue = values[nameList];
  let name: string | undefined;
  if (nameValue !== undefined) {
    name = readName(nameValue);
    if (name === undefined) {
      return malformed('bad name', format);
    }
  }

  const heartbeat: {-readonly [K in keyof Heartbeat]: Heartbeat[K]} = {
    kind: 'heartbeat',
    label: undefined,
    seq,
    timestampMs,
    format,
  };
  if (name !== undefined) {
    heartbeat.name = name;
  }

  if (fields !== undefined) {
    heartbeat.fields = fields;
  }

  return heartbeat;
}

/** A decimal integer from 0 to Number.MAX_SAFE_INTEGER, as a number or a string of digits. */
function readSeq(value: unknown): number | undefined {
  let seq: number;
  if (typeof value === 'number') {
    seq = value;
  } else if (typeof value === 'string' && digitsOnly.test(value)) {
    seq = Number(value);
  } else {
    return undefined;
  }

  return Number.isSafeInteger(seq) && seq >= 0 ? seq : undefined;
}

/** Any timestamp form; a number is read by its count of integer digits, as a string would be. */
function readTime(value: unknown, nowMs: number): number | undefined {
  let text: string;
  if (typeof value === 'number') {
    // Up to 1e21 JavaScript writes every integer digit; a double keeps a nanosecond time to
    // within a quarter of a microsecond, well inside what a delay shows.
    if (!Number.isFinite(value) || value < 0 || value >= 1e21) {
      return undefined;
    }

    text = String(value);
  } else if (typeof value === 'string') {
    text = value.trim().replaceAll(blankRun, ' ');
  } else {
    return undefined;
  }

  return parseTimestamp(text, nowMs);
}

/** 1 to 64 printable characters once trimmed, from a string or a number. */
export function readName(value: unknown): string | undefined {
  let text: string;
  if (typeof value === 'string') {
    text = value.trim();
  } else if (typeof value === 'number' && Number.isFinite(value)) {
    text = String(value);
  } else {
    return undefined;
  }

  if (text.length === 0 || text.length > 2 * maxNameLength) {
    return undefined;
  }

  if (unprintable.test(text)) {
    return undefined;
  }

  let characters = 0;
  for (const _character of text) {
    characters++;
  }

  return characters <= maxNameLength ? text : undefined;
}

/** A field's value as text: strings as they are, anything else as JSON writes it. */
function fieldText(value: unknown): string {
  if (typeof value === 'string') {
    return value;
  }

  // Parsed JSON and logfmt hold no cycles, functions or BigInts: stringify cannot throw here.
  return JSON.stringify(value) ?? 'null';
}

/** At most `max` characters, cut at a code point. */
function cut(text: string, max: number): string {
  if (text.length <= max) {
    return text;
  }

  let end = 0;
  let characters = 0;
  for (const character of text) {
    if (characters === max) {
      break;
    }

    characters++;
    end += character.length;
  }

  return text.slice(0, end);
}

/** Control and format characters become `?`: a field is shown, never acted on by a terminal. */
function printable(text: string): string {
  return unprintable.test(text)
    ? text.replaceAll(unprintableGlobal, '?')
    : text;
}

/** Whether JSON text nests objects and arrays at most `max` deep, strings skipped. */
function withinDepth(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const character = text[index]!;
    if (inString) {
      if (character === '\\') {
        index++;
      } else if (character === '"') {
        inString = false;
      }

      continue;
    }

    switch (character) {
      case '"': {
        inString = true;
        break;
      }

      case '{':
      case '[': {
        depth++;
        if (depth > max) {
          return false;
        }

        break;
      }

      case '}':
      case ']': {
        depth--;
        break;
      }

      default: {
        break;
      }
    }
  }

  return true;
}
