#!/usr/bin/env node
// First: React reads NODE_ENV when it loads.
// eslint-disable-next-line import-x/no-unassigned-import, import-x/order
import './source/production-mode.js';
import process from 'node:process';
import meow from 'meow';
import {parseClientFlags} from './source/client/client-options.js';
import {runClient} from './source/client/run-client.js';
import {FlagError} from './source/config/flag-error.js';
import {
  parseServerFlags,
  type ServerOptions,
} from './source/config/server-options.js';
import {LogOpenError} from './source/output/csv-log.js';
import {BindError} from './source/server/bind-socket.js';

const serverHelp = `
  Usage
    $ udp-heartbeat [flags]          serve heartbeats, with a live dashboard on a terminal
    $ udp-heartbeat client [flags]   send heartbeats (udp-heartbeat client --help)
    $ udp-heartbeat replay FILE      play a --log file back (udp-heartbeat replay --help)

  Flags
    --port, -p        UDP port, 1024-65535 (default 12000; when it is busy the next free one is used)
    --host            address to listen on; :: listens on IPv6 and IPv4 (default 0.0.0.0)
    --loss, -l        simulated loss in percent, 0-100 (default 40); alias --packetloss
    --idle-timeout    seconds without any heartbeat before asking to shut down; 0 is off (default 60)
    --dead-after      seconds of silence after which a client is stopped (default: adaptive)
    --log             append every event to this CSV file (default: none)
    --output          tui, text or json (default: tui on a terminal, else text)
    --reply           reply format: auto, seed, echo or json (default auto)
    --max-clients     most clients tracked; the longest silent is forgotten (default 100000)
    --allow           comma-separated CIDR blocks allowed to send (default: everyone)
    --seed            seed for the loss simulation, 0-4294967295 (default: random)
    --quiet, -q       headless output keeps only state changes and the summary
    --demo [N]        also run N simulated clients on loopback (default 5)
    --client-key      tell clients apart by address (and port) or host (address alone) (default address)
    --help            show this help
    --version         show the version

  Examples
    $ udp-heartbeat --demo
    $ udp-heartbeat --port 12000 --loss 10 --log heartbeats.csv
    $ udp-heartbeat --output json --quiet > events.jsonl
`;

const clientHelp = `
  Usage
    $ udp-heartbeat client [flags]

  Flags
    --host        server address (default 127.0.0.1)
    --port, -p    server port (default 12000)
    --interval    seconds between heartbeats (default 1)
    --count, -c   heartbeats to send (default: until Ctrl+C)
    --timeout     seconds to wait for each reply (default 1)
    --format      seed, ping or heartbeat (default seed)
    --clients     clients at once, each with its own socket (default 1)

  Examples
    $ udp-heartbeat client --count 10
    $ udp-heartbeat client --format ping --interval 0.2 --clients 3
`;

/** A message the user can act on, without a stack trace. */
function fail(message: string, exitCode: number): never {
  process.stderr.write(`udp-heartbeat: ${message}\n`);
  process.exit(exitCode);
}

async function clientCommand(argv: readonly string[]): Promise<void> {
  const cli = meow(clientHelp, {
    importMeta: import.meta,
    argv,
    allowUnknownFlags: false,
    flags: {
      host: {type: 'string'},
      port: {type: 'string', shortFlag: 'p'},
      interval: {type: 'string'},
      count: {type: 'string', shortFlag: 'c'},
      timeout: {type: 'string'},
      format: {type: 'string'},
      clients: {type: 'string'},
    },
  });
  if (cli.input.length > 0) {
    fail(`unexpected argument ${JSON.stringify(cli.input[0])} (see --help)`, 2);
  }

  let options;
  try {
    options = parseClientFlags(cli.flags);
  } catch (error) {
    if (error instanceof FlagError) {
      fail(error.message, 2);
    }

    throw error;
  }

  const abort = new AbortController();
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      abort.abort();
    });
  }

  const report = await runClient(options, {
    write(line) {
      process.stdout.write(`${line}\n`);
    },
    signal: abort.signal,
  });
  process.exitCode = report.received > 0 ? 0 : 1;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv[0] === 'client') {
    await clientCommand(argv.slice(1));
    return;
  }

  if (argv[0] === 'replay') {
    // Loaded only to replay, as serving loads only what serving needs.
    const {replayCommand} = await import('./source/replay/replay-command.js');
    process.exitCode = await replayCommand(argv.slice(1));
    return;
  }

  const cli = meow(serverHelp, {
    importMeta: import.meta,
    argv,
    allowUnknownFlags: false,
    flags: {
      port: {type: 'string', shortFlag: 'p'},
      host: {type: 'string'},
      loss: {type: 'string', shortFlag: 'l', aliases: ['packetloss']},
      idleTimeout: {type: 'string'},
      deadAfter: {type: 'string'},
      log: {type: 'string'},
      output: {type: 'string'},
      reply: {type: 'string'},
      maxClients: {type: 'string'},
      allow: {type: 'string'},
      seed: {type: 'string'},
      quiet: {type: 'boolean', shortFlag: 'q'},
      demo: {type: 'string'},
      clientKey: {type: 'string'},
    },
  });
  if (cli.input.length > 0) {
    fail(`unexpected argument ${JSON.stringify(cli.input[0])} (see --help)`, 2);
  }

  let options: ServerOptions;
  try {
    options = parseServerFlags(cli.flags, {
      interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
    });
  } catch (error) {
    if (error instanceof FlagError) {
      fail(error.message, 2);
    }

    throw error;
  }

  try {
    // Loaded only to serve: the client never pays for the engine and its outputs.
    const {serve} = await import('./source/serve.js');
    await serve(options);
  } catch (error) {
    if (error instanceof LogOpenError) {
      fail(error.message, 2);
    }

    if (error instanceof BindError) {
      fail(error.message, 1);
    }

    throw error;
  }
}

// Nothing reaches the user as a stack trace: an unexpected failure is one line and exit code 70.
process.on('uncaughtException', (error) => {
  fail(`internal error: ${error.message}`, 70);
});
try {
  await main();
} catch (error: unknown) {
  fail(
    `internal error: ${error instanceof Error ? error.message : String(error)}`,
    70,
  );
}
