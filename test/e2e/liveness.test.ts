import assert from 'node:assert/strict';
import test from 'node:test';
import {CliProcess} from '../helpers/cli-process.js';
import {freePort} from '../helpers/free-port.js';
import {UdpPeer} from '../helpers/udp-peer.js';
import {waitFor} from '../helpers/wait-for.js';
import {parseEventLine} from '../helpers/json-events.js';

/*
Liveness as a user of the built CLI sees it, headless: a client that beats ten times a second and
falls silent is `late`, then `stopped`, at the silences the README's formula gives; beating again is
`resumed`. The expected silences are computed from the arrival times the server itself reports
(its `replied` events), so scheduling noise on either side does not make the test guess.
*/

/** Φ⁻¹(1 - 10^-1): phi reaches 1 (late) this many σ past μ. */
const lateZ = 1.281_551_6;
/** Φ⁻¹(1 - 10^-8): phi reaches 8 (stopped) this many σ past μ. */
const stoppedZ = 5.612_001_2;
/** The server evaluates liveness on a timer of this period; an event comes at most one period late. */
const tickMs = 100;
/** Room for a loaded machine: the server's timer and the pipe may run late, never early. */
const slackMs = 400;

/** Sends `total` numbered heartbeats, ten a second, and resolves after the last. */
async function beatAtTenHertz(
  peer: UdpPeer,
  port: number,
  total: number,
): Promise<void> {
  let seq = 0;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      seq++;
      void peer.send(`${seq}`, port).catch(() => undefined);
      if (seq === total) {
        clearInterval(timer);
        resolve();
      }
    }, 100);
  });
}

/** Mean and population standard deviation of the gaps between arrival times. */
function intervalStatistics(times: readonly number[]): {
  mean: number;
  stdDev: number;
} {
  const gaps = times.slice(1).map((time, index) => time - times[index]!);
  const mean = gaps.reduce((sum, gap) => sum + gap, 0) / gaps.length;
  const variance =
    gaps.reduce((sum, gap) => sum + (gap - mean) ** 2, 0) / gaps.length;
  return {mean, stdDev: Math.sqrt(variance)};
}

function silentMs(detail: string | undefined): number {
  const match = /(?:^|;)silent_ms=(?<ms>\d+)(?:;|$)/v.exec(detail ?? '');
  assert.ok(match?.groups, `a silence in ${detail}`);
  return Number(match.groups.ms);
}

function assertWithin(
  actual: number,
  low: number,
  high: number,
  what: string,
): void {
  assert.ok(
    actual >= low && actual <= high,
    `${what}: ${actual} ms, expected ${Math.round(low)}-${Math.round(high)} ms`,
  );
}

test('--dead-after 1, text output: late after two intervals, stopped after a second, resumed when it beats again', async () => {
  const port = await freePort();
  const cli = new CliProcess([
    '--port',
    String(port),
    '--output',
    'text',
    '--dead-after',
    '1',
    '--idle-timeout',
    '0',
    '--loss',
    '0',
  ]);
  const peer = await UdpPeer.open();
  const key = `127.0.0.1:${peer.port}`;
  const line = (event: string, fields: string) =>
    new RegExp(
      String.raw`^(?<time>\S+) {2}${event} +${key.replaceAll('.', String.raw`\.`)} +${fields}$`,
      'v',
    );
  try {
    await cli.waitForLine(/\bstart\b/v);
    await beatAtTenHertz(peer, port, 15);
    await cli.waitForLine(line('replied', String.raw`seq=15 .*state=alive`));
    // The arrivals as the server timed them.
    const arrivals = cli
      .lines()
      .map((text) => line('replied', String.raw`seq=\d+ .*`).exec(text))
      .filter((match) => match !== null)
      .map((match) => Date.parse(match.groups!.time!));
    assert.equal(arrivals.length, 15);
    const {mean} = intervalStatistics(arrivals);

    const late = line('late', String.raw`silent_ms=(?<ms>\d+) state=late`);
    const stopped = line(
      'stopped',
      String.raw`silent_ms=(?<ms>\d+) state=stopped`,
    );
    const lateLine = await cli.waitForLine(late);
    const stoppedLine = await cli.waitForLine(stopped);
    const lines = cli.lines();
    assert.ok(
      lines.indexOf(lateLine) < lines.indexOf(stoppedLine),
      'late comes before stopped',
    );
    // With --dead-after: late after 2m, stopped after the given second.
    assertWithin(
      Number(late.exec(lateLine)!.groups!.ms),
      2 * mean - 2,
      2 * mean + tickMs + slackMs,
      'late',
    );
    assertWithin(
      Number(stopped.exec(stoppedLine)!.groups!.ms),
      1000,
      1000 + tickMs + slackMs,
      'stopped',
    );

    await peer.send('16', port);
    const resumed = await cli.waitForLine(
      line(
        'resumed',
        String.raw`seq=16 after=stopped;silent_ms=(?<ms>\d+) state=alive`,
      ),
    );
    assert.ok(
      lines.length <= cli.lines().indexOf(resumed),
      'resumed comes after stopped',
    );
    assert.equal(
      cli
        .lines()
        .filter((text) => /^\S+ {2}(?:late|stopped|resumed) /v.test(text))
        .length,
      3,
      'one late, one stopped, one resumed',
    );

    cli.child.kill('SIGTERM');
    assert.equal(await cli.exit(), 0);
    assert.match(
      cli.stdout,
      new RegExp(
        String.raw`summary +${key.replaceAll('.', String.raw`\.`)} +seq=16 received=16;replied=16;dropped=0;lost=0;loss=0%;state=alive;`,
        'v',
      ),
    );
  } finally {
    await peer.close();
    cli.child.kill('SIGKILL');
  }
});

type JsonEvent = {
  readonly time: string;
  readonly event: string;
  readonly client: string | null;
  readonly seq: number | null;
  readonly detail: string | null;
  readonly state: string | null;
};

test('adaptive liveness, JSON output: a 10 Hz client is late and stopped at the silences phi gives', async () => {
  const port = await freePort();
  const cli = new CliProcess([
    '--port',
    String(port),
    '--output',
    'json',
    '--idle-timeout',
    '0',
    '--loss',
    '0',
  ]);
  const peer = await UdpPeer.open();
  const key = `127.0.0.1:${peer.port}`;
  const events = () =>
    cli.lines().map((text) => parseEventLine<JsonEvent>(text));
  const waitForEvent = async (name: string, timeoutMs = 10_000) =>
    waitFor(
      () =>
        events().find((event) => event.event === name && event.client === key),
      {timeoutMs, message: `a ${name} event in:\n${cli.stdout}`},
    );
  try {
    await cli.waitForLine(/"event":"start"/v);
    await beatAtTenHertz(peer, port, 20);
    await waitFor(
      () => events().filter((event) => event.event === 'replied').length === 20,
      {message: `20 replied events in:\n${cli.stdout}`},
    );
    const arrivals = events()
      .filter((event) => event.event === 'replied')
      .map((event) => Date.parse(event.time));
    // The README: μ = 2m, σ = max(s, m/4); late at phi 1, stopped at phi 8.
    const {mean, stdDev} = intervalStatistics(arrivals);
    const sigma = Math.max(stdDev, mean / 4);
    const lateAfter = 2 * mean + sigma * lateZ;
    const stoppedAfter = 2 * mean + sigma * stoppedZ;
    // About 0.23 s and 0.34 s for a steady 10 Hz client.
    assert.ok(
      lateAfter < 300 && stoppedAfter < 600,
      `${lateAfter} ${stoppedAfter}`,
    );

    const late = await waitForEvent('late');
    const stopped = await waitForEvent('stopped');
    assert.equal(late.state, 'late');
    assert.equal(stopped.state, 'stopped');
    const order = events()
      .filter(
        (event) =>
          event.client === key && ['late', 'stopped'].includes(event.event),
      )
      .map((event) => event.event);
    assert.deepEqual(order, ['late', 'stopped']);
    // Times are cut to the millisecond and intervals kept as 32-bit floats: a few ms of rounding.
    assertWithin(
      silentMs(late.detail ?? undefined),
      lateAfter - 3,
      lateAfter + tickMs + slackMs,
      'late',
    );
    assertWithin(
      silentMs(stopped.detail ?? undefined),
      stoppedAfter - 3,
      stoppedAfter + tickMs + slackMs,
      'stopped',
    );
    assert.ok(Date.parse(late.time) <= Date.parse(stopped.time));

    await peer.send('21', port);
    const resumed = await waitForEvent('resumed');
    assert.equal(resumed.state, 'alive');
    assert.equal(resumed.seq, 21);
    assert.match(resumed.detail ?? '', /^after=stopped;silent_ms=\d+$/v);
    assert.ok(silentMs(resumed.detail ?? undefined) >= stoppedAfter - 3);
  } finally {
    await peer.close();
    cli.child.kill('SIGKILL');
  }
});
