import {systemClock, type Clock} from '../clock.js';
import type {ClientOptions} from './client-options.js';
import {
  errorCode,
  formatEndpoint,
  resolveTarget,
  ClientSetupError,
  type Target,
} from './endpoint.js';
import {HeartbeatClient} from './heartbeat-client.js';
import {
  HeartbeatTally,
  statisticsLines,
  type HeartbeatTotals,
} from './heartbeat-statistics.js';

export type ClientIo = {
  /** Takes one line, without its newline. */
  readonly write: (line: string) => void;
  /** Aborting it (Ctrl+C) ends the run: statistics are printed and the report returned. */
  readonly signal: AbortSignal;
  /** Measures round trips and stamps payloads; the system clock by default. */
  readonly clock?: Clock;
  /** Told why the run could not start (a host that does not resolve); by default a line to `write`. */
  readonly setupFailed?: (error: ClientSetupError) => void;
};

/** The whole run: overall totals, and each client's in order. */
export type ClientReport = HeartbeatTotals & {
  readonly clients: readonly HeartbeatTotals[];
};

/** 0 when any reply came back, 1 when none did (as ping). */
export function clientExitCode(report: ClientReport): 0 | 1 {
  return report.received > 0 ? 0 : 1;
}

const emptyReport: ClientReport = {
  sent: 0,
  received: 0,
  awaiting: 0,
  lossPercent: 0,
  rtt: undefined,
  clients: [],
};

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function startLine(options: ClientOptions, target: Target): string {
  const where = formatEndpoint(target.host, target.port);
  const resolved = target.host === target.address ? '' : ` (${target.address})`;
  const parts = [
    `${options.format} format`,
    `every ${options.intervalSeconds} s`,
    `timeout ${options.timeoutSeconds} s`,
  ];
  if (options.count !== undefined) {
    parts.push(
      plural(options.count, 'heartbeat') + (options.clients > 1 ? ' each' : ''),
    );
  }

  if (options.clients > 1) {
    parts.push(plural(options.clients, 'client'));
  }

  return `HEARTBEAT ${where}${resolved}: ${parts.join(', ')}`;
}

async function openClients(
  options: ClientOptions,
  target: Target,
  clock: Clock,
  write: (line: string) => void,
): Promise<HeartbeatClient[]> {
  const opened = await Promise.allSettled(
    Array.from({length: options.clients}, async (_, index) =>
      HeartbeatClient.open({
        target,
        format: options.format,
        intervalMs: options.intervalSeconds * 1000,
        timeoutMs: options.timeoutSeconds * 1000,
        count: options.count,
        prefix: options.clients > 1 ? `[client ${index + 1}] ` : '',
        clock,
        write,
      }),
    ),
  );
  const clients = opened.flatMap((result) =>
    result.status === 'fulfilled' ? [result.value] : [],
  );
  const failure = opened.find((result) => result.status === 'rejected');
  if (failure !== undefined) {
    // Too many sockets, or no route to the address: the run cannot be what was asked.
    await Promise.all(clients.map(async (client) => client.close()));
    const where = formatEndpoint(target.address, target.port);
    throw new ClientSetupError(
      `cannot open a socket to ${where} (${errorCode(failure.reason)})`,
    );
  }

  return clients;
}

function summarise(
  clients: readonly HeartbeatClient[],
  target: Target,
  write: (line: string) => void,
): ClientReport {
  const overall = new HeartbeatTally();
  for (const client of clients) {
    overall.add(client.tally);
  }

  const totals = overall.totals();
  write(
    `--- ${formatEndpoint(target.host, target.port)} heartbeat statistics${clients.length > 1 ? ' (rtt min/avg/max/mdev in ms)' : ''} ---`,
  );
  const overallLines = statisticsLines(totals);
  if (clients.length > 1) {
    // One short line per client, then the totals, so a thousand clients stay readable and a line
    // stays well inside a terminal's width (the header names the four round-trip figures).
    clients.forEach((client, index) => {
      const clientTotals = client.tally.totals();
      const [counts] = statisticsLines(clientTotals);
      const {rtt} = clientTotals;
      const times =
        rtt === undefined
          ? ''
          : `, rtt ${[rtt.min, rtt.avg, rtt.max, rtt.mdev].map((value) => value.toFixed(3)).join('/')}`;
      write(`[client ${index + 1}] ${counts!}${times}`);
    });
    overallLines[0] = `all ${clients.length} clients: ${overallLines[0]!}`;
  }

  for (const line of overallLines) {
    write(line);
  }

  if (totals.received === 0 && totals.sent > totals.awaiting) {
    const why = clients.some((client) => client.portUnreachable)
      ? ' (port unreachable: nothing listens there)'
      : '';
    const where = formatEndpoint(target.host, target.port);
    write(
      `no replies from ${where}${why}: is the server running, and is the port right?`,
    );
  }

  return {...totals, clients: clients.map((client) => client.tally.totals())};
}

/**
 * The bundled client: resolves the host once, runs `options.clients` clients side by side, prints
 * a line per heartbeat, and statistics when the count is reached or the signal aborts. Problems a
 * user can cause (an unknown host, a port nobody listens on) are lines, never exceptions.
 */
export async function runClient(
  options: ClientOptions,
  io: ClientIo,
): Promise<ClientReport> {
  const {write, signal} = io;
  let target: Target;
  let clients: HeartbeatClient[];
  try {
    target = await resolveTarget(options.host, options.port);
    clients = await openClients(
      options,
      target,
      io.clock ?? systemClock,
      write,
    );
  } catch (error) {
    if (error instanceof ClientSetupError) {
      if (io.setupFailed === undefined) {
        write(error.message);
      } else {
        io.setupFailed(error);
      }

      return emptyReport;
    }

    throw error;
  }

  write(startLine(options, target));
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<void>((resolve) => {
    onAbort = resolve;
    signal.addEventListener('abort', onAbort, {once: true});
  });
  if (!signal.aborted) {
    // Spread the clients over one interval so a thousand of them do not send in one burst.
    clients.forEach((client, index) => {
      client.start((index * options.intervalSeconds * 1000) / clients.length);
    });
    await Promise.race([
      Promise.all(clients.map(async (client) => client.finished)),
      aborted,
    ]);
  }

  signal.removeEventListener('abort', onAbort!);
  await Promise.all(clients.map(async (client) => client.close()));
  return summarise(clients, target, write);
}
