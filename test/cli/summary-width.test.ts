import assert from 'node:assert/strict';
import test from 'node:test';
import {freePort} from '../helpers/free-port.js';
import {PtyCli} from '../helpers/pty-cli.js';

for (const output of ['tui', 'text'] as const) {
  test(`--output ${output} in an 80-column terminal: the exit summary fits, its box lines whole`, async () => {
    const port = await freePort();
    const cli = new PtyCli(
      [
        '--output',
        output,
        '--demo',
        '3',
        '--port',
        String(port),
        '--idle-timeout',
        '0',
      ],
      {columns: 80, rows: 24},
    );
    try {
      await cli.waitForText(/127\.0\.0\.1:\d+/v);
      cli.terminal.kill('SIGTERM');
      assert.equal(await cli.waitForExit(), 0);
      const text = cli.text();
      const summary = text
        .slice(text.lastIndexOf('udp-heartbeat summary'))
        .replaceAll('\r', '')
        .split('\n');
      const table = summary.filter((line) => /^[┌├└│]/v.test(line));
      assert.ok(table.length >= 5, summary.join('\n'));
      for (const line of summary) {
        assert.ok(line.length <= 80, `${line.length} columns: ${line}`);
      }

      for (const line of table) {
        assert.match(line, /^[┌├└│].*[┐┤┘│]$/v, 'a whole box line');
      }

      assert.equal(new Set(table.map((line) => line.length)).size, 1);
      assert.match(table[1]!, /│ client +│ state +│.*│ loss% │/v);
    } finally {
      cli.kill();
    }
  });
}
