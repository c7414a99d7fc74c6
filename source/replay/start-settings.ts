import type {ClientKeyMode} from '../store/client-key.js';
import {defaultMaxClients} from '../store/heartbeat-store.js';

/** What a replay needs to know of the run, read from the detail of its `start` row. */
export type StartSettings = {
  /** Where the run listened (`0.0.0.0:12000`), if the row says. */
  readonly listening: string | undefined;
  /** The simulated loss at the start, in percent. */
  readonly lossPercent: number;
  readonly seed: number | undefined;
  /** `--dead-after` in milliseconds; undefined for adaptive liveness. */
  readonly deadAfterMs: number | undefined;
  readonly maxClients: number;
  /**
   * `--client-key`, when the row says; undefined for a log older than that, whose clients' keys
   * tell it instead (a key without a port is a host).
   */
  readonly clientKey: ClientKeyMode | undefined;
};

/** Most clients a replay tracks, whatever a log claims: the most `--max-clients` allows. */
const maxReplayClients = 10_000_000;

/** The fields of a `key=value;key=value` detail. */
export function detailFields(detail: string | undefined): Map<string, string> {
  const fields = new Map<string, string>();
  for (const field of (detail ?? '').split(';')) {
    const equals = field.indexOf('=');
    if (equals > 0) {
      fields.set(field.slice(0, equals), field.slice(equals + 1));
    }
  }

  return fields;
}

/** A number followed by the unit the log writes (`40%`, `5s`), or undefined. */
export function numberWithUnit(
  text: string | undefined,
  unit: string,
): number | undefined {
  if (text?.endsWith(unit) !== true) {
    return undefined;
  }

  const value = Number(text.slice(0, text.length - unit.length));
  return text.length > unit.length && Number.isFinite(value)
    ? value
    : undefined;
}

/**
 * The run's settings from its `start` row. A setting the row lacks (a log older than it) takes
 * the server's default: such a log replays liveness and evictions as a run with the defaults.
 */
export function parseStartSettings(detail: string | undefined): StartSettings {
  const fields = detailFields(detail);
  const loss = numberWithUnit(fields.get('loss'), '%');
  const seed = Number(fields.get('seed'));
  const deadAfterSeconds = numberWithUnit(fields.get('dead_after'), 's');
  const maxClients = Number(fields.get('max_clients'));
  const clientKey = fields.get('client_key');
  return {
    listening: fields.get('listening'),
    lossPercent: loss !== undefined && loss >= 0 && loss <= 100 ? loss : 0,
    seed: Number.isSafeInteger(seed) && seed >= 0 ? seed : undefined,
    deadAfterMs:
      deadAfterSeconds !== undefined && deadAfterSeconds > 0
        ? deadAfterSeconds * 1000
        : undefined,
    maxClients:
      Number.isSafeInteger(maxClients) && maxClients >= 1
        ? Math.min(maxClients, maxReplayClients)
        : defaultMaxClients,
    clientKey:
      clientKey === 'address' || clientKey === 'host' || clientKey === 'name'
        ? clientKey
        : undefined,
  };
}
