import {CliProcess} from '../helpers/cli-process.js';
import {freePort} from '../helpers/free-port.js';
import {waitFor} from '../helpers/wait-for.js';
import {parseEventLine} from '../helpers/json-events.js';

/** One line of `--output json`. */
export type JsonEvent = {
  readonly event: string;
  readonly client: string | null;
  readonly seq: number | null;
  readonly delay_ms: number | null;
  readonly detail: string | null;
};

/** A client's counts, as the server's events or its summary give them. */
export type ServerCounts = {
  received: number;
  replied: number;
  dropped: number;
  unanswered: number;
  malformed: number;
};

export type ServerSettings = {
  readonly loss: number;
  readonly seed: number;
  readonly extraFlags?: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
};

/**
 * The built CLI serving 127.0.0.1 with JSON lines out, shared by the client programs of one test
 * file. The programs run one after another, so the clients that first appear while a program
 * runs are that program's.
 */
const started = new Set<InteropServer>();

/** Kills every server still running (teardown), whether or not its test got hold of it. */
export function killServers(): void {
  for (const server of started) {
    server.kill();
  }
}

export class InteropServer {
  /** Starts the CLI, once more on another port if the first one was taken meanwhile. */
  static async start(settings: ServerSettings): Promise<InteropServer> {
    try {
      return await InteropServer.startOnce(settings);
    } catch {
      return InteropServer.startOnce(settings);
    }
  }

  private static async startOnce(
    settings: ServerSettings,
  ): Promise<InteropServer> {
    const port = await freePort();
    const cli = new CliProcess(
      [
        '--host',
        '127.0.0.1',
        '--port',
        String(port),
        '--output',
        'json',
        '--idle-timeout',
        '0',
        '--loss',
        String(settings.loss),
        '--seed',
        String(settings.seed),
        ...(settings.extraFlags ?? []),
      ],
      settings.env,
    );
    const server = new InteropServer(cli, port);
    started.add(server);
    try {
      await waitFor(
        () => {
          if (cli.child.exitCode !== null || cli.child.signalCode !== null) {
            throw new Error(
              `the server exited (${cli.child.exitCode ?? cli.child.signalCode}) before it started:\n${cli.stdout}\n${cli.stderr}`,
            );
          }

          return cli.lines().some((line) => line.includes('"event":"start"'));
        },
        {timeoutMs: 20_000, message: `the server's start line:\n${cli.stderr}`},
      );
    } catch (error) {
      server.kill();
      throw error;
    }

    return server;
  }

  readonly cli: CliProcess;
  readonly port: number;

  private constructor(cli: CliProcess, port: number) {
    this.cli = cli;
    this.port = port;
  }

  events(): JsonEvent[] {
    return this.cli.lines().map((line) => parseEventLine<JsonEvent>(line));
  }

  /** Every client key the server has named so far. */
  clientKeys(): Set<string> {
    const keys = new Set<string>();
    for (const event of this.events()) {
      if (event.client !== null) {
        keys.add(event.client);
      }
    }

    return keys;
  }

  /** The clients that appeared since `before` was taken. */
  newClients(before: ReadonlySet<string>): string[] {
    return [...this.clientKeys()].filter((key) => !before.has(key));
  }

  /** A client's counts from the live events (docs/protocol.md, "Events"). */
  liveCounts(key: string): ServerCounts {
    const counts = {
      received: 0,
      replied: 0,
      dropped: 0,
      unanswered: 0,
      malformed: 0,
    };
    for (const event of this.events()) {
      if (event.client !== key) {
        continue;
      }

      if (event.event === 'replied' || event.event === 'dropped') {
        counts[event.event]++;
        counts.received++;
      } else if (event.event === 'malformed') {
        counts.malformed++;
        if (event.detail?.endsWith(';unanswered')) {
          counts.unanswered++;
          counts.received++;
        }
      }
    }

    return counts;
  }

  /** Waits until the events account for `received` datagrams from the client. */
  async waitForReceived(key: string, received: number): Promise<ServerCounts> {
    return waitFor(
      () => {
        const counts = this.liveCounts(key);
        return counts.received >= received ? counts : undefined;
      },
      {timeoutMs: 10_000, message: `${received} datagrams from ${key}`},
    );
  }

  /** Shuts the server down with SIGTERM and returns every client's summary. */
  async stop(): Promise<
    Map<string, ServerCounts & Record<string, string | number>>
  > {
    this.cli.child.kill('SIGTERM');
    const code = await this.cli.exit(30_000);
    if (code !== 0) {
      throw new Error(`the server exited with ${code}:\n${this.cli.stderr}`);
    }

    if (this.cli.stderr !== '') {
      throw new Error(`the server wrote to stderr:\n${this.cli.stderr}`);
    }

    const summaries = new Map<
      string,
      ServerCounts & Record<string, string | number>
    >();
    for (const event of this.events()) {
      if (event.event === 'summary' && event.client !== null) {
        summaries.set(event.client, parseSummary(event.detail ?? ''));
      }
    }

    return summaries;
  }

  kill(): void {
    this.cli.child.kill('SIGKILL');
  }
}

/** `received=3;replied=1;…;clock_offset_ms=…` as numbers where they are numbers. */
function parseSummary(
  detail: string,
): ServerCounts & Record<string, string | number> {
  const fields: Record<string, string> = {};
  for (const pair of detail.split(';')) {
    const [name = '', value = ''] = pair.split('=');
    fields[name] = value;
  }

  return {
    ...fields,
    received: Number(fields.received),
    replied: Number(fields.replied),
    dropped: Number(fields.dropped),
    unanswered: Number(fields.unanswered),
    malformed: Number(fields.malformed),
  };
}
