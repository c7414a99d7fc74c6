import type {
  Heartbeat,
  MalformedReason,
  StructuredFormat,
} from '../vocabulary.js';

/** What a datagram turned out to be, as docs/protocol.md defines it. */
export type ParsedRequest = Heartbeat | Malformed;

/** A structured heartbeat keeps at most this many other fields, keys and values cut to these lengths. */
export const maxFields = 8;
export const maxFieldKeyLength = 32;
export const maxFieldValueLength = 64;
/** A client's name: at most this many characters. */
export const maxNameLength = 64;

export type Malformed = {
  readonly kind: 'malformed';
  readonly reason: MalformedReason;
  /**
   * Not UTF-8, or holding a control character: bytes, not text. A binary pinger sends these and
   * wants them back byte for byte; text that is malformed draws an error reply instead.
   */
  readonly binary: boolean;
  /** A JSON or logfmt payload that could not be read: its error reply, under `auto`, is in that form. */
  readonly format?: StructuredFormat;
};

/**
 * `--reply`: how the server answers. `auto` picks `seed`, `echo`, `json` or `logfmt` per request.
 */
export type ReplyMode = 'auto' | 'seed' | 'echo' | 'json' | 'logfmt';

export const replyModes: readonly ReplyMode[] = [
  'auto',
  'seed',
  'echo',
  'json',
  'logfmt',
];

/** Largest request payload in bytes; anything longer is malformed. */
export const maxRequestBytes = 1024;
