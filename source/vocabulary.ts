/*
The words every layer shares: a heartbeat as the protocol reads it, liveness states, outcomes,
events and what a reader may see of a client. The bottom of the tree: the protocol, the store,
the engine, the UI and the outputs all import it, and it imports nothing of theirs
(docs/design.md, "Layers in lint").
*/

/** A datagram read as a heartbeat, as docs/protocol.md defines it. */
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

/** Why a datagram is malformed: the short reason of its error reply and its event. */
export type MalformedReason =
  | 'too long'
  | 'not UTF-8'
  | 'control character'
  | 'bad sequence number'
  | 'bad timestamp'
  | 'bad JSON'
  | 'bad name';

/** Liveness of one client, as docs/dashboard.md, "Liveness", defines it. */
export type Liveness = 'alive' | 'late' | 'stopped';

export const livenessStates: readonly Liveness[] = ['alive', 'late', 'stopped'];

/** One entry of a client's history strip. */
export type Outcome = 'replied' | 'dropped' | 'lost' | 'malformed';

/** Event names, the same in text, JSON and CSV output. */
export type EventName =
  | 'start'
  | 'replied'
  | 'dropped'
  | 'malformed'
  | 'refused'
  | 'late'
  | 'stopped'
  | 'resumed'
  | 'evicted'
  | 'moved'
  | 'loss'
  | 'reset'
  | 'forget'
  | 'idle'
  | 'log-error'
  | 'hook-error'
  | 'summary'
  | 'stop';

/** Events that are not state changes: `--quiet` leaves these out of headless output. */
export const chattyEvents: ReadonlySet<EventName> = new Set([
  'replied',
  'dropped',
]);

/** One event: a row of the CSV log, a line of text or JSON output. */
export type HeartbeatEvent = {
  /** Milliseconds since the epoch. */
  readonly time: number;
  readonly event: EventName;
  /** The client's display key (`192.0.2.7:5000`, `[2001:db8::1]:5000`), or undefined for server events. */
  readonly client: string | undefined;
  readonly seq: number | undefined;
  readonly delayMs: number | undefined;
  /** The client's name, where its heartbeats give it one (docs/protocol.md, "Names"). */
  readonly name?: string | undefined;
  /**
   * The client's latest address and port (`192.0.2.7:5000`) where its key is a name
   * (`--client-key name`), so a log still says where it sent from.
   */
  readonly address?: string | undefined;
  /** Whatever else the event carries, as `key=value;key=value` or a short phrase. */
  readonly detail: string | undefined;
  /** The client's liveness after the event, where the event concerns a client. */
  readonly state: Liveness | undefined;
  /** For a state change (`late`, `stopped`, `resumed`): the state the client left. */
  readonly previousState?: Liveness;
  /** For a state change: how long the client had been silent, in milliseconds. */
  readonly silentMs?: number;
  /**
   * The time zone offset that `delayMs` is net of (the client's `clockOffsetMs`), where the
   * event has a delay and the client's clock keeps another time zone.
   */
  readonly clockOffsetMs?: number | undefined;
};

/** Receives every event as it happens. Must not throw and must not block: it runs on the packet path. */
export type EventSink = (event: HeartbeatEvent) => void;

/**
 * What the dashboard, the outputs and the summary may read of one client. The store owns the
 * mutable record; readers never write to it and never keep it across a reset or forget.
 */
export type ClientRecord = {
  /** Display key: `address:port`, IPv6 in brackets, IPv4-mapped IPv6 shown as plain IPv4. */
  readonly key: string;
  readonly address: string;
  /** The source port; 0 under `--client-key host`, where every port of the address is one client. */
  readonly port: number;
  /** The label of the latest heartbeat (`Ping`, `Heartbeat`), if any. */
  readonly label: string | undefined;
  /**
   * The name the client's structured heartbeats give it (`boiler-room`), if any: 1 to 64
   * printable characters. Shown in place of the address; under `--client-key name` also its key.
   */
  readonly name?: string | undefined;
  /** The other fields of its latest structured heartbeat that had any, for its detail view. */
  readonly fields?: ReadonlyArray<readonly [string, string]> | undefined;
  readonly state: Liveness;

  /** Every datagram received, malformed ones included (duplicates and reordered too). */
  readonly received: number;
  /** Replies sent, of every kind: seed, echo, JSON and error. */
  readonly replied: number;
  /** Replies the loss simulation dropped, of every kind. */
  readonly dropped: number;
  /** Error replies held back by their rate limit. replied + dropped + unanswered = received. */
  readonly unanswered: number;
  /** Sequence numbers that never arrived (net of reordered ones that arrived late). */
  readonly lost: number;
  readonly duplicates: number;
  readonly reordered: number;
  readonly restarts: number;
  readonly malformed: number;
  /**
   * How far the client's clock runs ahead of the server's, in milliseconds, when it keeps the time
   * of another time zone (a whole number of quarter hours; -19800000 is 5:30 behind); undefined
   * when it keeps the server's. Every delay of the client is net of it.
   */
  readonly clockOffsetMs: number | undefined;
  /** Replies dropped since the last reply that was sent: the N of the seed reply. */
  readonly droppedSinceReply: number;
  readonly lastSeq: number | undefined;

  /** Server receive time minus the client's timestamp, in milliseconds. Undefined until a heartbeat carries a timestamp. */
  readonly delayLastMs: number | undefined;
  readonly delayMinMs: number | undefined;
  readonly delayAvgMs: number | undefined;
  readonly delayMaxMs: number | undefined;
  /** RFC 3550 interarrival jitter of the delay, in milliseconds. */
  readonly jitterMs: number | undefined;
  /** Mean and standard deviation of the last 100 arrival intervals, in milliseconds; undefined before two heartbeats. */
  readonly intervalMeanMs: number | undefined;
  readonly intervalStdDevMs: number | undefined;

  /** Milliseconds since the epoch. */
  readonly firstSeen: number;
  /** Time of the latest datagram of any kind from this client. */
  readonly lastSeen: number;
  /** Time of the latest well-formed heartbeat, undefined if none. */
  readonly lastHeartbeat: number | undefined;

  /** Loss as the client sees it, in percent: (dropped + lost) / (received + lost); undefined with nothing received. */
  readonly lossPercent: number | undefined;
  /** The most recent outcomes, oldest first (at most `historyLength`). */
  history(): Outcome[];
};

/** How many outcomes the history strip keeps per client. */
export const historyLength = 24;

/** Counters for the whole server, for the header and the summary. */
export type ServerTotals = {
  readonly received: number;
  readonly replied: number;
  readonly dropped: number;
  readonly malformed: number;
  /** Error replies held back by their rate limit. */
  readonly unanswered: number;
  readonly refused: number;
  readonly evicted: number;
};
