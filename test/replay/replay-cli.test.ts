/*
A run of the built CLI with real clients on loopback writes a log; the built CLI replays it. The
replay must end where the run ended: the same summary rows, and on the way the same events.
*/
import assert from 'node:assert/strict';
import {readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import test from 'node:test';
import {stringify} from 'csv-stringify/sync';
import {CliProcess} from '../helpers/cli-process.js';
import {freePort} from '../helpers/free-port.js';
import {PtyCli} from '../helpers/pty-cli.js';
import {UdpPeer} from '../helpers/udp-peer.js';
import {waitFor} from '../helpers/wait-for.js';
import {
  assertSameStream,
  canonicalDetail,
  jsonLines,
  logRows,
  replayCli,
  withTempDir,
  type Row,
} from './log-files.js';

function heartbeat(seq: number): string {
  return `${seq} ${(Date.now() / 1000).toFixed(6)}`;
}

async function logText(file: string): Promise<string> {
  return readFile(file, 'utf8').catch(() => '');
}

async function waitForRow(
  file: string,
  match: (row: Row) => boolean,
  message: string,
): Promise<Row> {
  return waitFor(
    async () => logRows(await logText(file)).find((row) => match(row)),
    {timeoutMs: 15_000, message},
  );
}

/**
 * A live run in the dashboard (the only place the loss changes) with: the bundled client in
 * three sockets that stop, a peer that falls silent until it is stopped and then resumes with a
 * gap and a duplicate, a malformed datagram, and a loss change. Returns the log's text.
 */
async function recordRun(file: string): Promise<string> {
  const port = await freePort();
  const server = new PtyCli([
    '--port',
    String(port),
    '--loss',
    '30',
    '--seed',
    '7',
    '--idle-timeout',
    '0',
    '--log',
    file,
  ]);
  const peer = await UdpPeer.open();
  const peerKey = `127.0.0.1:${peer.port}`;
  try {
    await waitForRow(file, (row) => row.event === 'start', 'the start row');
    const clients = new CliProcess([
      'client',
      '--port',
      String(port),
      '--interval',
      '0.05',
      '--count',
      '12',
      '--timeout',
      '0.2',
      '--clients',
      '3',
    ]);
    for (let seq = 1; seq <= 6; seq++) {
      await peer.send(heartbeat(seq), port);
      await waitForRow(
        file,
        (row) => row.client === peerKey && row.seq === String(seq),
        `heartbeat ${seq} in the log`,
      );
    }

    await waitForRow(
      file,
      (row) => row.client === peerKey && row.event === 'stopped',
      'the silent peer stopped',
    );
    server.press('+');
    await waitForRow(file, (row) => row.event === 'loss', 'the loss change');
    await peer.send(heartbeat(9), port);
    await peer.send(heartbeat(9), port);
    // No label, so read strictly: a bad sequence number, answered with an error.
    await peer.send('-3 x', port);
    await peer.send(heartbeat(10), port);
    await waitForRow(
      file,
      (row) => row.client === peerKey && row.seq === '10',
      'the resumed peer',
    );
    assert.equal(await clients.exit(20_000), 0);
    const clientKeys = await waitFor(
      async () => {
        const rows = logRows(await logText(file));
        const keys = new Set(
          rows
            .filter((row) => row.event === 'replied' && row.client !== peerKey)
            .map((row) => row.client),
        );
        const stopped = rows.filter(
          (row) => row.event === 'stopped' && keys.has(row.client),
        );
        return keys.size === 3 && stopped.length === 3 ? keys : undefined;
      },
      {timeoutMs: 15_000, message: 'the three clients stopped'},
    );
    assert.equal(clientKeys.size, 3);
    server.press('q');
    assert.equal(await server.waitForExit(), 0);
  } finally {
    server.kill();
    peer.socket.close();
  }

  return readFile(file, 'utf8');
}

test('a log written by the built CLI with real clients replays to the same events and summary', async () => {
  await withTempDir(async (directory) => {
    const file = path.join(directory, 'run.csv');
    const text = await recordRun(file);
    const rows = logRows(text);
    const events = new Set(rows.map((row) => row.event));
    for (const event of [
      'start',
      'replied',
      'dropped',
      'malformed',
      'late',
      'stopped',
      'resumed',
      'loss',
      'summary',
      'stop',
    ]) {
      assert.ok(events.has(event), `the run logged a ${event} event`);
    }

    const replayed = await replayCli([
      file,
      '--speed',
      '0',
      '--output',
      'json',
    ]);
    assert.equal(replayed.code, 0, replayed.stderr);
    assert.equal(replayed.stderr, '');
    const lines = jsonLines(replayed.stdout);
    assertSameStream(rows, lines);
    // The summary, which the replay wrote from its own store: the very same text.
    const recordedSummary = rows.filter((row) => row.event === 'summary');
    const replayedSummary = lines.filter((line) => line.event === 'summary');
    assert.equal(recordedSummary.length, 4);
    assert.deepEqual(
      replayedSummary.map((line) => [line.client, line.detail]),
      recordedSummary.map((row) => [row.client, canonicalDetail(row.detail)]),
    );
    const peer = recordedSummary.find((row) =>
      row.detail!.includes('duplicates=1'),
    );
    assert.match(peer!.detail!, /lost=2;.*malformed=1/v);

    // Text output: the same run, saying it is a replay and of when.
    const asText = await replayCli([file, '--speed', '0']);
    assert.equal(asText.code, 0, asText.stderr);
    const start = rows[0]!;
    const end = recordedSummary[0]!;
    assert.match(
      asText.stdout,
      new RegExp(
        `^${start.time!.replaceAll('+', String.raw`\+`)}  start +replay=true;speed=0;listening=`,
        'v',
      ),
    );
    assert.ok(
      asText.stdout.includes(
        `replay of session ${start.session} from ${file}, recorded ${start.time} to ${end.time}\nudp-heartbeat summary\n`,
      ),
      asText.stdout,
    );
    assert.match(
      asText.stdout,
      /loss {9}35% \(changed while running\), seed 7/v,
    );
    assert.match(asText.stdout, /clients {6}4\n/v);

    // The same log as an older version wrote it: seven columns, no settings a replay reads.
    const old = stringify([
      ['session', 'time', 'event', 'client', 'seq', 'delay_ms', 'detail'],
      ...rows.map((row) => [
        row.session,
        row.time,
        row.event,
        row.client,
        row.seq,
        row.delay_ms,
        row.event === 'start'
          ? row.detail!.replace(/;max_clients=\d+/v, '')
          : row.detail,
      ]),
    ]);
    const oldFile = path.join(directory, 'old.csv');
    await writeFile(oldFile, old);
    const fromOld = await replayCli([
      oldFile,
      '--speed',
      '0',
      '--output',
      'json',
    ]);
    assert.equal(fromOld.code, 0, fromOld.stderr);
    const oldSummary = jsonLines(fromOld.stdout).filter(
      (line) => line.event === 'summary',
    );
    assert.equal(oldSummary.length, recordedSummary.length);
    for (const [index, row] of recordedSummary.entries()) {
      assertCloseSummary(row.detail!, oldSummary[index]!.detail!);
    }
  });
});

/** Figures rebuilt from a log cut to the millisecond: counts and states exact, times close. */
function assertCloseSummary(recorded: string, replayed: string): void {
  const fields = (detail: string) =>
    new Map(
      detail.split(';').map((field) => field.split('=') as [string, string]),
    );
  const want = fields(recorded);
  const got = fields(replayed);
  assert.deepEqual([...got.keys()], [...want.keys()]);
  for (const [name, value] of want) {
    const tolerance = name.startsWith('interval_')
      ? 1
      : name.endsWith('_ms')
        ? 0.002
        : 0;
    if (tolerance === 0) {
      assert.equal(got.get(name), value, `${name} in ${replayed}`);
    } else {
      assert.ok(
        Math.abs(Number(got.get(name)) - Number(value)) <= tolerance,
        `${name}: recorded ${value}, replayed ${got.get(name)}`,
      );
    }
  }
}
