import {isIP} from 'node:net';
import {FlagError} from './flag-error.js';
import {parseNumberFlag} from './parse-number-flag.js';

/** Where `--metrics` serves: `http://host:port/metrics`. */
export type MetricsAddress = {
  readonly host: string;
  readonly port: number;
};

/** The state changes that may fire `--on-change` and `--webhook`. */
export type AlertState = 'late' | 'stopped' | 'resumed';
export const alertStates: readonly AlertState[] = [
  'late',
  'stopped',
  'resumed',
];
export const defaultAlertOn: readonly AlertState[] = ['stopped', 'resumed'];

/** What the fleet flags ask for, validated. */
export type FleetOptions = {
  readonly metrics: MetricsAddress | undefined;
  /** Per-client series for the N most recently seen clients; 0 for none. */
  readonly metricsClients: number;
  readonly onChange: string | undefined;
  /** The URL, checked; kept as text so the options can cross to the engine's thread. */
  readonly webhook: string | undefined;
  readonly alertOn: readonly AlertState[];
  /** Time limit of one hook run or webhook try. */
  readonly hookTimeoutMs: number;
};

export type RawFleetFlags = {
  readonly metrics?: string;
  readonly metricsClients?: string;
  readonly onChange?: string;
  readonly webhook?: string;
  readonly alertOn?: string;
  readonly hookTimeout?: string;
};

const metricsAllowed =
  '[HOST:]PORT, such as 9464, 127.0.0.1:9464 or [::1]:9464 (PORT 1-65535)';

/** `9464`, `127.0.0.1:9464`, `[::1]:9464`, `0.0.0.0:9464`; HOST defaults to loopback. */
export function parseMetricsAddress(raw: string): MetricsAddress {
  const text = raw.trim();
  let host = '127.0.0.1';
  let portText = text;
  const bracketed = /^\[(?<host>[^\]]+)\]:(?<port>[^:]*)$/v.exec(text);
  if (bracketed?.groups) {
    host = bracketed.groups.host!;
    portText = bracketed.groups.port!;
  } else if (text.includes(':')) {
    const colon = text.lastIndexOf(':');
    host = text.slice(0, colon);
    portText = text.slice(colon + 1);
    if (host === 'localhost') {
      host = '127.0.0.1';
    }

    // An IPv6 address needs brackets, or its last group would read as the port.
    if (isIP(host) !== 4) {
      throw new FlagError('metrics', raw, metricsAllowed);
    }
  }

  if (isIP(host) === 0) {
    throw new FlagError('metrics', raw, metricsAllowed);
  }

  if (!/^\d{1,5}$/v.test(portText)) {
    throw new FlagError('metrics', raw, metricsAllowed);
  }

  const port = Number(portText);
  if (port < 1 || port > 65_535) {
    throw new FlagError('metrics', raw, metricsAllowed);
  }

  return {host, port};
}

/** `stopped,resumed`: any of late, stopped and resumed, at least one. */
export function parseAlertOn(raw: string): ReadonlySet<AlertState> {
  const allowed = `a comma-separated list of ${alertStates.join(', ')}`;
  const names = raw
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '');
  if (names.length === 0) {
    throw new FlagError('alert-on', raw, allowed);
  }

  const chosen = new Set<AlertState>();
  for (const name of names) {
    const state = alertStates.find((candidate) => candidate === name);
    if (state === undefined) {
      throw new FlagError('alert-on', raw, allowed);
    }

    chosen.add(state);
  }

  return chosen;
}

/** An absolute http or https URL. */
export function parseWebhook(raw: string): URL {
  const allowed =
    'an http:// or https:// URL, such as http://127.0.0.1:8080/hook';
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new FlagError('webhook', raw, allowed);
  }

  if (
    (url.protocol !== 'http:' && url.protocol !== 'https:') ||
    url.hostname === ''
  ) {
    throw new FlagError('webhook', raw, allowed);
  }

  return url;
}

/** Validates the metrics and alert flags; throws FlagError on the first bad one. */
export function parseFleetFlags(flags: RawFleetFlags): FleetOptions {
  if (flags.onChange?.trim() === '') {
    throw new FlagError(
      'on-change',
      flags.onChange,
      'a shell command, such as \'notify-send "$HEARTBEAT_CLIENT $HEARTBEAT_STATE"\'',
    );
  }

  const metrics =
    flags.metrics === undefined
      ? undefined
      : parseMetricsAddress(flags.metrics);
  const metricsClients =
    flags.metricsClients === undefined
      ? 0
      : parseNumberFlag('metrics-clients', flags.metricsClients, {
          min: 0,
          max: 10_000,
          integer: true,
        });
  if (metricsClients > 0 && metrics === undefined) {
    throw new FlagError(
      'metrics-clients',
      flags.metricsClients!,
      'to be given with --metrics [HOST:]PORT',
    );
  }

  return {
    metrics,
    metricsClients,
    onChange: flags.onChange,
    webhook:
      flags.webhook === undefined
        ? undefined
        : parseWebhook(flags.webhook).href,
    alertOn:
      flags.alertOn === undefined
        ? defaultAlertOn
        : [...parseAlertOn(flags.alertOn)],
    hookTimeoutMs:
      flags.hookTimeout === undefined
        ? 10_000
        : parseNumberFlag('hook-timeout', flags.hookTimeout, {
            min: 0.1,
            max: 600,
            allowed: 'seconds from 0.1 to 600',
          }) * 1000,
  };
}
