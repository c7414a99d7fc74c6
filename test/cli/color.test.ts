import assert from 'node:assert/strict';
import test from 'node:test';
import {freePort} from '../helpers/free-port.js';
import {PtyCli} from '../helpers/pty-cli.js';

/** Select Graphic Rendition: the escape sequences that set colour, bold and inverse. */
// eslint-disable-next-line no-control-regex
const colourCode = /\u001B\[[\d;]*m/v;

/**
 * The built CLI with the dashboard and two demo clients in a pseudo-terminal, shut down by
 * SIGTERM once a client row shows: returns the dashboard's output and the exit summary's, raw.
 * CI is removed from the environment, since under CI chalk drops colour whatever is asked.
 */
async function runDashboard(
  flags: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Promise<{dashboard: string; summary: string}> {
  const port = await freePort();
  const cli = new PtyCli(
    ['--demo', '2', '--port', String(port), '--idle-timeout', '0', ...flags],
    {env: {CI: undefined, FORCE_COLOR: undefined, NO_COLOR: undefined, ...env}},
  );
  try {
    await cli.waitForText(/127\.0\.0\.1:\d+\s+\S*\s*alive/v);
    cli.terminal.kill('SIGTERM');
    assert.equal(await cli.waitForExit(), 0);
    const start = cli.output.indexOf('udp-heartbeat summary');
    assert.ok(start > 0, `a summary after the dashboard:\n${cli.text()}`);
    await cli.waitForText('loss%');
    return {
      dashboard: cli.output.slice(0, start),
      summary: cli.output.slice(start),
    };
  } finally {
    cli.kill();
  }
}

test('NO_COLOR (non-empty) turns colour off in the dashboard and the exit summary', async () => {
  const {dashboard, summary} = await runDashboard([], {NO_COLOR: '1'});
  assert.doesNotMatch(dashboard, colourCode);
  assert.doesNotMatch(summary, colourCode);
});

test('--no-color turns colour off on a colour terminal', async () => {
  const {dashboard, summary} = await runDashboard(['--no-color'], {
    TERM: 'xterm-256color',
  });
  assert.doesNotMatch(dashboard, colourCode);
  assert.doesNotMatch(summary, colourCode);
});

test('--color forces colour on, even with NO_COLOR set', async () => {
  const {dashboard, summary} = await runDashboard(['--color'], {
    NO_COLOR: '1',
  });
  assert.match(dashboard, colourCode);
  assert.match(summary, colourCode);
});

test('a terminal gets colour by default, and an empty NO_COLOR does not turn it off', async () => {
  const {dashboard, summary} = await runDashboard([], {NO_COLOR: ''});
  assert.match(dashboard, colourCode);
  assert.match(summary, colourCode);
});
