import assert from 'node:assert/strict';
import path from 'node:path';
import {after, before, test} from 'node:test';
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
  type Heartbeat,
  type ProgramReport,
} from './served-programs.js';

/**
 * Compiled clients (C, Rust, Go when it is installed), built into a temporary directory and run
 * against the built CLI over 127.0.0.1, at --loss 0 and --loss 50.
 */
const lossyTimeoutMs = '500';
let exact: ServedPrograms;
let lossy: ServedPrograms;
let binaries: Awaited<ReturnType<typeof buildDir>>;

before(async () => {
  binaries = await buildDir();
  const [zero, half] = await Promise.all([
    InteropServer.start({loss: 0, seed: 1}),
    InteropServer.start({loss: 50, seed: 5}),
  ]);
  exact = new ServedPrograms(zero);
  lossy = new ServedPrograms(half);
});

after(async () => {
  killPrograms();
  killServers();
  await binaries?.remove();
});

function binary(name: string): string {
  return path.join(binaries.dir, name);
}

/** Runs the program against both servers, one after the other, with the given timeout. */
async function againstBoth(
  program: string,
  args: (port: number, timeoutMs: string) => string[],
  readReport: (run: ProgramRun) => ProgramReport,
  env: NodeJS.ProcessEnv = {},
): Promise<{
  exactRun: ProgramRun;
  lossyRun: ProgramRun;
  heartbeats: Heartbeat[];
}> {
  const {
    run: exactRun,
    report,
    heartbeats,
  } = await exact.run(
    async (port) => runProgram(program, args(port, '1000'), {env}),
    readReport,
  );
  assert.equal(report.timeouts, 0, `no loss at --loss 0:\n${exactRun.stdout}`);
  const {run, report: lossyReport} = await lossy.run(
    async (port) => runProgram(program, args(port, lossyTimeoutMs), {env}),
    readReport,
  );
  assert.ok(
    lossyReport.timeouts! > 0 && lossyReport.timeouts! < lossyReport.sent,
    `some answered and some not at --loss 50:\n${run.stdout}`,
  );
  return {exactRun, lossyRun: run, heartbeats};
}

test(
  'a C binary pinger (magic, sequence number, struct timeval) gets its own bytes back',
  {skip: missingTool('gcc')},
  async () => {
    await compile('gcc', [
      '-O2',
      '-o',
      binary('binary_ping'),
      clientSource('c', 'binary_ping.c'),
    ]);
    const {exactRun, heartbeats} = await againstBoth(
      binary('binary_ping'),
      (port, timeout) => ['127.0.0.1', String(port), '10', timeout],
      (run) => {
        const match =
          /^(\d+) packets transmitted, (\d+) packets received, [\d.]+% packet loss$/mv.exec(
            run.stdout,
          );
        assert.ok(match, run.stdout);
        assert.doesNotMatch(run.stdout, /bad reply/v);
        const timeouts = outputLines(run).filter((line) =>
          line.startsWith('Request timeout for icmp_seq'),
        ).length;
        assert.equal(Number(match[1]) - Number(match[2]), timeouts);
        return {sent: Number(match[1]), replies: Number(match[2]), timeouts};
      },
    );
    assert.ok(
      heartbeats.every(({seq, delayMs}) => seq === null && delayMs === null),
      'a binary datagram is echoed, never parsed',
    );
    // The RTT comes from the send time inside the echoed struct: a garbled echo would show.
    const rtts = outputLines(exactRun)
      .map(
        (line) =>
          /^24 bytes from 127\.0\.0\.1: seq=\d+ time=([\d.]+) ms$/v.exec(
            line,
          )?.[1],
      )
      .filter((rtt) => rtt !== undefined)
      .map(Number);
    assert.equal(rtts.length, 10, exactRun.stdout);
    assert.ok(
      rtts.every((rtt) => rtt >= 0 && rtt < 1000),
      rtts.join(', '),
    );
  },
);

test(
  'a C pinger that sends sprintf("Ping %d %ld", seq, time(NULL))',
  {skip: missingTool('gcc')},
  async () => {
    await compile('gcc', [
      '-O2',
      '-o',
      binary('text_ping'),
      clientSource('c', 'text_ping.c'),
    ]);
    const {exactRun, heartbeats} = await againstBoth(
      binary('text_ping'),
      (port, timeout) => ['127.0.0.1', String(port), '10', timeout],
      (run) => {
        const match = /^Sent: (\d+) Received: (\d+) Lost: (\d+)$/mv.exec(
          run.stdout,
        );
        assert.ok(match, run.stdout);
        return {
          sent: Number(match[1]),
          replies: Number(match[2]),
          timeouts: Number(match[3]),
        };
      },
    );
    // time(NULL) has whole seconds: the delay is up to a second more than the trip.
    assertReadAsHeartbeats(heartbeats, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], {
      maxDelayMs: 2000,
    });
    assert.equal(
      outputLines(exactRun).filter((line) =>
        /^Reply from server: PING \d+ \d{10}, RTT = [\d.]+ ms$/v.test(line),
      ).length,
      10,
      exactRun.stdout,
    );
  },
);

test(
  'a Rust pinger (ping <seq> <secs>.<nanos>) that wants its message upper-cased back',
  {skip: missingTool('rustc')},
  async () => {
    await compile('rustc', [
      '-O',
      '-o',
      binary('udp_ping'),
      clientSource('rust', 'udp_ping.rs'),
    ]);
    const {exactRun, heartbeats} = await againstBoth(
      binary('udp_ping'),
      (port, timeout) => ['127.0.0.1', String(port), '10', timeout],
      (run) => {
        const match = /^(\d+) sent, (\d+) received, (\d+) lost$/mv.exec(
          run.stdout,
        );
        assert.ok(match, run.stdout);
        assert.doesNotMatch(run.stdout, /unexpected reply/v);
        return {
          sent: Number(match[1]),
          replies: Number(match[2]),
          timeouts: Number(match[3]),
        };
      },
    );
    assertReadAsHeartbeats(heartbeats, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.equal(
      outputLines(exactRun).filter((line) =>
        /^reply from 127\.0\.0\.1:\d+: PING \d+ \d{10}\.\d{9} time=[\d.]+ ms$/v.test(
          line,
        ),
      ).length,
      10,
    );
  },
);

test(
  'a Go client (<seq> <RFC 3339 time>) reads small delays and its drops as lost in between',
  {skip: missingTool('go', 'version')},
  async () => {
    // A build cache of its own: nothing is written to the user's home.
    const env = {GOCACHE: binary('go-cache')};
    await compile(
      'go',
      ['build', '-o', binary('pinger'), clientSource('go', 'pinger.go')],
      env,
    );
    const readReport = (run: ProgramRun): ProgramReport => {
      const match = /^(\d+) sent, (\d+) received, (\d+) lost$/mv.exec(
        run.stdout,
      );
      assert.ok(match, run.stdout);
      assert.doesNotMatch(run.stdout, /unreadable reply/v);
      return {
        sent: Number(match[1]),
        replies: Number(match[2]),
        timeouts: Number(match[3]),
      };
    };

    const {exactRun, lossyRun, heartbeats} = await againstBoth(
      binary('pinger'),
      (port, timeout) => ['127.0.0.1', String(port), '10', timeout],
      readReport,
      env,
    );
    assertReadAsHeartbeats(heartbeats, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.equal(
      outputLines(exactRun).filter((line) =>
        /^seq=\d+ delay=0:00:00\.\d{6} lost_in_between=0 rtt=/v.test(line),
      ).length,
      10,
      exactRun.stdout,
    );
    assert.match(
      lossyRun.stdout,
      /^seq=\d+ delay=0:00:00\.\d{6} lost_in_between=[1-9]/mv,
      'a reply after a drop says so',
    );
  },
);

test('every summary counts each program as the program counted itself', async () => {
  await Promise.all([exact.checkSummaries(), lossy.checkSummaries()]);
});
