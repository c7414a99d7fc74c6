/*
`udp-heartbeat attach [PATH|PORT]`: the dashboard of a server that runs elsewhere (headless, under
systemd), drawn from the snapshots its control socket sends. `q` detaches and the server goes on;
`y` at the idle prompt shuts it down, and then every viewer prints the summary.
*/
import process from 'node:process';
import meow from 'meow';
import {initialQuery} from '../engine/engine-core.js';
import {finalSummaryText} from '../output/final-summary.js';
import {defaultControlPath} from './control-path.js';
import {
  AttachError,
  attachRemoteEngine,
  type RemoteEngine,
} from './remote-engine.js';

const help = `
  Usage
    $ udp-heartbeat attach [PATH|PORT]

  Draws the dashboard of a server started with --control, from its control socket: every key
  works, and each viewer has its own sort, filter, scroll and detail. q detaches and the server
  goes on; y at the idle prompt shuts the server down. PORT finds the socket where --control
  puts it by default ($XDG_RUNTIME_DIR/udp-heartbeat/PORT.sock); with neither, port 12000.

  Examples
    $ udp-heartbeat attach
    $ udp-heartbeat attach 12001
    $ udp-heartbeat attach /run/udp-heartbeat/control.sock
`;

const defaultPort = 12_000;

/**
 * Where to attach: a PORT (digits) names the default socket of the server on that port, anything
 * else is a socket's path.
 *
 * @throws {AttachError} with exit code 2 for a port out of range or a stray argument.
 */
export function resolveAttachTarget(
  input: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): string {
  if (input.length > 1) {
    throw new AttachError(
      `attach: unexpected argument ${JSON.stringify(input[1])} (see --help)`,
      2,
    );
  }

  const target = input[0];
  if (target === undefined) {
    return defaultControlPath(defaultPort, env);
  }

  if (/^\d+$/v.test(target)) {
    const port = Number(target);
    if (port < 1024 || port > 65_535) {
      throw new AttachError(
        `attach: port ${target} is not allowed; expected 1024-65535 or a socket's path`,
        2,
      );
    }

    return defaultControlPath(port, env);
  }

  if (target.trim() === '') {
    throw new AttachError('attach: the socket path is empty', 2);
  }

  return target;
}

async function writeOut(text: string): Promise<void> {
  await new Promise<void>((resolve) => {
    process.stdout.write(text, () => {
      resolve();
    });
  });
}

/**
 * Runs `attach` (its arguments without the word) and resolves with the exit code; a mistake is one
 * line on standard error.
 */
export async function attachCommand(argv: readonly string[]): Promise<number> {
  const cli = meow(help, {
    importMeta: import.meta,
    argv: [...argv],
    description: 'The dashboard of a running udp-heartbeat server',
    flags: {},
    // Told here in one line, as every other mistake is.
    allowUnknownFlags: true,
  });
  const fail = (message: string, exitCode: number) => {
    process.stderr.write(`udp-heartbeat: ${message}\n`);
    return exitCode;
  };

  const unknown = Object.keys(cli.flags)[0];
  if (unknown !== undefined) {
    const flag = unknown.length === 1 ? `-${unknown}` : `--${unknown}`;
    return fail(`attach: unknown flag ${flag} (see --help)`, 2);
  }

  let socketPath: string;
  try {
    socketPath = resolveAttachTarget(cli.input);
  } catch (error) {
    if (error instanceof AttachError) {
      return fail(error.message, error.exitCode);
    }

    throw error;
  }

  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    return fail(
      'attach: the dashboard needs a terminal on standard input and output',
      2,
    );
  }

  let remote: RemoteEngine;
  try {
    remote = await attachRemoteEngine(socketPath, {
      ...initialQuery,
      count: process.stdout.rows ?? 24,
    });
  } catch (error) {
    if (error instanceof AttachError) {
      return fail(error.message, error.exitCode);
    }

    throw error;
  }

  const {showDashboard} = await import('../ui/show-dashboard.js');
  return new Promise<number>((resolve) => {
    let ending = false;
    const end = async (then: () => Promise<number>) => {
      if (ending) {
        return;
      }

      ending = true;
      await screen.close();
      resolve(await then());
    };

    const detach = () => {
      void end(async () => {
        await remote.stop();
        await writeOut(
          `Detached from ${remote.path}; the server (pid ${remote.pid}) goes on.\n`,
        );
        return 0;
      });
    };

    const screen = showDashboard(remote, {
      onQuit: detach,
      onShutdown() {
        remote.shutdown();
      },
      onCrash(error) {
        void end(async () => {
          await remote.stop();
          return fail(`the dashboard failed: ${error.message}`, 70);
        });
      },
    });
    remote.onStopped((final) => {
      void end(async () => {
        await writeOut(
          `${await finalSummaryText(final, final.snapshot.info.logFile)}\n`,
        );
        return 0;
      });
    });
    remote.onFailure((failure) => {
      void end(async () =>
        fail(`lost the server at ${remote.path}: ${failure.message}`, 1),
      );
    });
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      process.on(signal, detach);
    }
  });
}
