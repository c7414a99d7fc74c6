import type {ClientRecord, Liveness, Outcome} from '../store/types.js';

/**
 * A copy of one record that the store can no longer change: what a frozen display reads. Fields are
 * copied one by one (not spread) because the store's records may keep them behind getters, and into
 * a class so that 100000 copies share one shape and one `history` method (a closure per copy measured
 * several times slower).
 */
export class FrozenRecord implements ClientRecord {
  readonly key: string;
  readonly address: string;
  readonly port: number;
  readonly label: string | undefined;
  readonly state: Liveness;
  readonly received: number;
  readonly replied: number;
  readonly dropped: number;
  readonly lost: number;
  readonly duplicates: number;
  readonly reordered: number;
  readonly restarts: number;
  readonly malformed: number;
  readonly unanswered: number;
  readonly clockOffsetMs: number | undefined;
  readonly droppedSinceReply: number;
  readonly lastSeq: number | undefined;
  readonly delayLastMs: number | undefined;
  readonly delayMinMs: number | undefined;
  readonly delayAvgMs: number | undefined;
  readonly delayMaxMs: number | undefined;
  readonly jitterMs: number | undefined;
  readonly intervalMeanMs: number | undefined;
  readonly intervalStdDevMs: number | undefined;
  readonly firstSeen: number;
  readonly lastSeen: number;
  readonly lastHeartbeat: number | undefined;
  readonly lossPercent: number | undefined;
  readonly #history: readonly Outcome[];

  constructor(record: ClientRecord) {
    this.key = record.key;
    this.address = record.address;
    this.port = record.port;
    this.label = record.label;
    this.state = record.state;
    this.received = record.received;
    this.replied = record.replied;
    this.dropped = record.dropped;
    this.lost = record.lost;
    this.duplicates = record.duplicates;
    this.reordered = record.reordered;
    this.restarts = record.restarts;
    this.malformed = record.malformed;
    this.unanswered = record.unanswered;
    this.clockOffsetMs = record.clockOffsetMs;
    this.droppedSinceReply = record.droppedSinceReply;
    this.lastSeq = record.lastSeq;
    this.delayLastMs = record.delayLastMs;
    this.delayMinMs = record.delayMinMs;
    this.delayAvgMs = record.delayAvgMs;
    this.delayMaxMs = record.delayMaxMs;
    this.jitterMs = record.jitterMs;
    this.intervalMeanMs = record.intervalMeanMs;
    this.intervalStdDevMs = record.intervalStdDevMs;
    this.firstSeen = record.firstSeen;
    this.lastSeen = record.lastSeen;
    this.lastHeartbeat = record.lastHeartbeat;
    this.lossPercent = record.lossPercent;
    this.#history = record.history();
  }

  history(): Outcome[] {
    return [...this.#history];
  }
}

/** Copies of every client, in the store's order. */
export function snapshotClients(
  records: Iterable<ClientRecord>,
): readonly ClientRecord[] {
  const copies: ClientRecord[] = [];
  for (const record of records) {
    copies.push(new FrozenRecord(record));
  }

  return copies;
}
