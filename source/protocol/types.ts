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
};

export type MalformedReason =
  | 'too long'
  | 'not UTF-8'
  | 'control character'
  | 'bad sequence number'
  | 'bad timestamp';

export type Malformed = {
  readonly kind: 'malformed';
  readonly reason: MalformedReason;
  /**
   * Not UTF-8, or holding a control character: bytes, not text. A binary pinger sends these and
   * wants them back byte for byte; text that is malformed draws an error reply instead.
   */
  readonly binary: boolean;
};

/** `--reply`: how the server answers. `auto` picks `seed` or `echo` per request. */
export type ReplyMode = 'auto' | 'seed' | 'echo' | 'json';

export const replyModes: readonly ReplyMode[] = [
  'auto',
  'seed',
  'echo',
  'json',
];

/** Largest request payload in bytes; anything longer is malformed. */
export const maxRequestBytes = 1024;
