import type {HeartbeatEvent} from '../vocabulary.js';
import {formatIsoTime} from './format-time.js';

/** Wide enough for the longest event names (`malformed`, `log-error`), so columns line up. */
const eventWidth = 10;
/** Wide enough for any IPv4 client (`255.255.255.255:65535`); IPv6 clients push the line out. */
const clientWidth = 21;

/** The CSV log's columns, in order; a JSON line has these and `state`. */
export const eventColumns = [
  'session',
  'time',
  'event',
  'client',
  'seq',
  'delay_ms',
  'detail',
] as const;

/** A delay in milliseconds with three decimals (microseconds), the precision the clocks give. */
export function formatDelayMs(delayMs: number): string {
  return delayMs.toFixed(3);
}

/**
 * Control characters (newlines, escape sequences) can reach a detail from a datagram; in a text
 * line they would split the line or drive the terminal, so they are shown escaped.
 */
// eslint-disable-next-line no-control-regex
const controlCharacters = /[\u0000-\u001F\u007F-\u009F]/gv;

function escapeControl(text: string): string {
  return text.replaceAll(controlCharacters, (character) => {
    switch (character) {
      case '\n': {
        return String.raw`\n`;
      }

      case '\r': {
        return String.raw`\r`;
      }

      case '\t': {
        return String.raw`\t`;
      }

      default: {
        return (
          String.raw`\x` +
          character.codePointAt(0)!.toString(16).padStart(2, '0')
        );
      }
    }
  });
}

/**
 * Whether the detail already says the state (a summary's does, for the CSV log that has no state
 * column): then a text line says it once.
 */
function detailStates(detail: string | undefined, state: string): boolean {
  // The cheap test first: most events (every replied line) carry no state in the detail.
  if (!detail?.includes('state=')) {
    return false;
  }

  return detail.split(';').includes(`state=${state}`);
}

/**
 * One line for people (`--output text`), without a trailing newline:
 * `2026-11-24T06:31:07.123+00:00  replied    127.0.0.1:5000         seq=7 delay=0.412ms lost_in_between=0 state=alive`.
 * Absent fields are left out. State changes say how long the client was silent:
 * `late       127.0.0.1:5000         silent_ms=232 state=late`.
 */
export function formatEventText(event: HeartbeatEvent): string {
  let line = `${formatIsoTime(event.time)}  ${event.event.padEnd(eventWidth)}`;
  const fields: string[] = [];
  if (event.seq !== undefined) {
    fields.push(`seq=${event.seq}`);
  }

  if (event.delayMs !== undefined) {
    fields.push(`delay=${formatDelayMs(event.delayMs)}ms`);
  }

  if (event.detail !== undefined && event.detail !== '') {
    fields.push(escapeControl(event.detail));
  }

  // A client's name is its own text: quoted when it holds a blank or a quote, so the line still
  // splits into fields; it never holds a control character (docs/protocol.md, "Names").
  if (event.name !== undefined && event.name !== event.client) {
    fields.push(`name=${quoteValue(event.name)}`);
  }

  if (event.address !== undefined) {
    fields.push(`address=${escapeControl(event.address)}`);
  }

  if (event.state !== undefined && !detailStates(event.detail, event.state)) {
    fields.push(`state=${event.state}`);
  }

  // A hook's failure is about a client, named or not: its line keeps the client column.
  const clientText =
    event.client ?? (event.event === 'hook-error' ? '-' : undefined);
  if (clientText !== undefined) {
    const client = escapeControl(
      event.client !== undefined && event.client === event.name
        ? quoteValue(event.client)
        : clientText,
    );
    line += `  ${fields.length > 0 ? client.padEnd(clientWidth) : client}`;
  }

  return fields.length > 0 ? `${line}  ${fields.join(' ')}` : line;
}

const needsQuotes = /[\s"\\=]/v;

/** A value as logfmt writes it: bare, or quoted with `\"` and `\\` where it must be. */
function quoteValue(text: string): string {
  return needsQuotes.test(text) ? JSON.stringify(text) : text;
}

/** Three decimals as a JSON number; a value JSON cannot hold (NaN, Infinity) counts as absent. */
function jsonDelay(delayMs: number | undefined): number | undefined {
  if (delayMs === undefined || !Number.isFinite(delayMs)) {
    return undefined;
  }

  return Math.round(delayMs * 1000) / 1000;
}

/** The version of the JSON line format, in every line's `v`: 2 made `detail` an object. */
export const jsonLineVersion = 2;

export type JsonDetail = Record<string, string | number | boolean>;

const detailField = /^(?<name>[a-z][\da-z_]*)=(?<value>.*)$/sv;
const detailFlag = /^[a-z][\da-z_]*$/v;
const detailNumber = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+\-]?\d+)?$/iv;

function typedValue(text: string): string | number | boolean {
  if (detailNumber.test(text)) {
    const number = Number(text);
    if (Number.isFinite(number)) {
      return number;
    }
  }

  return text === 'true' || text === 'false' ? text === 'true' : text;
}

/**
 * An event's `key=value;key=value` detail as an object of typed fields, for JSON:
 * `received=10;loss_pct=9.1` is `{"received": 10, "loss_pct": 9.1}`. A bare word (`unanswered`) is
 * `true`; free text (a malformed datagram's reason, a hook's failure) is `message`; a `;` inside a
 * value stays in it.
 */
export function detailObject(detail: string): JsonDetail {
  const object: JsonDetail = {};
  let last: string | undefined;
  for (const part of detail.split(';')) {
    const field = detailField.exec(part);
    if (field?.groups !== undefined) {
      last = field.groups.name!;
      object[last] = typedValue(field.groups.value!);
    } else if (detailFlag.test(part)) {
      last = undefined;
      object[part] = true;
    } else if (last === undefined) {
      last = 'message';
      object.message =
        object.message === undefined
          ? part
          : `${String(object.message)};${part}`;
    } else {
      // A value with a `;` in it: the text is kept as it was.
      object[last] = `${String(object[last])};${part}`;
    }
  }

  return object;
}

/**
 * One JSON object (`--output json`), without a trailing newline: `v` (the line format's version),
 * the CSV's fields (`session,time,event,client,seq,delay_ms,detail`) and `state`, absent values as
 * null, then a named client's `name` and, where its key is that name, its `address`. `detail` is
 * an object of typed fields (see detailObject); text and CSV keep `k=v;k=v`.
 */
export function formatEventJson(
  event: HeartbeatEvent,
  session: string,
): string {
  return JSON.stringify({
    v: jsonLineVersion,
    session,
    time: formatIsoTime(event.time),
    event: event.event,
    client: event.client ?? null,
    seq: event.seq ?? null,
    delay_ms: jsonDelay(event.delayMs) ?? null,
    detail:
      event.detail === undefined || event.detail === ''
        ? null
        : detailObject(event.detail),
    state: event.state ?? null,
    ...(event.name === undefined ? {} : {name: event.name}),
    ...(event.address === undefined ? {} : {address: event.address}),
  });
}
