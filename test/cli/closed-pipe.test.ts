import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {once} from 'node:events';
import {mkdtemp, readFile, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import test from 'node:test';
import {cliPath} from '../helpers/cli-process.js';
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
