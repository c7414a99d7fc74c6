import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {InteropServer, killServers} from './interop-server.js';
import {
  clientSource,
  killPrograms,
  outputLines,
  runProgram,
  type ProgramRun,
} from './programs.js';
import {ServedPrograms, type ProgramReport} from './served-programs.js';

/**
 * Node dgram clients run against the built CLI over 127.0.0.1: epoch milliseconds and ISO 8601
 * stamps read back as small delays, and a client that JSON-parses every reply under
 * --reply json, even the replies to heartbeats the server cannot read.
 */
async function node(
  file: string,
  args: readonly string[],
): Promise<ProgramRun> {
  return runProgram(process.execPath, [clientSource('node', file), ...args]);
}

function lines(run: ProgramRun, pattern: RegExp): RegExpExecArray[] {
  return outputLines(run)
    .map((line) => pattern.exec(line))
    .filter((match) => match !== null);
}

describe('Node clients', () => {
  let exact: ServedPrograms;
  let lossy: ServedPrograms;
  let json: ServedPrograms;

  before(async () => {
    const [zero, half, jsonServer] = await Promise.all([
      InteropServer.start({loss: 0, seed: 1}),
      InteropServer.start({loss: 50, seed: 5}),
      InteropServer.start({loss: 0, seed: 1, extraFlags: ['--reply', 'json']}),
    ]);
    exact = new ServedPrograms(zero);
    lossy = new ServedPrograms(half);
    json = new ServedPrograms(jsonServer);
  });

  after(() => {
    killPrograms();
    killServers();
  });

  const dateNowReport = (run: ProgramRun): ProgramReport => {
    const match = /^(\d+) sent, (\d+) received, (\d+) lost$/mv.exec(run.stdout);
    assert.ok(match, run.stdout);
    return {
      sent: Number(match[1]),
      replies: Number(match[2]),
      timeouts: Number(match[3]),
    };
  };

  const seedLine =
    /^seq=\d+ reply="Packet delivery delay = (0:00:00\.\d{6}), Number of packets lost in between = (\d+)" rtt=\d+ ms$/v;

  test('a client that sends its sequence number and Date.now() reads small delays', async () => {
    const {run} = await exact.run(
      async (port) =>
        node('heartbeat-date-now.mjs', [
          '127.0.0.1',
          String(port),
          '10',
          '1000',
        ]),
      dateNowReport,
    );
    const replies = lines(run, seedLine);
    assert.equal(replies.length, 10, run.stdout);
    assert.ok(replies.every((match) => match[2] === '0'));
  });

  test('the Date.now() client at --loss 50: its timeouts are the server drops, and replies count them', async () => {
    const {run, report} = await lossy.run(
      async (port) =>
        node('heartbeat-date-now.mjs', [
          '127.0.0.1',
          String(port),
          '10',
          '500',
        ]),
      dateNowReport,
    );
    assert.ok(report.timeouts! > 0 && report.timeouts! < 10, run.stdout);
    // Each reply's "lost in between" is the run of timeouts just before it.
    let timedOutInARow = 0;
    for (const line of outputLines(run)) {
      if (line.endsWith('timed out')) {
        timedOutInARow++;
      } else if (seedLine.test(line)) {
        assert.equal(
          seedLine.exec(line)?.[2],
          String(timedOutInARow),
          run.stdout,
        );
        timedOutInARow = 0;
      }
    }
  });

  const isoReport = (run: ProgramRun): ProgramReport => {
    const match = /^sent (\d+), replies (\d+), timeouts (\d+)$/mv.exec(
      run.stdout,
    );
    assert.ok(match, run.stdout);
    assert.doesNotMatch(run.stdout, /unreadable reply|late reply/v);
    return {
      sent: Number(match[1]),
      replies: Number(match[2]),
      timeouts: Number(match[3]),
    };
  };

  test('a client that sends its sequence number and new Date().toISOString() at a fixed interval', async () => {
    const args = (port: number) => [
      '127.0.0.1',
      String(port),
      '8',
      '150',
      '120',
    ];
    const {run} = await exact.run(
      async (port) => node('heartbeat-iso.mjs', args(port)),
      isoReport,
    );
    assert.equal(
      lines(run, /^heartbeat \d: delay 0:00:00\.\d{6}, lost in between 0$/v)
        .length,
      8,
      run.stdout,
    );
    const {report} = await lossy.run(
      async (port) => node('heartbeat-iso.mjs', args(port)),
      isoReport,
    );
    assert.ok(report.timeouts! > 0 && report.timeouts! < 8);
  });

  const jsonReport = (run: ProgramRun): ProgramReport => {
    const match =
      /^(\d+) sent, (\d+) replies \((\d+) errors\), (\d+) timed out, (\d+) not JSON$/mv.exec(
        run.stdout,
      );
    assert.ok(match, run.stdout);
    assert.equal(match[5], '0', `every reply parses as JSON:\n${run.stdout}`);
    return {
      sent: Number(match[1]),
      replies: Number(match[2]),
      // At --loss 0 nothing is dropped: a reply that never came is an error held back.
      timeouts: Number(match[4]),
      unanswered: Number(match[4]),
    };
  };

  test('--reply json: a client that JSON-parses every reply gets its seq, delay and lost in between', async () => {
    const {run} = await json.run(
      async (port) =>
        node('json-replies.mjs', ['127.0.0.1', String(port), '10', '1000']),
      jsonReport,
    );
    const replies = lines(
      run,
      /^seq=(\d+) reply seq=(\d+) delay_ms=([\d.]+) lost_in_between=0 state=alive$/v,
    );
    assert.equal(replies.length, 10, run.stdout);
    for (const [, sent, echoed, delay] of replies) {
      assert.equal(echoed, sent);
      assert.ok(Number(delay) < 1000, `delay_ms ${delay}`);
    }
  });

  test('--reply json: a client that stamps a Date in a template literal gets JSON errors, never a line it cannot parse', async () => {
    const {run, report} = await json.run(
      async (port) =>
        node('json-replies.mjs', [
          '127.0.0.1',
          String(port),
          '5',
          '300',
          'date',
        ]),
      jsonReport,
    );
    const errors = lines(run, /^seq=\d+ error: (.+)$/v);
    assert.ok(errors.length > 0, run.stdout);
    assert.ok(errors.every((match) => match[1] === 'bad timestamp'));
    // At most one error a second: the rest are held back, and the client times out on them.
    assert.equal(errors.length + report.unanswered!, 5);
  });

  test('every summary counts each program as the program counted itself', async () => {
    await Promise.all([
      exact.checkSummaries(),
      lossy.checkSummaries(),
      json.checkSummaries(),
    ]);
  });
});
