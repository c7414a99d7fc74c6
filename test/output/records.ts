import assert from 'node:assert/strict';
import type {
  ClientRecord,
  EventName,
  HeartbeatEvent,
  Outcome,
} from '../../source/vocabulary.js';

/** Every event name, in the order the README lists them. */
export const allEvents: readonly EventName[] = [
  'start',
  'replied',
  'dropped',
  'malformed',
  'refused',
  'late',
  'stopped',
  'resumed',
  'evicted',
  'moved',
  'loss',
  'idle',
  'log-error',
  'summary',
  'stop',
];

/** Parses one JSON line that must hold an object. */
export function parseJsonObject(line: string): Record<string, unknown> {
  const value: unknown = JSON.parse(line);
  assert.ok(
    typeof value === 'object' && value !== null && !Array.isArray(value),
    line,
  );
  return Object.fromEntries(Object.entries(value));
}

/** An event with every optional field absent unless given. */
export function makeEvent(
  fields: Partial<HeartbeatEvent> & Pick<HeartbeatEvent, 'event'>,
): HeartbeatEvent {
  return {
    time: Date.UTC(2026, 10, 24, 6, 31, 7, 123),
    client: undefined,
    seq: undefined,
    delayMs: undefined,
    detail: undefined,
    state: undefined,
    ...fields,
  };
}

/** A plain object shaped like the store's client record. */
export function makeClient(
  fields: Partial<ClientRecord> & Pick<ClientRecord, 'key'>,
): ClientRecord {
  const [address = '', port = '0'] = fields.key.split(/:(?=\d+$)/v);
  const history: Outcome[] = [];
  return {
    address,
    port: Number(port),
    label: undefined,
    state: 'alive',
    received: 0,
    replied: 0,
    dropped: 0,
    lost: 0,
    duplicates: 0,
    reordered: 0,
    restarts: 0,
    malformed: 0,
    unanswered: 0,
    clockOffsetMs: undefined,
    droppedSinceReply: 0,
    lastSeq: undefined,
    delayLastMs: undefined,
    delayMinMs: undefined,
    delayAvgMs: undefined,
    delayMaxMs: undefined,
    jitterMs: undefined,
    intervalMeanMs: undefined,
    intervalStdDevMs: undefined,
    firstSeen: Date.UTC(2026, 10, 24, 6, 0, 0),
    lastSeen: Date.UTC(2026, 10, 24, 6, 30, 0),
    lastHeartbeat: undefined,
    lossPercent: undefined,
    history: () => history,
    ...fields,
  };
}
