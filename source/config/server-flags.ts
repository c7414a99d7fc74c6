import type {FlagTable, FlagValues} from './flag-table.js';

/**
 * The server's flags: meow reads them from this table, `--help` lists them from it, and the
 * unknown-flag and repeated-flag checks use it. A new flag is one line here (and its check in
 * `parseServerFlags`).
 */
export const serverFlags = {
  port: {
    type: 'string',
    shortFlag: 'p',
    help: 'UDP port, 1024-65535 (default 12000; when it is busy the next free one is used)',
  },
  host: {
    type: 'string',
    help: 'address to listen on; :: listens on IPv6 and IPv4 (default 0.0.0.0)',
  },
  loss: {
    type: 'string',
    shortFlag: 'l',
    aliases: ['packetloss'],
    help: 'simulated loss in percent, 0-100 (default 40)',
  },
  idleTimeout: {
    type: 'string',
    help: 'seconds without any heartbeat before asking to shut down; 0 is off (default 60)',
  },
  deadAfter: {
    type: 'string',
    help: 'seconds of silence after which a client is stopped (default: adaptive)',
  },
  log: {
    type: 'string',
    help: 'append every event to this CSV file (default: none)',
  },
  output: {
    type: 'string',
    help: 'tui, text or json (default: tui on a terminal, else text)',
  },
  reply: {
    type: 'string',
    help: 'reply format: auto, seed, echo, json or logfmt (default auto)',
  },
  maxClients: {
    type: 'string',
    help: 'most clients tracked; the longest silent is forgotten (default 100000)',
  },
  allow: {
    type: 'string',
    help: 'comma-separated CIDR blocks allowed to send (default: everyone)',
  },
  seed: {
    type: 'string',
    help: 'seed for the loss simulation, 0-4294967295 (default: random)',
  },
  quiet: {
    type: 'boolean',
    shortFlag: 'q',
    help: 'headless output keeps only state changes and the summary',
  },
  demo: {
    type: 'string',
    placeholder: '[N]',
    help: 'also run N simulated clients on loopback (default 5)',
  },
  clientKey: {
    type: 'string',
    help: 'tell clients apart by address (and port), host (address alone) or name (the name their heartbeats carry) (default address)',
  },
  metrics: {
    type: 'string',
    placeholder: '[HOST:]PORT',
    help: 'serve Prometheus metrics at http://HOST:PORT/metrics; HOST defaults to 127.0.0.1 (default: off)',
  },
  metricsClients: {
    type: 'string',
    placeholder: 'N',
    help: 'with --metrics, per-client series for the N clients seen most recently (default 0)',
  },
  control: {
    type: 'string',
    placeholder: '[PATH]',
    help: 'serve a control socket that udp-heartbeat attach draws the dashboard from (default: off; PATH defaults to $XDG_RUNTIME_DIR/udp-heartbeat/PORT.sock)',
  },
  onChange: {
    type: 'string',
    placeholder: 'COMMAND',
    help: 'run COMMAND through the shell when a client changes state; details in HEARTBEAT_* variables',
  },
  webhook: {
    type: 'string',
    placeholder: 'URL',
    help: 'POST a JSON object to this http(s) URL when a client changes state',
  },
  alertOn: {
    type: 'string',
    help: 'state changes that fire --on-change and --webhook: late, stopped, resumed (default stopped,resumed)',
  },
  hookTimeout: {
    type: 'string',
    help: 'seconds one --on-change run or --webhook try may take (default 10)',
  },
  color: {
    type: 'boolean',
    negatable: true,
    help: 'colour on or off (default: on a terminal, off when NO_COLOR is set)',
  },
} as const satisfies FlagTable;

/** The server's flags as meow hands them over: numbers stay strings so bad ones get a clear message. */
export type RawServerFlags = FlagValues<typeof serverFlags>;
