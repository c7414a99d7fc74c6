import {FlagError} from '../config/flag-error.js';
import {
  parseChoiceFlag,
  parseNumberFlag,
  type NumberRange,
} from '../config/parse-number-flag.js';
import {payloadFormats, type PayloadFormat} from './payload.js';

/** The client's flags as meow hands them over: numbers stay strings so bad ones get a clear message. */
export type RawClientFlags = {
  readonly host?: string;
  readonly port?: string;
  readonly interval?: string;
  readonly count?: string;
  readonly timeout?: string;
  readonly format?: string;
  readonly clients?: string;
};

export type ClientOptions = {
  /** A name or an address; names are resolved once when the run starts. */
  readonly host: string;
  readonly port: number;
  /** Seconds between two heartbeats of one client. */
  readonly intervalSeconds: number;
  /** Heartbeats per client; undefined sends until interrupted. */
  readonly count: number | undefined;
  /** Seconds to wait for a reply before a heartbeat counts as timed out. */
  readonly timeoutSeconds: number;
  readonly format: PayloadFormat;
  /** How many clients run at once, each with its own socket. */
  readonly clients: number;
};

/** What each flag means when it is left out; `--help` shows these. */
export const clientDefaults = {
  host: '127.0.0.1',
  port: 12_000,
  intervalSeconds: 1,
  timeoutSeconds: 1,
  format: 'seed',
  clients: 1,
} as const satisfies Omit<ClientOptions, 'count'>;

const countRange: NumberRange = {
  min: 1,
  max: Number.MAX_SAFE_INTEGER,
  integer: true,
  allowed: 'a whole number of heartbeats, 1 or more',
};

function parseHost(raw: string | undefined): string {
  if (raw === undefined) {
    return clientDefaults.host;
  }

  // `[::1]` is how IPv6 addresses are written next to a port; accept it as the bare address.
  const host = raw.trim().replace(/^\[(?<address>[^\]]*)\]$/v, '$<address>');
  if (host === '' || /\s/v.test(host)) {
    throw new FlagError(
      'host',
      raw,
      'a host name or an IPv4 or IPv6 address, such as 127.0.0.1',
    );
  }

  return host;
}

/** A numeric flag, or its default when it is left out. */
function numberFlag(
  flag: string,
  raw: string | undefined,
  fallback: number,
  range: NumberRange,
): number {
  return raw === undefined ? fallback : parseNumberFlag(flag, raw, range);
}

/** Validates every client flag; throws FlagError on the first bad one, before any socket opens. */
export function parseClientFlags(flags: RawClientFlags): ClientOptions {
  return {
    host: parseHost(flags.host),
    port: numberFlag('port', flags.port, clientDefaults.port, {
      min: 1,
      max: 65_535,
      integer: true,
    }),
    intervalSeconds: numberFlag(
      'interval',
      flags.interval,
      clientDefaults.intervalSeconds,
      {min: 0.001, max: 3600, allowed: 'seconds from 0.001 to 3600'},
    ),
    count:
      flags.count === undefined
        ? undefined
        : parseNumberFlag('count', flags.count, countRange),
    timeoutSeconds: numberFlag(
      'timeout',
      flags.timeout,
      clientDefaults.timeoutSeconds,
      {min: 0.001, max: 60, allowed: 'seconds from 0.001 to 60'},
    ),
    format:
      flags.format === undefined
        ? clientDefaults.format
        : parseChoiceFlag('format', flags.format, payloadFormats),
    clients: numberFlag('clients', flags.clients, clientDefaults.clients, {
      min: 1,
      max: 1000,
      integer: true,
    }),
  };
}
