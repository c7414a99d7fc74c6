import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {InteropServer, killServers} from './interop-server.js';
import {
  clientSource,
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
 * Python clients as course labs and small tools write them, run against the built CLI over
 * 127.0.0.1: each one's own printed replies, round trips and losses, and the server's counts of
 * it. At --loss 0 every ping is answered; at --loss 50 a program's timeouts are the server's
 * drops for it.
 */
const skip = missingTool('python3');
// A reply on loopback takes well under a millisecond; the short timeout keeps lossy runs quick.
const lossyTimeout = '0.5';

async function python(
  file: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<ProgramRun> {
  return runProgram('python3', [clientSource('python', file), ...args], {
    env,
  });
}

function count(run: ProgramRun, line: RegExp): number {
  return outputLines(run).filter((each) => line.test(each)).length;
}

function statistics(run: ProgramRun, line: RegExp): RegExpMatchArray {
  const match = line.exec(run.stdout);
  assert.ok(match, `${String(line)} in:\n${run.stdout}`);
  return match;
}

describe('Python clients', {skip}, () => {
  let exact: ServedPrograms;
  let lossy: ServedPrograms;

  before(async () => {
    const [zero, half] = await Promise.all([
      InteropServer.start({loss: 0, seed: 1}),
      InteropServer.start({loss: 50, seed: 5}),
    ]);
    exact = new ServedPrograms(zero);
    lossy = new ServedPrograms(half);
  });

  after(() => {
    killPrograms();
    killServers();
  });

  const pingerReport = (run: ProgramRun): ProgramReport => {
    const [, sent, received] = statistics(
      run,
      /^(\d+) packets transmitted, (\d+) received, [\d.]+% packet loss$/mv,
    );
    const timeouts = count(run, /^Request timed out$/v);
    assert.equal(Number(sent) - Number(received), timeouts);
    return {sent: Number(sent), replies: Number(received), timeouts};
  };

  test('UDPPingerClient.py (Ping <seq> <time.time()>): the echo of every ping, its RTT and no loss', async () => {
    const {run, heartbeats} = await exact.run(
      async (port) => python('UDPPingerClient.py', ['127.0.0.1', String(port)]),
      pingerReport,
    );
    assertReadAsHeartbeats(heartbeats, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const echoes = outputLines(run).filter((line) => line.startsWith('PING'));
    assert.deepEqual(
      echoes.map((line) => /^PING (\d+) \d{10}\.\d+$/v.exec(line)?.[1]),
      ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'],
      run.stdout,
    );
    const rtts = outputLines(run)
      .map((line) => /^RTT: ([\d.]+) seconds$/v.exec(line)?.[1])
      .filter((rtt) => rtt !== undefined)
      .map(Number);
    assert.equal(rtts.length, 10);
    assert.ok(
      Math.max(...rtts) < 1,
      `round trips under its 1 s timeout: ${rtts.join(', ')}`,
    );
    assert.match(
      run.stdout,
      /^10 packets transmitted, 10 received, 0\.0% packet loss$/mv,
    );
  });

  test('UDPPingerClient.py at --loss 50: its timeouts are the drops the server counted for it', async () => {
    const {report} = await lossy.run(
      async (port) =>
        python('UDPPingerClient.py', ['127.0.0.1', String(port), lossyTimeout]),
      pingerReport,
    );
    assert.ok(
      report.timeouts! > 0 && report.timeouts! < 10,
      `some pings answered and some not: ${report.timeouts} timed out`,
    );
  });

  const ctimeReport = (run: ProgramRun): ProgramReport => {
    const [, received, lost, unexpected] = statistics(
      run,
      /^Sent 10, received (\d+), lost (\d+), unexpected (\d+)$/mv,
    );
    assert.equal(
      unexpected,
      '0',
      `every reply starts with PING:\n${run.stdout}`,
    );
    assert.equal(count(run, /^Request timed out$/v), Number(lost));
    return {sent: 10, replies: Number(received), timeouts: Number(lost)};
  };

  test('a pinger that sends time.ctime() and accepts only replies that start with PING', async () => {
    const {run, heartbeats} = await exact.run(
      async (port) =>
        python('UDPPingerClientCtime.py', ['127.0.0.1', String(port)]),
      ctimeReport,
    );
    // ctime() has whole seconds: the delay is up to a second more than the trip.
    assertReadAsHeartbeats(heartbeats, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], {
      maxDelayMs: 2000,
    });
    assert.equal(
      count(
        run,
        /^Reply from 127\.0\.0\.1: PING \d+ (?:MON|TUE|WED|THU|FRI|SAT|SUN) [A-Z]{3} [ \d]\d \d\d:\d\d:\d\d \d{4} {2}RTT = [\d.]+ ms$/v,
      ),
      10,
      run.stdout,
    );
  });

  test('the ctime() pinger at --loss 50', async () => {
    const {report} = await lossy.run(
      async (port) =>
        python('UDPPingerClientCtime.py', [
          '127.0.0.1',
          String(port),
          lossyTimeout,
        ]),
      ctimeReport,
    );
    assert.ok(report.timeouts! > 0 && report.timeouts! < 10);
  });

  const timeOfDayReport = (run: ProgramRun): ProgramReport => {
    const [, loss, mismatched, received] = statistics(
      run,
      /^loss: (\d+), mismatched: (\d+), received: (\d+)$/mv,
    );
    assert.equal(
      mismatched,
      '0',
      `reply.upper() == message.upper() for every reply:\n${run.stdout}`,
    );
    return {sent: 10, replies: Number(received), timeouts: Number(loss)};
  };

  test("a pinger that sends ' '.join(['Ping ', seq, time of day]) and compares reply.upper() with message.upper()", async () => {
    const {run, heartbeats} = await exact.run(
      async (port) =>
        python('UDPPingerClientTimeOfDay.py', ['127.0.0.1', String(port)]),
      timeOfDayReport,
    );
    assertReadAsHeartbeats(heartbeats, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    // The two spaces it sends come back: the echo is not trimmed or re-spaced.
    assert.equal(
      count(run, /^b'PING {2}\d+ \d\d:\d\d:\d\d(?:\.\d{6})?'$/v),
      10,
      run.stdout,
    );
  });

  test('the time-of-day pinger at --loss 50', async () => {
    const {report} = await lossy.run(
      async (port) =>
        python('UDPPingerClientTimeOfDay.py', [
          '127.0.0.1',
          String(port),
          lossyTimeout,
        ]),
      timeOfDayReport,
    );
    assert.ok(report.timeouts! > 0 && report.timeouts! < 10);
  });

  const heartbeatReport = (run: ProgramRun): ProgramReport => {
    const [, sent, replies, timeouts] = statistics(
      run,
      /^Heartbeats sent: (\d+), replies: (\d+), timeouts: (\d+)$/mv,
    );
    assert.doesNotMatch(
      run.stdout,
      /Cannot read the reply|Lost in between is/v,
    );
    return {
      sent: Number(sent),
      replies: Number(replies),
      timeouts: Number(timeouts),
    };
  };

  const delays = (run: ProgramRun): string[] =>
    outputLines(run)
      .map((line) => /^Packet delivery delay = (.+), Number/v.exec(line)?.[1])
      .filter((delay) => delay !== undefined);

  test('the original exercise client (seq, a tab, str(datetime.now())): a small delay and 0 lost in between', async () => {
    const {run, heartbeats} = await exact.run(
      async (port) =>
        python('UDPHeartbeatClient.py', [
          '127.0.0.1',
          String(port),
          '10',
          '0.05',
          '1',
        ]),
      heartbeatReport,
    );
    assertReadAsHeartbeats(heartbeats, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const seen = delays(run);
    assert.equal(seen.length, 10, run.stdout);
    for (const delay of seen) {
      assert.match(delay, /^0:00:00\.\d{6}$/v);
    }

    assert.equal(count(run, /, Number of packets lost in between = 0$/v), 10);
  });

  test('the original exercise client at --loss 50: "lost in between" is the run of its own timeouts', async () => {
    const {report, run} = await lossy.run(
      async (port) =>
        python('UDPHeartbeatClient.py', [
          '127.0.0.1',
          String(port),
          '10',
          '0.05',
          lossyTimeout,
        ]),
      heartbeatReport,
    );
    assert.ok(report.timeouts! > 0 && report.timeouts! < 10);
    assert.ok(
      count(run, /, Number of packets lost in between = [1-9]\d*$/v) > 0,
      `some reply tells of drops before it:\n${run.stdout}`,
    );
  });

  test('a heartbeat sender (Heartbeat, two spaces, <seq> <time.time()>) that never reads a reply', async () => {
    const sent = (run: ProgramRun): ProgramReport => ({
      sent: count(run, /^send Heartbeat: Heartbeat {2}\d+ \d{10}\.\d+$/v),
    });
    const {report, heartbeats} = await exact.run(
      async (port) =>
        python('UDPHeartbeatSender.py', [
          '127.0.0.1',
          String(port),
          '10',
          '0.05',
        ]),
      sent,
    );
    assert.equal(report.sent, 10);
    assertReadAsHeartbeats(heartbeats, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    await lossy.run(
      async (port) =>
        python('UDPHeartbeatSender.py', [
          '127.0.0.1',
          String(port),
          '10',
          '0.05',
        ]),
      sent,
    );
  });

  test('a PyHB keep-alive sender, and one that sends empty datagrams', async () => {
    const beats = (run: ProgramRun): ProgramReport => ({
      sent: count(run, /^Time: /v),
    });
    for (const message of ['PyHB', '']) {
      const {report, counts} = await exact.run(
        async (port) =>
          python('PyHBClient.py', [
            '127.0.0.1',
            String(port),
            '5',
            '0.05',
            message,
          ]),
        beats,
      );
      assert.equal(report.sent, 5);
      assert.equal(counts.malformed, 0, 'a keep-alive is a heartbeat');
    }
  });

  test('every summary counts each program as the program counted itself', async () => {
    await Promise.all([exact.checkSummaries(), lossy.checkSummaries()]);
  });
});
