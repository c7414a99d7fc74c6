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
      if (output === 'tui') {
        // A reset, so that the summary has its longest line: r and y in one read.
        cli.press('ry');
        await cli
          .waitForText(/counters reset|reset at/iv, 10_000)
          .catch(() => undefined);
      }

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
      // Lines wrap at a space: joined again, every sentence reads whole, with no word cut.
      const joined = summary
        .filter((line) => !/^[┌├└│]/v.test(line))
        .map((line) => line.trim())
        .join(' ');
      assert.match(joined, /duration +\d+s\b|duration +\d+m\d\ds\b/v);
      assert.ok(
        joined.includes('last heard: time of the latest heartbeat'),
        joined,
      );
      if (output === 'tui') {
        assert.ok(
          joined.includes(
            '(totals cover the whole run; client rows count from the last reset)',
          ),
          joined,
        );
      }

      // One line per client: no rule between rows.
      assert.equal(
        table.filter((line) => line.startsWith('├')).length,
        1,
        table.join('\n'),
      );
      assert.match(table[1]!, /│ client +│ state +│.*│ loss% │/v);
    } finally {
      cli.kill();
    }
  });
}
