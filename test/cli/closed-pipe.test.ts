import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {once} from 'node:events';
import {mkdtemp, readFile, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import test from 'node:test';
import {cliPath, CliProcess, runCli} from '../helpers/cli-process.js';
import {freePort} from '../helpers/free-port.js';

/**
 * `udp-heartbeat --output FORMAT --demo 2 --log FILE | head -5` through a real shell pipe; the
 * demo clients keep events coming, so the server writes again after head has gone. Returns the
 * server's exit status (bash's PIPESTATUS), what head printed, and the log.
 */
async function pipeIntoHead(
  format: 'json' | 'text',
): Promise<{status: string; lines: string[]; log: string}> {
  const folder = await mkdtemp(path.join(tmpdir(), 'udp-heartbeat-pipe-'));
  const logPath = path.join(folder, 'events.csv');
  const port = await freePort();
  try {
    const shell = spawn(
      'bash',
      [
        '-c',
        // eslint-disable-next-line no-template-curly-in-string -- bash's own ${…}, not a template
        '"$1" "$2" --output "$3" --demo 2 --idle-timeout 0 --port "$4" --log "$5" | head -5; echo "server exit ${PIPESTATUS[0]}" >&2',
        'pipe',
        process.execPath,
        cliPath,
        format,
        String(port),
        logPath,
      ],
      // Its own process group, so that the deadline ends the server with the shell.
      {stdio: ['ignore', 'pipe', 'pipe'], detached: true},
    );
    let stdout = '';
    let stderr = '';
    shell.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    shell.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    // The deadline: a server that keeps serving into the closed pipe never lets the shell end.
    const deadline = setTimeout(() => {
      process.kill(-shell.pid!, 'SIGKILL');
    }, 20_000);
    await once(shell, 'close');
    clearTimeout(deadline);
    const status = /server exit (\d+)/v.exec(stderr)?.[1];
    assert.ok(status, `the pipeline finished; stderr:\n${stderr}`);
    return {
      status,
      lines: stdout.split('\n').filter((line) => line !== ''),
      log: await readFile(logPath, 'utf8'),
    };
  } finally {
    await rm(folder, {recursive: true, force: true});
  }
}

function assertLogComplete(log: string): void {
  const rows = log.trimEnd().split('\n');
  assert.match(rows.at(-1)!, /^\w+,[^,]+,stop,,,,duration_ms=\d+(?:,.*)?$/v);
  assert.ok(
    rows.some((row) => /,summary,127\.0\.0\.1:\d+,/v.test(row)),
    `summary rows in the log:\n${log}`,
  );
}

for (const format of ['json', 'text'] as const) {
  test(`--output ${format} | head -5: the server shuts down as on SIGTERM and exits 0`, async () => {
    const {status, lines, log} = await pipeIntoHead(format);
    assert.equal(status, '0');
    assert.equal(lines.length, 5);
    if (format === 'json') {
      assert.equal((JSON.parse(lines[0]!) as {event: string}).event, 'start');
    }

    assertLogComplete(log);
  });
}

test('client | head -2: the client exits 0 quietly, and the server serves on', async () => {
  const port = await freePort();
  const server = new CliProcess([
    '--output',
    'text',
    '--loss',
    '0',
    '--idle-timeout',
    '0',
    '--port',
    String(port),
  ]);
  try {
    await server.waitForLine(/\bstart\b/v);
    const shell = spawn(
      'bash',
      [
        '-c',
        // eslint-disable-next-line no-template-curly-in-string -- bash's own ${…}, not a template
        '"$1" "$2" client --port "$3" --interval 0.05 | head -2; echo "client exit ${PIPESTATUS[0]}" >&2',
        'pipe',
        process.execPath,
        cliPath,
        String(port),
      ],
      {stdio: ['ignore', 'pipe', 'pipe'], detached: true},
    );
    let stdout = '';
    let stderr = '';
    shell.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    shell.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    // The deadline: a client that keeps sending into the closed pipe never lets the shell end.
    const deadline = setTimeout(() => {
      process.kill(-shell.pid!, 'SIGKILL');
    }, 30_000);
    await once(shell, 'close');
    clearTimeout(deadline);
    assert.equal(stderr, 'client exit 0\n', 'no error line, exit 0');
    assert.equal(stdout.split('\n').filter(Boolean).length, 2);
    assert.match(stdout, /^HEARTBEAT 127\.0\.0\.1:\d+/v);
    assert.equal(server.child.exitCode, null, 'the server still serves');
    const later = await runCli([
      'client',
      '--port',
      String(port),
      '--count',
      '1',
    ]);
    assert.equal(later.code, 0, later.stdout);
    server.child.kill('SIGTERM');
    assert.equal(await server.exit(), 0);
  } finally {
    server.child.kill('SIGKILL');
  }
});
