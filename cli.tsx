#!/usr/bin/env node
// First: React reads NODE_ENV when it loads.
// eslint-disable-next-line import-x/no-unassigned-import
import './source/production-mode.js';
import {parseClientFlags} from './source/client/client-options.js';
import {runClient} from './source/client/run-client.js';
import {clientFlags} from './source/config/client-flags.js';
import {applyColor} from './source/config/color.js';
import {FlagError} from './source/config/flag-error.js';
import {parseCommandLine} from './source/config/parse-command-line.js';
import {serverFlags} from './source/config/server-flags.js';
import {
  parseServerFlags,
  type ServerOptions,
} from './source/config/server-options.js';
import {UsageError} from './source/config/usage-error.js';

// Nothing here may import chalk or Ink (serve does, below): they read FORCE_COLOR when they load.
// Nor anything that serving headless does not need: what is imported here loads before the socket
// binds (docs/design.md, "Start-up"). The error classes of serving load when serving fails.

const server = {
  description:
    'A UDP heartbeat server with a live terminal dashboard, simulated packet loss, liveness detection and a CSV event log',
  usage: `
    $ udp-heartbeat [flags]          serve heartbeats, with a live dashboard on a terminal
    $ udp-heartbeat client [flags]   send heartbeats (udp-heartbeat client --help)
    $ udp-heartbeat replay FILE      play a --log file back (udp-heartbeat replay --help)
    $ udp-heartbeat attach [PATH|PORT]  draw the dashboard of a server run with --control`,
  flags: serverFlags,
  examples: `
    $ udp-heartbeat --demo
    $ udp-heartbeat --port 12000 --loss 10 --log heartbeats.csv
    $ udp-heartbeat --output json --quiet > events.jsonl
    $ NO_COLOR=1 udp-heartbeat`,
};

const client = {
  description:
    'The bundled client: sends UDP heartbeats to a server, prints a line per reply like ping, and statistics at the end',
  usage: `
    $ udp-heartbeat client [flags]`,
  flags: clientFlags,
  examples: `
    $ udp-heartbeat client --count 10
    $ udp-heartbeat client --format ping --interval 0.2 --clients 3`,
};

/** A message the user can act on, without a stack trace. */
function fail(message: string, exitCode: number): never {
  process.stderr.write(`udp-heartbeat: ${message}\n`);
  process.exit(exitCode);
}

/** Runs `action`; a mistake in the command line or a flag's value is one line and exit code 2. */
function readFlags<T>(action: () => T): T {
  try {
    return action();
  } catch (error) {
    if (error instanceof FlagError || error instanceof UsageError) {
      fail(error.message, 2);
    }

    throw error;
  }
}

async function clientCommand(argv: readonly string[]): Promise<void> {
  const options = readFlags(() =>
    parseClientFlags(parseCommandLine(client, argv, import.meta).flags),
  );

  const abort = new AbortController();
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      abort.abort();
    });
  }

  // The reader of standard output has gone (`client | head -2`): end the run quietly, with 0.
  let outputClosed = false;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') {
      throw error;
    }

    outputClosed = true;
    abort.abort();
  });
  const report = await runClient(options, {
    write(line) {
      if (!outputClosed) {
        process.stdout.write(`${line}\n`);
      }
    },
    signal: abort.signal,
    setupFailed(error) {
      fail(error.message, error.exitCode);
    },
  });
  process.exitCode = report.received > 0 || outputClosed ? 0 : 1;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv[0] === 'client') {
    await clientCommand(argv.slice(1));
    return;
  }

  if (argv[0] === 'attach') {
    // Loaded only to attach: the dashboard of a server that runs elsewhere.
    const {attachCommand} = await import('./source/control/attach-command.js');
    process.exitCode = await attachCommand(argv.slice(1));
    return;
  }

  if (argv[0] === 'replay') {
    // Loaded only to replay, as serving loads only what serving needs.
    const {replayCommand} = await import('./source/replay/replay-command.js');
    process.exitCode = await replayCommand(argv.slice(1));
    return;
  }

  const options: ServerOptions = readFlags(() =>
    parseServerFlags(parseCommandLine(server, argv, import.meta).flags, {
      interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
      colorEnvironment: {
        env: process.env,
        isTTY: Boolean(process.stdout.isTTY),
      },
    }),
  );
  applyColor(options.color, process.env);
  // Loaded only now, so that chalk and Ink see the colour just decided.
  const {serve} = await import('./source/serve.js');
  try {
    await serve(options);
  } catch (error) {
    const [
      {LogOpenError},
      {MetricsListenError},
      {BindError},
      {ControlPathError},
    ] = await Promise.all([
      import('./source/engine/csv-log.js'),
      import('./source/output/metrics-server.js'),
      import('./source/server/bind-socket.js'),
      import('./source/control/control-path.js'),
    ]);
    if (error instanceof LogOpenError) {
      fail(error.message, 2);
    }

    if (error instanceof BindError) {
      fail(error.message, 1);
    }

    if (error instanceof ControlPathError) {
      fail(error.message, error.exitCode);
    }

    if (error instanceof MetricsListenError) {
      fail(error.message, error.exitCode);
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
