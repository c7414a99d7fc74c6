/*
The engine's interface: everything a reader (the dashboard, headless output, the exit summary,
metrics, alert hooks, the detail view, a replay) may know of the engine, as plain data that can
cross a thread (structured clone: no functions, no classes, no live records), and every command it
takes. See docs/design.md.
*/
import type {
  ClientRecord,
  HeartbeatEvent,
  Liveness,
  Outcome,
  ServerTotals,
} from '../vocabulary.js';

/** Columns a view can be sorted by, in the order `s` cycles through them. */
export const sortColumns = [
  'client',
  'state',
  'received',
  'loss',
  'delay',
  'interval',
  'lastSeen',
] as const;

export type SortColumn = (typeof sortColumns)[number];

/** Which rows a reader wants: the order, the filter, and the window into the sorted list. */
export type ViewQuery = {
  readonly sort: SortColumn;
  readonly descending: boolean;
  /** A substring of the client key, matched without regard to case; empty keeps every client. */
  readonly filter: string;
  /** Index of the first row wanted in the sorted, filtered list (clamped by the engine). */
  readonly start: number;
  /** Rows wanted from `start`; 0 for none (headless readers ask for none). */
  readonly count: number;
  /** A client whose detail travels in every snapshot while it is named (the detail view). */
  readonly detail?: string | undefined;
  /** How many of the most recently seen clients' rows to carry (per-client metrics); 0 for none. */
  readonly recent?: number;
};

/** One client's figures at the snapshot's time: a plain copy, never the store's record. */
export type ClientRow = Omit<ClientRecord, 'history'> & {
  /** The most recent outcomes, oldest first. */
  readonly history: readonly Outcome[];
};

/** The rows a view asked for. */
export type RowWindow = {
  readonly rows: readonly ClientRow[];
  /** Index of the first row in the sorted, filtered list (the query's start, clamped). */
  readonly start: number;
  /** How many clients the filter keeps, shown or not. */
  readonly total: number;
};

/** A change of a client's liveness, for the detail view. */
export type StateChange = {readonly time: number; readonly state: Liveness};

/** What the detail view draws of the client the view names. */
export type ClientDetail = {
  readonly row: ClientRow;
  /** Its latest state changes, oldest first (a small bounded ring). */
  readonly stateChanges: readonly StateChange[];
  /** Its last (up to) 100 delays in milliseconds, oldest first; quantized to about 0.1 %. */
  readonly delaysMs: readonly number[];
  /** Its last (up to) 100 arrival intervals in milliseconds, oldest first. */
  readonly intervalsMs: readonly number[];
};

/** Counters for the whole server: the store's, and the sequence numbers lost. */
export type EngineTotals = ServerTotals & {readonly lost: number};

/**
 * Delays of every heartbeat with a timestamp, as a Prometheus histogram wants them: fixed upper
 * bounds in seconds, a count per bucket (not cumulative; the last bucket is +Inf), the sum in
 * seconds and the count. Since the start: a reset does not clear it (Prometheus counters never go
 * down).
 */
export type DelayHistogram = {
  readonly boundsSeconds: readonly number[];
  /** `boundsSeconds.length + 1` counts; the last is for delays above every bound. */
  readonly counts: readonly number[];
  readonly sumSeconds: number;
  readonly count: number;
};

/** What does not change while the engine runs. */
export type EngineInfo = {
  /** Where it listens, as shown: `0.0.0.0:12000`, `[::]:12000`. */
  readonly listening: string;
  /** The same with a note when the default port was busy: `0.0.0.0:12001 (port 12000 was busy)`. */
  readonly listeningNote: string;
  readonly port: number;
  readonly requestedPort: number;
  readonly startedAt: number;
  readonly session: string;
  readonly seed: number;
  readonly logFile: string | undefined;
};

/** Everything a reader may know, at one moment. Published at the frame rate and after every command. */
export type EngineSnapshot = {
  /** Goes up by one with every snapshot published. */
  readonly sequence: number;
  /** How many commands the engine had applied when it took this snapshot. */
  readonly commandsApplied: number;
  /** The engine's clock at the snapshot: ages and uptime count from it. */
  readonly time: number;
  readonly info: EngineInfo;
  readonly lossPercent: number;
  /** True once the loss was changed while running (the header highlights it). */
  readonly lossChanged: boolean;
  /** The latest log write error, if any. */
  readonly logError: string | undefined;
  /** The latest alert hook failure the host recorded, if any. */
  readonly hookError: string | undefined;
  /** Alert hooks muted (`m`). */
  readonly muted: boolean;
  /** Milliseconds of silence while the idle prompt should show; undefined when it should not. */
  readonly idleSilenceMs: number | undefined;
  readonly clientCount: number;
  readonly countByState: Readonly<Record<Liveness, number>>;
  readonly heartbeatsPerSecond: number;
  /** Since the last reset (what the table shows). */
  readonly totals: EngineTotals;
  /**
   * Since the start, across resets (what metrics and the summary count); `gapsFound` counts every
   * sequence number found missing, never lowered when one arrives late (a Prometheus counter).
   */
  readonly runTotals: EngineTotals & {readonly gapsFound: number};
  /** When counters were reset, oldest first (the latest 100). */
  readonly resets: readonly number[];
  readonly delayHistogram: DelayHistogram;
  /** The query the window answers. */
  readonly query: ViewQuery;
  /** True when the window comes from the copy `freeze` took: the engine goes on recording. */
  readonly frozen: boolean;
  /** Time of the frozen copy, if frozen: its ages count from it. */
  readonly frozenAt: number | undefined;
  readonly window: RowWindow;
  /** The most recently seen clients' rows, newest first, when the query asks for them. */
  readonly recent: readonly ClientRow[];
  /** The detail of the client the query names, while it is tracked. */
  readonly detail: ClientDetail | undefined;
};

/** What readers may ask of the engine. Every command publishes a fresh snapshot. */
export type EngineCommand =
  | {readonly type: 'set-loss'; readonly percent: number}
  | {readonly type: 'reset'}
  | {readonly type: 'forget-stopped'}
  | {readonly type: 'view'; readonly query: ViewQuery}
  | {readonly type: 'freeze'; readonly frozen: boolean}
  | {readonly type: 'dismiss-idle'}
  | {readonly type: 'mute'; readonly muted: boolean}
  /** SIGUSR1: the log is closed and opened again at its path (after logrotate moved it). */
  | {readonly type: 'reopen-log'}
  /** An alert hook failed on the host: a `hook-error` event (log, output, header). */
  | {
      readonly type: 'hook-error';
      readonly detail: string;
      readonly client?: string | undefined;
    };

/** Why the engine stopped without being asked: its thread died or threw. */
export type EngineFailure = {readonly message: string};

/** What the engine hands back when it stops: the last snapshot and the clients for the summary. */
export type EngineFinal = {
  readonly snapshot: EngineSnapshot;
  readonly endedAt: number;
  /** The first clients by key (at most `summaryClients`), for the exit table. */
  readonly clients: readonly ClientRow[];
};

/** An event a host hears (`onEvents`): any but the per-heartbeat `replied` and `dropped`. */
export type NotableEvent = HeartbeatEvent;

/** The engine as a host holds it, whichever thread it runs on. */
export type EngineHandle = {
  readonly info: EngineInfo;
  /** For `useSyncExternalStore`: called after each snapshot is published. */
  subscribe(listener: () => void): () => void;
  /** The latest snapshot published. */
  getSnapshot(): EngineSnapshot;
  send(command: EngineCommand): void;
  /** Notable events, in order, in batches, on the host's thread. */
  onEvents(listener: (events: readonly NotableEvent[]) => void): () => void;
  /** Called once if the engine fails (its thread dies); `stop` then settles with the last snapshot. */
  onFailure(listener: (failure: EngineFailure) => void): () => void;
  /**
   * Stops receiving, closes the socket, records the summary events and `stop`, flushes and closes
   * the log; resolves with what the exit summary prints. Idempotent; never rejects.
   */
  stop(): Promise<EngineFinal>;
};
