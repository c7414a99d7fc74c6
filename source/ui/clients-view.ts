import type {Liveness, ServerTotals} from '../store/types.js';
import type {RowSource} from './select-rows.js';
import {snapshotClients} from './snapshot-clients.js';
import type {DashboardSource} from './types.js';

/** The client data one frame shows: live from the store, or a frozen copy of it. */
export type ClientsView = {
  /** The clock reading that ages and uptime count from. */
  readonly now: number;
  readonly clients: RowSource;
  readonly clientCount: number;
  readonly countByState: Readonly<Record<Liveness, number>>;
  readonly heartbeatsPerSecond: number;
  /** A copy of the server's counters (malformed, refused, evicted …) at this frame. */
  readonly totals: ServerTotals;
  /** True for a copy taken by `p`: the store goes on recording underneath. */
  readonly frozen: boolean;
};

/** What the store holds now; its records keep changing after this returns. */
export function liveView(source: DashboardSource, now: number): ClientsView {
  const {store} = source;
  return {
    now,
    clients: store,
    clientCount: store.clientCount,
    countByState: {...store.countByState()},
    heartbeatsPerSecond: store.heartbeatsPerSecond(now),
    totals: {...store.totals},
    frozen: false,
  };
}

/** A copy of every client that nothing changes any more: what `p` shows until pressed again. */
export function frozenView(source: DashboardSource): ClientsView {
  const now = source.clock();
  const copies = snapshotClients(source.store.clients());
  return {
    ...liveView(source, now),
    clients: {clients: () => copies},
    clientCount: copies.length,
    frozen: true,
  };
}
