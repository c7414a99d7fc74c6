/*
A headless run of the built CLI in the time zone Asia/Kolkata (UTC+5:30), keying clients by
address alone: a client that sends UTC datetimes from a new socket for every heartbeat, and one
whose malformed datagrams outrun the one-a-second limit on error replies. The built CLI replays
the log to the same events and the same summary: the clock offset, the delays net of it, the
unanswered errors and the host keys included.
*/
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import {once} from 'node:events';
import {readFile} from 'node:fs/promises';
import path from 'node:path';
import test from 'node:test';
import {CliProcess} from '../helpers/cli-process.js';
import {freePort} from '../helpers/free-port.js';
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

const zone = {TZ: 'Asia/Kolkata'};

/** Python's `str(datetime.utcnow())`: UTC, without an offset, with microseconds. */
function utcDatetime(): string {
  return `${new Date().toISOString().replace('T', ' ').slice(0, -1)}000`;
}

/** One datagram from a new socket on `address`, as a client that never reuses its socket. */
async function sendOnce(
  payload: string,
  port: number,
  address: string,
): Promise<void> {
  const socket = dgram.createSocket('udp4');
  socket.on('error', () => undefined);
  socket.bind(0, address);
  await once(socket, 'listening');
  await new Promise<void>((resolve, reject) => {
    socket.send(payload, port, '127.0.0.1', (error) => {
      if (error) {
        reject(error);
      } else {
        resolve();
      }
    });
  });
  socket.close();
}

async function rowsOf(file: string): Promise<Row[]> {
  return logRows(await readFile(file, 'utf8').catch(() => ''));
}

async function waitForRows(
  file: string,
  match: (rows: Row[]) => boolean,
  message: string,
): Promise<Row[]> {
  return waitFor(
    async () => {
      const rows = await rowsOf(file);
      return match(rows) ? rows : undefined;
    },
    {timeoutMs: 15_000, message},
  );
}

async function recordRun(file: string): Promise<Row[]> {
  const port = await freePort();
  const server = new CliProcess(
    [
      '--port',
      String(port),
      '--loss',
      '0',
      '--idle-timeout',
      '0',
      '--client-key',
      'host',
      '--output',
      'json',
      '--log',
      file,
    ],
    zone,
  );
  try {
    await waitForRows(
      file,
      (rows) => rows.some((row) => row.event === 'start'),
      'the start row',
    );
    // The client in UTC: each heartbeat from a new socket on 127.0.0.1.
    for (let seq = 1; seq <= 4; seq++) {
      await sendOnce(`${seq} ${utcDatetime()}`, port, '127.0.0.1');
      await waitForRows(
        file,
        (rows) =>
          rows.some(
            (row) => row.client === '127.0.0.1' && row.seq === `${seq}`,
          ),
        `heartbeat ${seq}`,
      );
    }

    // The faulty client: three malformed datagrams at once draw one error reply.
    await sendOnce(`1 ${Date.now() / 1000}`, port, '127.0.0.2');
    for (const payload of ['-3 x', '7 yesterday', '-3 x']) {
      await sendOnce(payload, port, '127.0.0.2');
    }

    await waitForRows(
      file,
      (rows) =>
        rows.filter(
          (row) => row.client === '127.0.0.2' && row.event === 'malformed',
        ).length === 3,
      'three malformed rows',
    );
    server.child.kill('SIGINT');
    assert.equal(await server.exit(15_000), 0, server.stderr);
  } finally {
    server.child.kill('SIGKILL');
  }

  return rowsOf(file);
}

test('a run in another time zone, keyed by host, with held-back errors replays to the same events and summary', async () => {
  await withTempDir(async (directory) => {
    const file = path.join(directory, 'zones.csv');
    const rows = await recordRun(file);
    assert.match(rows[0]!.detail!, /;client_key=host(?:;|$)/v);
    const summaries = rows.filter((row) => row.event === 'summary');
    assert.deepEqual(
      summaries.map((row) => row.client),
      ['127.0.0.1', '127.0.0.2'],
    );
    const [utc, faulty] = summaries;
    // The UTC client's datetimes read as Kolkata's are 5:30 behind: a time zone, not a delay.
    assert.match(
      utc!.detail!,
      /^received=4;replied=4;dropped=0;lost=0;.*;clock_offset_ms=-19800000;/v,
    );
    assert.ok(
      Math.abs(Number(utc!.delay_ms)) < 1000,
      `delays net of the offset: ${utc!.delay_ms}`,
    );
    assert.match(
      faulty!.detail!,
      /^received=4;replied=2;dropped=0;lost=0;.*;malformed=3;unanswered=2;/v,
    );
    assert.deepEqual(
      rows.filter((row) => row.event === 'malformed').map((row) => row.detail),
      [
        'bad sequence number',
        'bad timestamp;unanswered',
        'bad sequence number;unanswered',
      ],
    );

    // The replay, in the same zone so that times read the same: every event, every summary.
    const replayed = await replayCli(
      [file, '--speed', '0', '--output', 'json'],
      zone,
    );
    assert.equal(replayed.code, 0, replayed.stderr);
    const lines = jsonLines(replayed.stdout);
    assertSameStream(rows, lines);
    assert.deepEqual(
      lines
        .filter((line) => line.event === 'summary')
        .map((line) => [line.client, line.detail]),
      summaries.map((row) => [row.client, canonicalDetail(row.detail)]),
    );

    // In another zone the times read differently, and the figures are the same.
    const elsewhere = await replayCli(
      [file, '--speed', '0', '--output', 'json'],
      {TZ: 'UTC'},
    );
    const utcSummaries = jsonLines(elsewhere.stdout).filter(
      (line) => line.event === 'summary',
    );
    assert.deepEqual(
      utcSummaries.map((line) =>
        line.detail!.replace(/;last_heartbeat=[^;]*/v, ''),
      ),
      summaries.map((row) =>
        canonicalDetail(row.detail)!.replace(/;last_heartbeat=[^;]*/v, ''),
      ),
    );

    // The exit table shows the zone and the unanswered errors.
    const asText = await replayCli([file, '--speed', '0'], zone);
    assert.equal(asText.code, 0, asText.stderr);
    assert.match(asText.stdout, /unans/v);
    assert.match(asText.stdout, /127\.0\.0\.1 .* -5:30 /v);
  });
});
