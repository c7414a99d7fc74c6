import assert from 'node:assert/strict';
import test from 'node:test';
import {startDemoFleet} from '../../source/client/demo-fleet.js';
import {startDemoThread} from '../../source/client/demo-thread.js';
import {waitFor} from '../helpers/wait-for.js';
import {echoUpperCase, LoopbackServer, text} from './loopback.js';

/** Keeps this thread busy, as a long dashboard frame would, for `ms` milliseconds. */
function blockThread(ms: number): {from: number; to: number} {
  const from = Date.now();
  while (Date.now() - from < ms) {
    // Busy: no timer, no socket of this thread runs meanwhile.
  }

  return {from, to: Date.now()};
}

/** The send times (ms) of the 10 Hz client's Ping heartbeats the server has received. */
function pingTimes(server: LoopbackServer): number[] {
  return server.received.flatMap(({payload}) => {
    const match = /^Ping \d+ (?<seconds>\d+\.\d+)$/v.exec(text(payload));
    return match?.groups ? [Number(match.groups.seconds) * 1000] : [];
  });
}

/** Heartbeats sent while this thread was blocked, read once the kernel has handed them over. */
async function sentWhileBlocked(
  server: LoopbackServer,
  blocked: {from: number; to: number},
): Promise<number> {
  // Whatever was sent during the block is queued on the server's socket: wait for one sent after.
  await waitFor(() => pingTimes(server).some((time) => time > blocked.to), {
    message: 'a heartbeat sent after the block',
    timeoutMs: 10_000,
  });
  return pingTimes(server).filter(
    (time) => time > blocked.from + 100 && time < blocked.to - 100,
  ).length;
}

test('the demo thread keeps sending while the main thread is busy: no frame delays a demo heartbeat', async () => {
  const server = await LoopbackServer.open(echoUpperCase);
  const demo = startDemoThread({host: '127.0.0.1', port: server.port});
  try {
    assert.equal(demo.behaviours.length, 5);
    await waitFor(() => server.ports().size >= 4, {
      message: 'the demo clients sending',
      timeoutMs: 10_000,
    });
    const blocked = blockThread(1500);
    const during = await sentWhileBlocked(server, blocked);
    // The 10 Hz client sends about 13 in the 1.3 s checked; a busy machine may slow it a little.
    assert.ok(during >= 6, `${during} heartbeats sent while blocked`);
    await waitFor(() => demo.counts().replies > 0, {
      message: 'replies counted from the thread',
    });
  } finally {
    await demo.stop();
    await server.close();
  }

  await demo.stop();
});

test('the same demo on the main thread sends nothing while it is blocked (what the thread is for)', async () => {
  const server = await LoopbackServer.open(echoUpperCase);
  const demo = startDemoFleet({host: '127.0.0.1', port: server.port});
  try {
    await waitFor(() => server.ports().size >= 4, {
      message: 'the demo clients sending',
      timeoutMs: 10_000,
    });
    const blocked = blockThread(1500);
    assert.equal(await sentWhileBlocked(server, blocked), 0);
  } finally {
    await demo.stop();
    await server.close();
  }
});
