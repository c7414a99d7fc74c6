import type {ClientRecord, Liveness, ServerTotals} from '../vocabulary.js';

/** The read side of the store: what the dashboard, outputs and summary may use. */
export type StoreView = {
  /** Goes up on every change; a reader that saw the same version has nothing new to draw. */
  readonly version: number;
  readonly clientCount: number;
  readonly totals: ServerTotals;
  /** Clients by liveness, maintained as they change (O(1)). */
  countByState(): Readonly<Record<Liveness, number>>;
  /** Every tracked client, least recently seen first. */
  clients(): IterableIterator<ClientRecord>;
  get(key: string): ClientRecord | undefined;
  /** Heartbeats per second over the last few seconds. */
  heartbeatsPerSecond(now: number): number;
  /** Time of the latest datagram from an allowed source, or undefined before the first. */
  readonly lastActivity: number | undefined;
};
