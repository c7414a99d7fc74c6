import assert from 'node:assert/strict';
import {createSocket} from 'node:dgram';
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import test from 'node:test';
import {CliProcess, runCli} from '../helpers/cli-process.js';
import {freePort} from '../helpers/free-port.js';
import {PtyCli} from '../helpers/pty-cli.js';
import {UdpPeer} from '../helpers/udp-peer.js';
import {waitFor} from '../helpers/wait-for.js';

const columns = [
  'session',
  'time',
  'event',
  'client',
  'seq',
  'delay_ms',
  'detail',
  'time_ms',
  'delay_exact_ms',
  'clock_offset_ms',
  'name',
  'address',
] as const;

type Row = Record<(typeof columns)[number], string>;

/**
 * RFC 4180 as csv-stringify writes it: fields in double quotes may hold commas, newlines and
 * doubled quotes. Throws on a quote that is never closed or a record that has no newline at
 * its end, so a cut-off file cannot pass as a shorter one.
 */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let index = 0;
  let atFieldStart = true;
  while (index < text.length) {
    const character = text[index]!;
    if (atFieldStart && character === '"') {
      const close = findClosingQuote(text, index + 1);
      field = text.slice(index + 1, close).replaceAll('""', '"');
      index = close + 1;
      atFieldStart = false;
      const next = text[index];
      assert.ok(
        next === ',' || next === '\n' || next === '\r' || next === undefined,
        `a quoted field ends at a delimiter (offset ${index})`,
      );
      continue;
    }

    atFieldStart = false;
    if (character === ',') {
      record.push(field);
      field = '';
      atFieldStart = true;
    } else if (character === '\n' || character === '\r') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      atFieldStart = true;
      index += character === '\r' && text[index + 1] === '\n' ? 1 : 0;
    } else {
      assert.notEqual(character, '"', `a bare quote at offset ${index}`);
      field += character;
    }

    index++;
  }

  assert.ok(
    atFieldStart && field === '' && record.length === 0,
    'the last record ends with a newline',
  );
  return records;
}

function findClosingQuote(text: string, from: number): number {
  let index = from;
  for (;;) {
    const quote = text.indexOf('"', index);
    assert.ok(quote !== -1, `the quote opened at offset ${from - 1} is closed`);
    if (text[quote + 1] !== '"') {
      return quote;
    }

    index = quote + 2;
  }
}

/** The log's rows, after checking the header comes once, first, and every row has every column. */
function readRows(text: string): Row[] {
  assert.ok(text.endsWith('\n'), 'the file ends with a newline');
  const [header, ...records] = parseCsv(text);
  assert.deepEqual(header, [...columns]);
  return records.map((record, index) => {
    assert.equal(
      record.length,
      columns.length,
      `row ${index + 2} has every column: ${JSON.stringify(record)}`,
    );
    assert.notDeepEqual(record, [...columns], 'the header comes only once');
    return Object.fromEntries(
      columns.map((column, at) => [column, record[at]!]),
    ) as Row;
  });
}

const isoTime = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+\-]\d\d:\d\d$/v;
const summaryDetail =
  /^received=(?<received>\d+);replied=(?<replied>\d+);dropped=(?<dropped>\d+);lost=(?<lost>\d+)(?:;|$)/v;

function escapeRegExp(text: string): string {
  return text.replaceAll(/[.*+?^$\{\}\(\)\|\[\]\\\/]/gv, String.raw`\$&`);
}

type Run = {
  readonly signal: NodeJS.Signals;
  readonly heartbeats: number;
};

type RunResult = {
  readonly keys: string[];
  readonly sentSeqs: number[];
  /** Replies each peer got, by client key. */
  readonly replies: Map<string, number>;
};

/** One server run that logs to the file: two clients send heartbeats, then the signal stops it. */
async function serveOnce(file: string, run: Run): Promise<RunResult> {
  const port = await freePort();
  const cli = new CliProcess([
    '--log',
    file,
    '--output',
    'text',
    '--loss',
    '50',
    '--seed',
    '7',
    '--idle-timeout',
    '0',
    '--allow',
    '127.0.0.0/8,::1/128',
    '--port',
    String(port),
  ]);
  const peers = [await UdpPeer.open(), await UdpPeer.open()];
  const keys = peers.map((peer) => `127.0.0.1:${peer.port}`);
  const sentSeqs: number[] = [];
  try {
    await cli.waitForLine(/\bstart\b/v);
    for (let seq = 1; seq <= run.heartbeats; seq++) {
      for (const peer of peers) {
        await peer.send(`${seq} ${(Date.now() / 1000).toFixed(6)}`, port);
      }

      sentSeqs.push(seq);
      // Each heartbeat shows as a line before the next goes out, so the log's order is known.
      for (const key of keys) {
        await cli.waitForLine(
          new RegExp(
            String.raw`\s(?:replied|dropped)\s+${escapeRegExp(key)}\s+seq=${seq}\b`,
            'v',
          ),
        );
      }
    }

    cli.child.kill(run.signal);
    assert.equal(await cli.exit(), 0, `exit 0 after ${run.signal}`);
    assert.equal(cli.stderr, '');
    assert.match(cli.stdout, /udp-heartbeat summary/v);
    // Replies may still be on their way when the server exits: wait for every one the output told of.
    await waitFor(
      () =>
        peers.every(
          (peer, index) =>
            peer.replies.length ===
            cli
              .lines()
              .filter((line) =>
                new RegExp(
                  String.raw`\sreplied\s+${escapeRegExp(keys[index]!)}\s`,
                  'v',
                ).test(line),
              ).length,
        ),
      {message: 'a reply for every replied line'},
    );
    const replies = new Map(
      peers.map((peer, index) => [keys[index]!, peer.replies.length]),
    );
    return {keys, sentSeqs, replies};
  } finally {
    await Promise.all(peers.map(async (peer) => peer.close()));
    cli.child.kill('SIGKILL');
  }
}

/** Checks one session's rows: start first, a row per heartbeat, a summary row per client, stop last. */
function checkSession(rows: Row[], result: RunResult): void {
  assert.equal(rows[0]?.event, 'start');
  const last = rows.at(-1);
  assert.equal(last?.event, 'stop');
  assert.match(last.detail, /^duration_ms=\d+$/v);
  // The detail holds a comma from --allow: the parser found every column in place, so it was quoted.
  assert.match(rows[0].detail, /;allow=127\.0\.0\.0\/8,::1\/128$/v);
  for (const key of result.keys) {
    const heartbeats = rows.filter(
      (row) =>
        row.client === key &&
        (row.event === 'replied' || row.event === 'dropped'),
    );
    assert.deepEqual(
      heartbeats.map((row) => Number(row.seq)),
      result.sentSeqs,
      `one row per heartbeat of ${key}, in order`,
    );
    for (const row of heartbeats) {
      assert.match(row.delay_ms, /^-?\d+\.\d{3}$/v);
    }

    const replied = heartbeats.filter((row) => row.event === 'replied').length;
    const dropped = heartbeats.length - replied;
    assert.equal(
      result.replies.get(key),
      replied,
      `${key} got a reply for every replied row`,
    );
    const summaries = rows.filter(
      (row) => row.event === 'summary' && row.client === key,
    );
    assert.equal(summaries.length, 1, `one summary row for ${key}`);
    // Its delays are in the detail: a mean over delay_ms must count heartbeats only.
    assert.equal(
      summaries[0]!.delay_ms,
      '',
      'a summary row leaves delay_ms empty',
    );
    assert.match(summaries[0]!.detail, /;delay_avg_ms=\d+\.\d{3};/v);
    const counts = summaryDetail.exec(summaries[0]!.detail)?.groups;
    assert.ok(counts, summaries[0]!.detail);
    assert.deepEqual(
      {...counts},
      {
        received: String(result.sentSeqs.length),
        replied: String(replied),
        dropped: String(dropped),
        lost: '0',
      },
    );
  }

  const summaryRows = rows.filter((row) => row.event === 'summary');
  assert.equal(summaryRows.length, result.keys.length, 'no other summaries');
  assert.deepEqual(
    rows.slice(-1 - summaryRows.length, -1),
    summaryRows,
    'the summary rows come just before stop',
  );
  assert.equal(
    rows.filter((row) => row.event === 'replied' || row.event === 'dropped')
      .length,
    result.keys.length * result.sentSeqs.length,
    'no heartbeat rows besides those sent',
  );
}

test('three runs append to one CSV log: one header, sessions apart, complete after SIGTERM, SIGINT and SIGHUP', async () => {
  const folder = await mkdtemp(path.join(tmpdir(), 'udp-heartbeat-log-'));
  const file = path.join(folder, 'events.csv');
  try {
    const runs: Run[] = [
      {signal: 'SIGTERM', heartbeats: 12},
      {signal: 'SIGINT', heartbeats: 7},
      {signal: 'SIGHUP', heartbeats: 5},
    ];
    const results: RunResult[] = [];
    for (const run of runs) {
      results.push(await serveOnce(file, run));
      const text = await readFile(file, 'utf8');
      const rows = readRows(text);
      const sessions = [...new Set(rows.map((row) => row.session))];
      assert.equal(
        sessions.length,
        results.length,
        `one session per run after ${run.signal}`,
      );
      for (const row of rows) {
        assert.match(row.session, /^[\da-f]{8}$/v);
        assert.match(row.time, isoTime);
      }

      for (const [index, session] of sessions.entries()) {
        const sessionRows = rows.filter((row) => row.session === session);
        // A session's rows sit together: runs append, they never interleave.
        const first = rows.indexOf(sessionRows[0]!);
        assert.deepEqual(
          rows.slice(first, first + sessionRows.length),
          sessionRows,
        );
        checkSession(sessionRows, results[index]!);
      }

      // The comma in the start row's detail is quoted in the file itself.
      assert.match(
        text,
        /,"listening=[^"\n]*;allow=127\.0\.0\.0\/8,::1\/128",/v,
      );
    }

    const rows = readRows(await readFile(file, 'utf8'));
    const heartbeatRows = rows.filter(
      (row) => row.event === 'replied' || row.event === 'dropped',
    );
    assert.ok(
      heartbeatRows.some((row) => row.event === 'dropped') &&
        heartbeatRows.some((row) => row.event === 'replied'),
      'at 50 % loss some replies went out and some were dropped',
    );
  } finally {
    await rm(folder, {recursive: true, force: true});
  }
});

test('a log write error while running: a log-error line, serving goes on, exit 0 with the summary', async () => {
  const port = await freePort();
  const cli = new CliProcess([
    '--log',
    '/dev/full',
    '--output',
    'text',
    '--loss',
    '0',
    '--idle-timeout',
    '0',
    '--port',
    String(port),
  ]);
  const peer = await UdpPeer.open();
  try {
    const error = await cli.waitForLine(/\blog-error\b/v);
    assert.match(error, /no space left on device/v);
    const reply = await peer.request(
      `1 ${(Date.now() / 1000).toFixed(6)}`,
      port,
    );
    assert.match(reply, /^Packet delivery delay = /v);
    await cli.waitForLine(/\breplied\b.*seq=1\b/v);
    cli.child.kill('SIGTERM');
    assert.equal(await cli.exit(), 0);
    assert.match(cli.stdout, /udp-heartbeat summary/v);
    assert.match(cli.stdout, /totals\s+received 1, replied 1\b/v);
    assert.ok(cli.stdout.includes(`127.0.0.1:${peer.port}`));
    assert.equal(cli.stderr, '');
  } finally {
    await peer.close();
    cli.child.kill('SIGKILL');
  }
});

test('a log write error shows in the dashboard header, and serving goes on', async () => {
  const port = await freePort();
  const cli = new PtyCli([
    '--log',
    '/dev/full',
    '--loss',
    '0',
    '--idle-timeout',
    '0',
    '--port',
    String(port),
  ]);
  const peer = await UdpPeer.open();
  try {
    await cli.waitForText(
      /log error: log write failed: no space left on device/v,
    );
    const reply = await peer.request('Ping 1', port);
    assert.equal(reply, 'PING 1');
    await cli.waitForText(`127.0.0.1:${peer.port}`);
    cli.press('q');
    assert.equal(await cli.waitForExit(), 0);
    assert.match(cli.text(), /udp-heartbeat summary/v);
  } finally {
    await peer.close();
    cli.kill();
  }
});

test('a log path through a regular file exits 2 with one line naming --log and the path', async () => {
  const folder = await mkdtemp(path.join(tmpdir(), 'udp-heartbeat-log-'));
  try {
    await writeFile(path.join(folder, 'file.txt'), 'not a folder\n');
    const target = path.join(folder, 'file.txt', 'x.csv');
    const {code, stdout, stderr} = await runCli([
      '--log',
      target,
      '--output',
      'text',
    ]);
    assert.equal(code, 2);
    assert.equal(stdout, '', 'nothing was served');
    const lines = stderr.trim().split('\n');
    assert.equal(lines.length, 1, `one line, got:\n${stderr}`);
    assert.match(lines[0]!, /^.*--log: cannot open .*not a directory/v);
    assert.ok(lines[0]!.includes(target), 'the line names the path');
  } finally {
    await rm(folder, {recursive: true, force: true});
  }
});

test('--log refuses a file that is not a log: one line, exit 2, nothing bound, the file untouched', async () => {
  const folder = await mkdtemp(path.join(tmpdir(), 'udp-heartbeat-log-'));
  const header = columns.join(',');
  const files: Array<[string, Uint8Array | string]> = [
    ['README.md', '# My project\n\nNotes a typo must not damage.'],
    ['people.csv', 'name,age\nAda,36\n'],
    ['binary.bin', new Uint8Array([0, 159, 146, 150, 0x0a, 255, 0, 1])],
    // The header a little off, and one with a longer first line than the probe.
    ['near.csv', `${header.replace('detail', 'details')}\n`],
    ['long.csv', `${header},${'x'.repeat(10_000)}\n`],
  ];
  try {
    for (const [name, content] of files) {
      const file = path.join(folder, name);
      await writeFile(file, content);
      const before = await readFile(file);
      const port = await freePort();
      const {code, stdout, stderr} = await runCli([
        '--log',
        file,
        '--output',
        'text',
        '--port',
        String(port),
      ]);
      assert.equal(code, 2, `${name}: exit 2`);
      assert.equal(stdout, '', `${name}: nothing was served`);
      const lines = stderr.trim().split('\n');
      assert.equal(lines.length, 1, `${name}: one line, got:\n${stderr}`);
      assert.match(lines[0]!, /--log: .*not a log written by --log/v);
      assert.ok(lines[0]!.includes(name), `${name}: the line names the path`);
      assert.deepEqual(await readFile(file), before, `${name}: untouched`);
      // Nothing was bound: the port is free again for anyone.
      const socket = createSocket('udp4');
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        socket.bind(port, '0.0.0.0', resolve);
      });
      socket.close();
    }

    const {code, stderr} = await runCli(['--log', folder, '--output', 'text']);
    assert.equal(code, 2, 'a directory: exit 2');
    assert.equal(stderr.trim().split('\n').length, 1, stderr);
    assert.match(stderr, /--log: cannot open .*directory/v);
  } finally {
    await rm(folder, {recursive: true, force: true});
  }
});

test('--log appends to a log whose last row was cut by a killed run, after a newline', async () => {
  const folder = await mkdtemp(path.join(tmpdir(), 'udp-heartbeat-log-'));
  const file = path.join(folder, 'events.csv');
  try {
    await serveOnce(file, {signal: 'SIGTERM', heartbeats: 2});
    const whole = await readFile(file, 'utf8');
    // A run killed in the middle of a row leaves its first half behind.
    const cut = `${whole}0badf00d,2026-01-01T00:00:00.000+00:00,repl`;
    await writeFile(file, cut);
    await serveOnce(file, {signal: 'SIGTERM', heartbeats: 1});
    const text = await readFile(file, 'utf8');
    assert.ok(text.startsWith(cut), 'what was there stays');
    const after = text.slice(cut.length);
    assert.ok(after.startsWith('\n'), 'the next run starts on a new line');
    readRows(whole + after.slice(1));
  } finally {
    await rm(folder, {recursive: true, force: true});
  }
});
