import type {FlagTable} from './flag-table.js';

/** The bundled client's flags, read, listed in `--help` and checked from this one table. */
export const clientFlags = {
  host: {type: 'string', help: 'server address (default 127.0.0.1)'},
  port: {type: 'string', shortFlag: 'p', help: 'server port (default 12000)'},
  interval: {type: 'string', help: 'seconds between heartbeats (default 1)'},
  count: {
    type: 'string',
    shortFlag: 'c',
    help: 'heartbeats to send (default: until Ctrl+C)',
  },
  timeout: {
    type: 'string',
    help: 'seconds to wait for each reply (default 1)',
  },
  format: {type: 'string', help: 'seed, ping or heartbeat (default seed)'},
  clients: {
    type: 'string',
    help: 'clients at once, each with its own socket (default 1)',
  },
} as const satisfies FlagTable;
