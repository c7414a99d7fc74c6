import assert from 'node:assert/strict';
import {readFile, mkdtemp} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import test from 'node:test';
import {freePort} from '../helpers/free-port.js';
import {PtyCli} from '../helpers/pty-cli.js';
import {UdpPeer} from '../helpers/udp-peer.js';
import {keepSending, waitForFrame} from './dashboard-screen.js';

/*
The two ways the dashboard can fail, injected through the hidden UDP_HEARTBEAT_FAULT variable: a
component that throws, and an engine thread that dies. Either way the terminal is given back, the
log is complete, the summary is printed from the last snapshot, one line names the failure, and the
exit code is 70.
*/

async function runWithFault(fault: 'render' | 'engine') {
  const port = await freePort();
  const directory = await mkdtemp(path.join(tmpdir(), 'udp-heartbeat-fault-'));
  const logPath = path.join(directory, 'events.csv');
  const cli = new PtyCli(
    [
      '--port',
      String(port),
      '--loss',
      '0',
      '--idle-timeout',
      '0',
      '--log',
      logPath,
    ],
    {columns: 160, rows: 40, env: {UDP_HEARTBEAT_FAULT: fault}},
  );
  const peer = await UdpPeer.open();
  try {
    await waitForFrame(
      cli,
      (frame) => frame.includes(`listening 0.0.0.0:${port}`),
      'the dashboard',
      15_000,
    );
    const stop = keepSending(peer, port, 50);
    try {
      const code = await cli.waitForExit(20_000);
      return {
        code,
        output: cli.output,
        text: cli.text(),
        log: await readFile(logPath, 'utf8'),
        peer,
      };
    } finally {
      stop();
    }
  } finally {
    cli.kill();
    await peer.close();
  }
}

/** Escape sequences that give the terminal back: the cursor shown again. */
const cursorShown = '\u001B[?25h';

test('a component that throws: terminal restored, log complete, summary, one line, exit 70', async () => {
  const {code, output, text, log} = await runWithFault('render');
  assert.equal(code, 70);
  assert.ok(output.includes(cursorShown), 'the cursor is shown again');
  assert.match(text, /udp-heartbeat summary/v);
  assert.match(
    text,
    /udp-heartbeat: the dashboard failed: injected render fault/v,
  );
  assert.doesNotMatch(text, /at .*\.js:\d+/v, 'no stack trace');
  assert.match(
    log,
    /,summary,127\.0\.0\.1:\d+,/v,
    'the summary rows are in the log',
  );
  assert.match(log, /,stop,/v, 'the log ends with stop');
});

test('an engine thread that dies: terminal restored, log flushed, summary from the last snapshot, exit 70', async () => {
  const {code, output, text, log} = await runWithFault('engine');
  assert.equal(code, 70);
  assert.ok(output.includes(cursorShown), 'the cursor is shown again');
  assert.match(text, /udp-heartbeat summary/v);
  assert.match(text, /received [1-9]\d*/v, 'the totals of the last snapshot');
  assert.match(
    text,
    /udp-heartbeat: the engine failed: injected engine fault/v,
  );
  assert.doesNotMatch(text, /at .*\.js:\d+/v, 'no stack trace');
  assert.match(
    log,
    /,replied,127\.0\.0\.1:\d+,/v,
    'what was recorded reached the log',
  );
  assert.match(log, /,stop,/v, 'the log was closed in order');
});
