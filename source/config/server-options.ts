import {isIP} from 'node:net';
import {replyModes, type ReplyMode} from '../protocol/types.js';
import {defaultPort} from '../server/bind-socket.js';
import {parseAllowList, type AllowList} from '../server/allow-list.js';
import {clientKeyModes, type ClientKeyMode} from '../store/client-key.js';
import {parseFleetFlags, type FleetOptions} from './fleet-options.js';
import {FlagError} from './flag-error.js';
import {parseChoiceFlag, parseNumberFlag} from './parse-number-flag.js';
import {resolveColor, type ColorEnvironment} from './color.js';
import type {RawServerFlags} from './server-flags.js';

export type OutputMode = 'tui' | 'text' | 'json';
export const outputModes: readonly OutputMode[] = ['tui', 'text', 'json'];

export type {RawServerFlags} from './server-flags.js';

export type ServerOptions = FleetOptions & {
  readonly port: number;
  /** The user named the port: no fallback to the next ones. */
  readonly explicitPort: boolean;
  readonly host: string;
  readonly lossPercent: number;
  readonly idleTimeoutMs: number;
  readonly deadAfterMs: number | undefined;
  readonly logPath: string | undefined;
  readonly output: OutputMode;
  /** Why the output is not what was asked for, if it is not (a dashboard without a terminal). */
  readonly outputNote: string | undefined;
  readonly replyMode: ReplyMode;
  readonly maxClients: number;
  readonly allow: AllowList | undefined;
  readonly seed: number | undefined;
  readonly quiet: boolean;
  /** How many demo clients to start; 0 for none. */
  readonly demoClients: number;
  /** `--client-key`: tell clients apart by address and port, by address alone, or by name. */
  readonly clientKey: ClientKeyMode;
  /**
   * `--control`: a control socket for `attach`; `path` undefined for the default place (which
   * depends on the port bound). Undefined when off.
   */
  readonly control: {readonly path: string | undefined} | undefined;
  /** Whether to colour output (the dashboard, the exit summary), decided once at start. */
  readonly color: boolean;
};

export type Terminal = {
  /** Standard input and output are both terminals. */
  readonly interactive: boolean;
  /** What decides colour when no colour flag is given; without it, colour is off. */
  readonly colorEnvironment?: ColorEnvironment;
};

export const defaultDemoClients = 5;

function parseHost(raw: string | undefined): string {
  if (raw === undefined) {
    return '0.0.0.0';
  }

  const host = raw.trim();
  if (host === 'localhost') {
    return '127.0.0.1';
  }

  if (isIP(host) === 0) {
    throw new FlagError(
      'host',
      raw,
      'an IPv4 or IPv6 address to listen on, such as 0.0.0.0, 127.0.0.1 or ::',
    );
  }

  return host;
}

function parseOutput(
  raw: string | undefined,
  terminal: Terminal,
): Pick<ServerOptions, 'output' | 'outputNote'> {
  if (raw === undefined) {
    return {
      output: terminal.interactive ? 'tui' : 'text',
      outputNote: undefined,
    };
  }

  const output = parseChoiceFlag('output', raw, outputModes);
  if (output === 'tui' && !terminal.interactive) {
    return {
      output: 'text',
      outputNote:
        '--output tui needs a terminal on standard input and output; writing text lines instead',
    };
  }

  return {output, outputNote: undefined};
}

/** Validates every server flag; throws FlagError on the first bad one, before anything is bound. */
export function parseServerFlags(
  flags: RawServerFlags,
  terminal: Terminal,
): ServerOptions {
  const port =
    flags.port === undefined
      ? defaultPort
      : parseNumberFlag('port', flags.port, {
          min: 1024,
          max: 65_535,
          integer: true,
        });
  const idleSeconds =
    flags.idleTimeout === undefined
      ? 60
      : parseNumberFlag('idle-timeout', flags.idleTimeout, {
          min: 0,
          max: 604_800,
          allowed: 'seconds from 0 (off) to 604800',
        });
  const deadAfterSeconds =
    flags.deadAfter === undefined
      ? undefined
      : parseNumberFlag('dead-after', flags.deadAfter, {
          min: 0.01,
          max: 604_800,
          allowed: 'seconds from 0.01 to 604800',
        });
  if (flags.log?.trim() === '') {
    throw new FlagError('log', flags.log, 'a file path for the CSV event log');
  }

  return {
    ...parseFleetFlags(flags),
    port,
    explicitPort: flags.port !== undefined,
    host: parseHost(flags.host),
    lossPercent:
      flags.loss === undefined
        ? 40
        : parseNumberFlag('loss', flags.loss, {
            min: 0,
            max: 100,
            allowed: 'a percentage from 0 to 100 (decimals allowed)',
          }),
    idleTimeoutMs: idleSeconds * 1000,
    deadAfterMs:
      deadAfterSeconds === undefined ? undefined : deadAfterSeconds * 1000,
    logPath: flags.log,
    ...parseOutput(flags.output, terminal),
    replyMode:
      flags.reply === undefined
        ? 'auto'
        : parseChoiceFlag('reply', flags.reply, replyModes),
    maxClients:
      flags.maxClients === undefined
        ? 100_000
        : parseNumberFlag('max-clients', flags.maxClients, {
            min: 1,
            max: 10_000_000,
            integer: true,
          }),
    allow: flags.allow === undefined ? undefined : parseAllowList(flags.allow),
    seed:
      flags.seed === undefined
        ? undefined
        : parseNumberFlag('seed', flags.seed, {
            min: 0,
            max: 4_294_967_295,
            integer: true,
          }),
    quiet: flags.quiet ?? false,
    demoClients:
      flags.demo === undefined
        ? 0
        : flags.demo === ''
          ? defaultDemoClients
          : parseNumberFlag('demo', flags.demo, {
              min: 1,
              max: 1000,
              integer: true,
            }),
    clientKey:
      flags.clientKey === undefined
        ? 'address'
        : parseChoiceFlag('client-key', flags.clientKey, clientKeyModes),
    control:
      flags.control === undefined
        ? undefined
        : {path: flags.control === '' ? undefined : flags.control},
    color: resolveColor(
      flags.color,
      terminal.colorEnvironment ?? {env: {}, isTTY: false},
    ),
  };
}
