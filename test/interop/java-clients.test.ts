import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {InteropServer, killServers} from './interop-server.js';
import {
  buildDir,
  clientSource,
  compile,
  killPrograms,
  missingTool,
  outputLines,
  runProgram,
  type ProgramRun,
} from './programs.js';
import {
  assertReadAsHeartbeats,
  ServedPrograms,
  type ProgramReport,
} from './served-programs.js';

/**
 * Java pinger clients, compiled with javac and run against the built CLI over 127.0.0.1: the
 * round trip each computes from the time the server echoes back, its own losses, and the
 * server's counts of it.
 */
const skip =
  missingTool('javac', '-version') || missingTool('java', '-version');
const lossyTimeoutMs = '500';

describe('Java clients', {skip}, () => {
  let exact: ServedPrograms;
  let lossy: ServedPrograms;
  let classes: Awaited<ReturnType<typeof buildDir>>;

  before(async () => {
    classes = await buildDir();
    const [zero, half] = await Promise.all([
      InteropServer.start({loss: 0, seed: 1}),
      InteropServer.start({loss: 50, seed: 5}),
      compile('javac', [
        '-d',
        classes.dir,
        clientSource('java', 'PingClient.java'),
        clientSource('java', 'UDPClient.java'),
      ]),
    ]);
    exact = new ServedPrograms(zero);
    lossy = new ServedPrograms(half);
  });

  after(async () => {
    killPrograms();
    killServers();
    await classes?.remove();
  });

  async function java(
    mainClass: string,
    args: readonly string[],
  ): Promise<ProgramRun> {
    return runProgram('java', ['-cp', classes.dir, mainClass, ...args]);
  }

  const pingReport = (run: ProgramRun): ProgramReport => {
    const match = /^Packets sent: (\d+), received: (\d+), lost: (\d+)$/mv.exec(
      run.stdout,
    );
    assert.ok(match, run.stdout);
    assert.doesNotMatch(run.stdout, /Unexpected reply/v);
    return {
      sent: Number(match[1]),
      replies: Number(match[2]),
      timeouts: Number(match[3]),
    };
  };

  test('PingClient.java (PING <seq> <currentTimeMillis()> CRLF): RTTs from its own echoed times', async () => {
    const {run, heartbeats} = await exact.run(
      async (port) => java('PingClient', ['127.0.0.1', String(port)]),
      pingReport,
    );
    assertReadAsHeartbeats(heartbeats, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const rtts = outputLines(run)
      .map(
        (line) =>
          /^Received from 127\.0\.0\.1: PING \d \d{13} RTT=(\d+)ms$/v.exec(
            line,
          )?.[1],
      )
      .filter((rtt) => rtt !== undefined)
      .map(Number);
    assert.equal(rtts.length, 10, run.stdout);
    assert.ok(Math.max(...rtts) < 1000, rtts.join(', '));
    assert.match(run.stdout, /^Packets sent: 10, received: 10, lost: 0$/mv);
  });

  test('PingClient.java at --loss 50: its timeouts are the server drops', async () => {
    const {run, report} = await lossy.run(
      async (port) =>
        java('PingClient', ['127.0.0.1', String(port), lossyTimeoutMs]),
      pingReport,
    );
    assert.ok(report.timeouts! > 0 && report.timeouts! < 10, run.stdout);
    assert.equal(
      outputLines(run).filter((line) => line.startsWith('Timeout for packet'))
        .length,
      report.timeouts,
    );
  });

  const udpClientReport = (run: ProgramRun): ProgramReport => {
    const match = /^(\d+) sent, (\d+) answered, (\d+) timed out$/mv.exec(
      run.stdout,
    );
    assert.ok(match, run.stdout);
    return {
      sent: Number(match[1]),
      replies: Number(match[2]),
      timeouts: Number(match[3]),
    };
  };

  test('a Java client that sends "Ping Java Udp Client" hears it back upper-cased', async () => {
    const {run, counts, heartbeats} = await exact.run(
      async (port) => java('UDPClient', ['127.0.0.1', String(port), '5']),
      udpClientReport,
    );
    assert.equal(
      outputLines(run).filter((line) =>
        /^FROM SERVER:PING JAVA UDP CLIENT \([\d.]+ ms\)$/v.test(line),
      ).length,
      5,
      run.stdout,
    );
    assert.equal(counts.malformed, 0, 'free text after a label is readable');
    assert.deepEqual(
      heartbeats.map(({seq, delayMs}) => [seq, delayMs]),
      Array.from({length: 5}, () => [null, null]),
      'free text: no sequence number, no time',
    );
  });

  test('"Ping Java Udp Client" at --loss 50', async () => {
    const {report} = await lossy.run(
      async (port) =>
        java('UDPClient', ['127.0.0.1', String(port), '10', lossyTimeoutMs]),
      udpClientReport,
    );
    assert.ok(report.timeouts! > 0 && report.timeouts! < 10);
  });

  test('every summary counts each program as the program counted itself', async () => {
    await Promise.all([exact.checkSummaries(), lossy.checkSummaries()]);
  });
});
