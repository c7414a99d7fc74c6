/** What a datagram turned out to be, as docs/protocol.md defines it. */
export type ParsedRequest = Heartbeat | Malformed;

export type Heartbeat = {
  readonly kind: 'heartbeat';
  /** The optional first word (`Ping`, `Heartbeat`, `PyHB`, `Привет`), kept for display; it chooses the reply under `auto`. */
  readonly label: string | undefined;
  /** 0 to Number.MAX_SAFE_INTEGER. */
  readonly seq: number | undefined;
  /** The client's timestamp in milliseconds since the epoch, sub-millisecond fraction kept. */
  readonly timestampMs: number | undefined;
  /** A structured heartbeat's form: it chooses the reply under `auto`. Absent for plain text. */
  readonly format?: StructuredFormat;
  /** The name a structured heartbeat gives its client: 1 to 64 printable characters, trimmed. */
  readonly name?: string | undefined;
  /** A structured heartbeat's other keys and values, in order, bounded and cut (`maxFields`). */
  readonly fields?: ReadonlyArray<readonly [key: string, value: string]>;
};

/** The structured heartbeats of docs/protocol.md: one JSON object, or logfmt `key=value` pairs. */
export type StructuredFormat = 'json' | 'logfmt';

/** A structured heartbeat keeps at most this many other fields, keys and values cut to these lengths. */
export const maxFields = 8;
export const maxFieldKeyLength = 32;
export const maxFieldValueLength = 64;
/** A client's name: at most this many characters. */
export const maxNameLength = 64;

export type MalformedReason =
  | 'too long'
  | 'not UTF-8'
  | 'control character'
  | 'bad sequence number'
  | 'bad timestamp'
  | 'bad JSON'
  | 'bad name';

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
