/*
Runs that appended to one log stay apart in a replay, even when their rows interleave: by default
the last one to start plays, `--session` picks another. Built CLI throughout.
*/
import assert from 'node:assert/strict';
import {writeFile} from 'node:fs/promises';
import path from 'node:path';
import test from 'node:test';
import {SessionTracker} from '../../source/replay/find-session.js';
import {jsonLines, replayCli, withTempDir} from './log-files.js';

const header =
  'session,time,event,client,seq,delay_ms,detail,time_ms,delay_exact_ms';

function row(session: string, second: number, rest: string): string {
  const time = Date.UTC(2026, 10, 24, 6, 0, second);
  const iso = new Date(time).toISOString().replace('Z', '+00:00');
  return `${session},${iso},${rest},${time},`;
}

const log = [
  header,
  row('aaaa1111', 0, 'start,,,,listening=0.0.0.0:12000;loss=0%'),
  row('aaaa1111', 1, 'replied,127.0.0.1:5000,1,,lost_in_between=0'),
  row('bbbb2222', 2, 'start,,,,listening=0.0.0.0:12001;loss=50%'),
  row('aaaa1111', 3, 'replied,127.0.0.1:5000,2,,lost_in_between=0'),
  row('bbbb2222', 4, 'dropped,127.0.0.1:6000,7,,'),
  row('aaaa1111', 5, 'replied,127.0.0.1:5000,3,,lost_in_between=0'),
  '',
].join('\n');

async function summaries(
  file: string,
  flags: string[],
): Promise<Array<[string | null, string | null, string]>> {
  const result = await replayCli([
    file,
    '--speed',
    '0',
    '--output',
    'json',
    ...flags,
  ]);
  assert.equal(result.code, 0, result.stderr);
  return jsonLines(result.stdout)
    .filter((line) => line.event === 'summary')
    .map((line) => [
      line.client,
      line.detail!.split(';').slice(0, 3).join(';'),
      line.session,
    ]);
}

test('interleaved runs in one log: the last to start plays by default, --session picks the other', async () => {
  await withTempDir(async (directory) => {
    const file = path.join(directory, 'two.csv');
    await writeFile(file, log);
    assert.deepEqual(await summaries(file, []), [
      ['127.0.0.1:6000', 'received=1;replied=0;dropped=1', 'bbbb2222'],
    ]);
    assert.deepEqual(await summaries(file, ['--session', 'aaaa1111']), [
      ['127.0.0.1:5000', 'received=3;replied=3;dropped=0', 'aaaa1111'],
    ]);
  });
});

test('with --session the log is read once: a broken row further on stops the replay there, exit 2', async () => {
  await withTempDir(async (directory) => {
    const file = path.join(directory, 'broken.csv');
    await writeFile(file, `${log}bbbb2222,soon,replied,127.0.0.1:6000,8,,,,\n`);
    const once = await replayCli([
      file,
      '--session',
      'aaaa1111',
      '--speed',
      '0',
    ]);
    assert.equal(once.code, 2);
    assert.match(once.stdout, / replied +127\.0\.0\.1:5000 +seq=3 /v);
    assert.equal(
      once.stderr,
      `udp-heartbeat: replay: ${file} line 8: "soon" is not a time like 2026-11-24T06:31:07.123+01:00\n`,
    );
    // Without --session, the whole file is checked first: nothing is played.
    const checked = await replayCli([file, '--speed', '0']);
    assert.equal(checked.code, 2);
    assert.equal(checked.stdout, '');
  });
});

test('a session the log does not hold: the latest sessions are named newest first, the one played marked', () => {
  const tracker = new SessionTracker('runs.csv', 'nope');
  let line = 1;
  const seen = (session: string, event: string) => {
    line++;
    tracker.see({
      line,
      session,
      time: line * 1000,
      exact: true,
      event,
      client: undefined,
      seq: undefined,
      delayMs: undefined,
      detail: undefined,
      clockOffsetMs: 0,
    });
  };

  seen('aaaa1111', 'start');
  seen('bbbb2222', 'start');
  // A session with no start row (its start was cut off): the last to start plays.
  seen('cccc3333', 'idle');
  assert.throws(
    () => tracker.chosen(),
    (error: Error) =>
      error.message.endsWith(
        '(it holds 3 sessions; the latest first: cccc3333, bbbb2222 (played without --session), aaaa1111)',
      ),
  );
});
