import assert from 'node:assert/strict';
import {waitFor} from '../helpers/wait-for.js';
import type {InteropServer, ServerCounts} from './interop-server.js';
import type {ProgramRun} from './programs.js';

/**
 * What a client program says about its own run: how many datagrams it sent and, for a program
 * that waits for replies, how many it got and how many timed out.
 */
export type ProgramReport = {
  readonly sent: number;
  readonly replies?: number;
  readonly timeouts?: number;
  /** Error replies held back by the rate limit, when the program sends broken datagrams. */
  readonly unanswered?: number;
};

/** What the server read in one of a program's datagrams. */
export type Heartbeat = {
  readonly seq: number | null;
  readonly delayMs: number | null;
};

/**
 * The programs run against one server, one after another, each checked against the server's
 * live events and, at the end, against its summary.
 */
export class ServedPrograms {
  private readonly reports = new Map<string, ProgramReport>();

  readonly server: InteropServer;

  constructor(server: InteropServer) {
    this.server = server;
  }

  /**
   * Runs a program, reads its report from its own output, and checks that the server counted
   * the same from its client (one client, whatever its sockets).
   */
  async run(
    start: (port: number) => Promise<ProgramRun>,
    readReport: (run: ProgramRun) => ProgramReport,
  ): Promise<{
    run: ProgramRun;
    report: ProgramReport;
    counts: ServerCounts;
    heartbeats: Heartbeat[];
  }> {
    const before = this.server.clientKeys();
    const run = await start(this.server.port);
    assert.equal(
      run.code,
      0,
      `the program failed:\n${run.stdout}\n${run.stderr}`,
    );
    const report = readReport(run);
    const key = await waitFor(
      () => {
        const keys = this.server.newClients(before);
        return keys.length > 0 ? keys : undefined;
      },
      {timeoutMs: 10_000, message: 'the program to show as a client'},
    );
    assert.equal(key.length, 1, `one client, not ${key.join(', ')}`);
    const [client = ''] = key;
    const counts = await this.server.waitForReceived(client, report.sent);
    assertCounts(counts, report, `${client}, live`);
    this.reports.set(client, report);
    const heartbeats = this.server
      .events()
      .filter(
        (event) =>
          event.client === client &&
          (event.event === 'replied' || event.event === 'dropped'),
      )
      .map((event) => ({seq: event.seq, delayMs: event.delay_ms}));
    return {run, report, counts, heartbeats};
  }

  /** Stops the server and checks every program's summary against what the program reported. */
  async checkSummaries(): Promise<void> {
    const summaries = await this.server.stop();
    for (const [client, report] of this.reports) {
      const summary = summaries.get(client);
      assert.ok(summary, `a summary for ${client}`);
      assertCounts(summary, report, `${client}, summary`);
      // Loopback loses nothing: whatever the program missed, the simulation dropped.
      assert.equal(summary.lost, '0', `${client}, summary: lost`);
    }
  }
}

function assertCounts(
  counts: ServerCounts,
  report: ProgramReport,
  where: string,
): void {
  assert.equal(counts.received, report.sent, `${where}: received`);
  assert.equal(
    counts.replied + counts.dropped + counts.unanswered,
    counts.received,
    `${where}: replied + dropped + unanswered = received`,
  );
  assert.equal(
    counts.unanswered,
    report.unanswered ?? 0,
    `${where}: unanswered`,
  );
  if (report.replies !== undefined) {
    assert.equal(
      counts.replied,
      report.replies,
      `${where}: the program's replies`,
    );
  }

  if (report.timeouts !== undefined) {
    assert.equal(
      counts.dropped,
      report.timeouts - (report.unanswered ?? 0),
      `${where}: the program's timeouts are the server's drops`,
    );
  }
}

/** Asserts that the server read these sequence numbers, each with a time it could read. */
export function assertReadAsHeartbeats(
  heartbeats: readonly Heartbeat[],
  seqs: readonly number[],
  // A client clock may read a little ahead of the server's, which reads milliseconds.
  {maxDelayMs = 1000, minDelayMs = -2} = {},
): void {
  assert.deepEqual(
    heartbeats.map((heartbeat) => heartbeat.seq),
    seqs,
    'the sequence numbers the server read',
  );
  for (const {delayMs} of heartbeats) {
    assert.ok(
      delayMs !== null && delayMs >= minDelayMs && delayMs < maxDelayMs,
      `a delay the server read from its time: ${delayMs} ms`,
    );
  }
}
