import type {AlertHooksStatus} from '../alerts/alert-hooks.js';
import type {ClientRow, EngineSnapshot} from '../engine/types.js';
import type {ClientMetrics, MetricsReading} from './metrics.js';

function clientMetrics(row: ClientRow): ClientMetrics {
  return {
    client: row.key,
    name: row.name,
    state: row.state,
    received: row.received,
    lossRatio:
      row.lossPercent === undefined ? undefined : row.lossPercent / 100,
    delaySeconds:
      row.delayLastMs === undefined ? undefined : row.delayLastMs / 1000,
    lastSeen: row.lastSeen,
  };
}

/** What a scrape reads: the engine's latest snapshot and what the alert hooks have done. */
export function metricsReading(
  snapshot: EngineSnapshot,
  hooks: AlertHooksStatus | undefined,
): MetricsReading {
  const totals = snapshot.runTotals;
  return {
    clientsByState: snapshot.countByState,
    totals: {
      received: totals.received,
      replied: totals.replied,
      dropped: totals.dropped,
      lost: totals.gapsFound,
      malformed: totals.malformed,
      refused: totals.refused,
      evicted: totals.evicted,
      unanswered: totals.unanswered,
      alertsDropped: hooks?.dropped ?? 0,
      hookErrors: hooks?.failed ?? 0,
    },
    lossRatio: snapshot.lossPercent / 100,
    delay: snapshot.delayHistogram,
    clients: snapshot.recent.map((row) => clientMetrics(row)),
  };
}
