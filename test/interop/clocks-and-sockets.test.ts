import assert from 'node:assert/strict';
import {after, test} from 'node:test';
import {InteropServer, killServers} from './interop-server.js';
import {
  clientSource,
  killPrograms,
  missingTool,
  outputLines,
  runProgram,
  type ProgramRun,
} from './programs.js';
import {ServedPrograms} from './served-programs.js';

/**
 * Two things about real clients that are not in their messages: a client whose clock keeps
 * another time zone, and a client that opens a new socket for every ping.
 */
const skip = missingTool('python3');

after(() => {
  killPrograms();
  killServers();
});

test(
  'the original exercise client in UTC, heard by a server in Asia/Kolkata: small delays, not 5:30:00',
  {skip},
  async () => {
    const server = await InteropServer.start({
      loss: 0,
      seed: 1,
      env: {TZ: 'Asia/Kolkata'},
    });
    const programs = new ServedPrograms(server);
    const {run} = await programs.run(
      async (port) =>
        runProgram(
          'python3',
          [
            clientSource('python', 'UDPHeartbeatClient.py'),
            '127.0.0.1',
            String(port),
            '5',
            '0.05',
            '1',
          ],
          {env: {TZ: 'UTC'}},
        ),
      (run: ProgramRun) => ({
        sent: 5,
        replies: outputLines(run).filter((line) =>
          line.startsWith('Packet delivery delay = '),
        ).length,
        timeouts: 0,
      }),
    );
    const delays = outputLines(run)
      .map((line) => /^Packet delivery delay = (.+), Number/v.exec(line)?.[1])
      .filter((delay) => delay !== undefined);
    assert.equal(delays.length, 5, run.stdout);
    for (const delay of delays) {
      assert.match(delay, /^0:00:00\.\d{6}$/v, 'net of the 5:30 zone offset');
    }

    const summaries = await server.stop();
    const [summary] = summaries.values();
    assert.equal(summaries.size, 1);
    assert.equal(
      summary?.clock_offset_ms,
      String(-5.5 * 3600 * 1000),
      'the client clock runs 5:30 behind the server',
    );
    assert.ok(
      Number(summary?.delay_max_ms) < 1000,
      `summary delays net of it: ${summary?.delay_max_ms} ms`,
    );
  },
);

test(
  'the original client with an aware time, str(datetime.now(timezone.utc)), heard in Asia/Kolkata: read with its offset',
  {skip},
  async () => {
    const server = await InteropServer.start({
      loss: 0,
      seed: 1,
      env: {TZ: 'Asia/Kolkata'},
    });
    const programs = new ServedPrograms(server);
    const {run, counts} = await programs.run(
      async (port) =>
        runProgram('python3', [
          clientSource('python', 'UDPHeartbeatClientAware.py'),
          '127.0.0.1',
          String(port),
          '5',
          '0.05',
          '1',
        ]),
      (run: ProgramRun) => {
        const match =
          /^Heartbeats sent: (\d+), replies: (\d+), timeouts: (\d+)$/mv.exec(
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
    assert.equal(counts.malformed, 0, run.stdout);
    assert.equal(
      outputLines(run).filter((line) =>
        /^Packet delivery delay = 0:00:00\.\d{6}, Number of packets lost in between = 0$/v.test(
          line,
        ),
      ).length,
      5,
      run.stdout,
    );
    const summaries = await server.stop();
    const [summary] = summaries.values();
    // The offset in the text says when it was sent: no time zone to guess.
    assert.equal(summary?.clock_offset_ms, undefined);
  },
);

test(
  'a pinger that opens a new socket for every ping is one client with --client-key host, at --loss 50 too',
  {skip},
  async () => {
    const server = await InteropServer.start({
      loss: 50,
      seed: 3,
      extraFlags: ['--client-key', 'host'],
    });
    const programs = new ServedPrograms(server);
    const {run, report} = await programs.run(
      async (port) =>
        runProgram('python3', [
          clientSource('python', 'udp_client_socket_per_ping.py'),
          '127.0.0.1',
          String(port),
          '0.5',
        ]),
      (run: ProgramRun) => {
        const lines = outputLines(run);
        const timeouts = lines.filter(
          (line) => line === 'REQUEST TIMED OUT',
        ).length;
        assert.match(run.stdout, new RegExp(`^${timeouts} of 10 lost$`, 'mv'));
        return {
          sent: 10,
          // The free text 'test' is echoed upper-cased, as the classic pinger server does.
          replies: lines.filter((line) => /^b'TEST' \d \d+\.\d+/v.test(line))
            .length,
          timeouts,
        };
      },
    );
    assert.equal(report.replies! + report.timeouts!, 10, run.stdout);
    assert.ok(report.timeouts! > 0 && report.timeouts! < 10, run.stdout);
    assert.deepEqual([...server.clientKeys()], ['127.0.0.1']);
    await programs.checkSummaries();
  },
);
