import type {ClientRecord} from '../vocabulary.js';
import type {ClientRow} from './types.js';

/** A plain copy of a record: what crosses to readers, never the store's own object. */
export function toClientRow(record: ClientRecord): ClientRow {
  return {
    key: record.key,
    address: record.address,
    port: record.port,
    label: record.label,
    name: record.name,
    fields: record.fields,
    state: record.state,
    received: record.received,
    replied: record.replied,
    dropped: record.dropped,
    lost: record.lost,
    duplicates: record.duplicates,
    reordered: record.reordered,
    restarts: record.restarts,
    malformed: record.malformed,
    unanswered: record.unanswered,
    droppedSinceReply: record.droppedSinceReply,
    lastSeq: record.lastSeq,
    delayLastMs: record.delayLastMs,
    delayMinMs: record.delayMinMs,
    delayAvgMs: record.delayAvgMs,
    delayMaxMs: record.delayMaxMs,
    jitterMs: record.jitterMs,
    intervalMeanMs: record.intervalMeanMs,
    intervalStdDevMs: record.intervalStdDevMs,
    firstSeen: record.firstSeen,
    lastSeen: record.lastSeen,
    lastHeartbeat: record.lastHeartbeat,
    lossPercent: record.lossPercent,
    clockOffsetMs: record.clockOffsetMs,
    history: record.history(),
  };
}

/** A row seen as a record again, for code written against records (the exit summary). */
export function rowRecord(row: ClientRow): ClientRecord {
  return {...row, history: () => [...row.history]};
}
