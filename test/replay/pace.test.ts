/*
At --speed 1 the built CLI keeps the recorded pace: a row an hour after the first is not played
until an hour has passed, and Ctrl+C ends the replay with the summary of what was played.
*/
import assert from 'node:assert/strict';
import {writeFile} from 'node:fs/promises';
import path from 'node:path';
import test from 'node:test';
import {CliProcess} from '../helpers/cli-process.js';
import {withTempDir} from './log-files.js';

const header =
  'session,time,event,client,seq,delay_ms,detail,time_ms,delay_exact_ms';

test('a row an hour later waits for its time; SIGINT stops the replay with a summary', async () => {
  await withTempDir(async (directory) => {
    const file = path.join(directory, 'hour.csv');
    await writeFile(
      file,
      [
        header,
        'aaaa1111,2026-11-24T06:00:00.000+00:00,start,,,,listening=0.0.0.0:12000;loss=0%,1795500000000,',
        'aaaa1111,2026-11-24T06:00:00.500+00:00,replied,127.0.0.1:5000,1,0.250,lost_in_between=0,1795500000500,0.25',
        'aaaa1111,2026-11-24T07:00:00.500+00:00,replied,127.0.0.1:5000,2,0.250,lost_in_between=0,1795503600500,0.25',
        '',
      ].join('\n'),
    );
    const cli = new CliProcess(['replay', file, '--speed', '1']);
    try {
      await cli.waitForLine(/ replied .* seq=1 /v);
      assert.ok(!cli.stdout.includes('seq=2'), 'the later row waits');
      cli.child.kill('SIGINT');
      assert.equal(await cli.exit(), 0);
      assert.ok(!cli.stdout.includes('seq=2'), cli.stdout);
      assert.match(
        cli.stdout,
        /recorded 2026-11-24T\d\d:00:00\.000[+\-]\d\d:\d\d to 2026-11-24T\d\d:00:00\.500[+\-]\d\d:\d\d \(stopped before the end of the log\)\nudp-heartbeat summary\n/v,
      );
      assert.match(cli.stdout, / summary +127\.0\.0\.1:5000 +seq=1 /v);
    } finally {
      cli.child.kill('SIGKILL');
    }
  });
});
