/*
Whatever file or flags a user gives `replay`, a mistake is one line on stderr and exit code 2:
never a stack trace, a crash or a hang. Every case runs the built CLI.
*/
import assert from 'node:assert/strict';
import {mkdir, writeFile} from 'node:fs/promises';
import path from 'node:path';
import test from 'node:test';
import {replayCli, withTempDir} from './log-files.js';

const header =
  'session,time,event,client,seq,delay_ms,detail,time_ms,delay_exact_ms';
const start =
  'aaaa1111,2026-11-24T06:31:07.123+00:00,start,,,,listening=0.0.0.0:12000;loss=0%,1795501867123.25,';
const heartbeat =
  'aaaa1111,2026-11-24T06:31:08.123+00:00,replied,127.0.0.1:5000,1,0.400,lost_in_between=0,1795501868123.5,0.4';

type Case = {
  readonly name: string;
  /** The file's content; undefined for no file at all. */
  readonly content?: string | Uint8Array;
  /** Make a directory instead of a file. */
  readonly directory?: boolean;
  readonly flags?: readonly string[];
  readonly message: RegExp;
};

const junk = new Uint8Array(4096);
for (let index = 0; index < junk.length; index++) {
  // Fixed "random" bytes, the same every run.
  junk[index] = (index * 2_654_435_761) >>> 24;
}

const cases: Case[] = [
  {name: 'a missing file', message: /cannot read ".*log\.csv": no such file$/v},
  {
    name: 'a directory',
    directory: true,
    message: /it is a directory, not a log file$/v,
  },
  {name: 'an empty file', content: '', message: /is empty: not a log/v},
  {
    name: 'a wrong header',
    content: 'name,value\nx,1\n',
    message:
      /line 1: not a log written by --log: the header is not session,time,event,client,seq,delay_ms,detail$/v,
  },
  {
    name: 'binary junk',
    content: junk,
    message: /log\.csv line 1: not a log written by --log/v,
  },
  {
    // A README: the CSV parser would trip on a quote far down; the header is wrong at line 1.
    name: 'a text file with a stray quote further down',
    content: `# Notes\n\n${'Some text, with commas.\n'.repeat(300)}He said "hi" there\n`,
    message: /log\.csv line 1: not a log written by --log/v,
  },
  {
    name: 'a header and no rows',
    content: `${header}\n`,
    message: /holds no events: there is nothing to replay$/v,
  },
  {
    name: 'a row cut short',
    content: `${header}\n${start}\naaaa1111,2026-11-24T06:31:08.123+00:00,replied\n`,
    message: /line 3: the row has 3 of the 7 columns \(cut short\?\)$/v,
  },
  {
    name: 'a quote never closed',
    content: `${header}\n${start}\naaaa1111,2026-11-24T06:31:08.123+00:00,replied,"127.0.0.1:5000,1\n`,
    message: /line 3: not CSV as --log writes it \(Quote Not Closed/v,
  },
  {
    name: 'an unknown event',
    content: `${header}\n${start}\naaaa1111,2026-11-24T06:31:08.123+00:00,exploded,,,,,,\n`,
    message: /line 3: "exploded" is not an event of the log$/v,
  },
  {
    name: 'a bad time',
    content: `${header}\n${start}\naaaa1111,yesterday,replied,127.0.0.1:5000,1,,,,\n`,
    message:
      /line 3: "yesterday" is not a time like 2026-11-24T06:31:07\.123\+01:00$/v,
  },
  {
    name: 'an impossible date',
    content: `${header}\n${start}\naaaa1111,2026-02-30T06:31:08.123+00:00,replied,127.0.0.1:5000,1,,,,\n`,
    message: /line 3: "2026-02-30T06:31:08\.123\+00:00" is not a time/v,
  },
  {
    name: 'an exact time that is not the time',
    content: `${header}\n${start}\naaaa1111,2026-11-24T06:31:08.123+00:00,replied,127.0.0.1:5000,1,,,1795501899999.5,\n`,
    message: /line 3: time_ms 1795501899999\.5 is not the time/v,
  },
  {
    name: 'a bad sequence number',
    content: `${header}\n${start}\naaaa1111,2026-11-24T06:31:08.123+00:00,replied,127.0.0.1:5000,-3,,,,\n`,
    message: /line 3: seq "-3" is not a sequence number$/v,
  },
  {
    name: 'a bad delay',
    content: `${header}\n${start}\naaaa1111,2026-11-24T06:31:08.123+00:00,replied,127.0.0.1:5000,1,fast,,,\n`,
    message: /line 3: delay_ms "fast" is not a number$/v,
  },
  {
    name: 'a clock offset that is no time zone',
    content: `${header},clock_offset_ms\n${start}\n${heartbeat},12345\n`,
    message:
      /line 3: clock_offset_ms 12345 is not a time zone offset \(quarter hours, at most 14 h\)$/v,
  },
  {
    name: 'a name with a control character',
    content: `${header},clock_offset_ms,name,address\n${start}\n${heartbeat},,"boiler\u001B[2J",\n`,
    message:
      /line 3: name "boiler\\u001b\[2J" is not a client name \(1 to 64 printable characters\)$/v,
  },
  {
    name: 'a name longer than 64 characters',
    content: `${header},clock_offset_ms,name,address\n${start}\n${heartbeat},,${'x'.repeat(65)},\n`,
    message: /line 3: name "x{65}" is not a client name/v,
  },
  {
    name: 'an address that is no address',
    content: `${header},clock_offset_ms,name,address\n${start}\naaaa1111,2026-11-24T06:31:08.123+00:00,replied,pump,1,0.400,,1795501868123.5,0.4,,pump,nowhere\n`,
    message: /line 3: "nowhere" is not a client address$/v,
  },
  {
    name: "a client keyed by name that is not the row's name",
    content: `${header},clock_offset_ms,name,address\n${start}\naaaa1111,2026-11-24T06:31:08.123+00:00,replied,pump,1,0.400,,1795501868123.5,0.4,,valve,127.0.0.1:5000\n`,
    message: /line 3: "pump" has an address but is not the row's name$/v,
  },
  {
    name: 'a client that is no address',
    content: `${header}\n${start}\naaaa1111,2026-11-24T06:31:08.123+00:00,replied,somewhere,1,,,,\n`,
    message: /line 3: "somewhere" is not a client address$/v,
  },
  {
    name: 'a heartbeat without a client',
    content: `${header}\n${start}\naaaa1111,2026-11-24T06:31:08.123+00:00,replied,,1,,,,\n`,
    message: /line 3: a replied row needs a client address$/v,
  },
  {
    name: 'one line far too long',
    content: `${header}\n${'x'.repeat(200_000)}\n`,
    message: /line \d+: not CSV as --log writes it/v,
  },
  {
    name: 'a session the file does not hold',
    content: `${header}\n${start}\n${heartbeat}\n`,
    flags: ['--session', 'bbbb2222'],
    message:
      /--session: .*log\.csv holds no session "bbbb2222" \(it holds 1 session; the latest first: aaaa1111 \(played without --session\)\)$/v,
  },
  {
    name: 'a negative speed',
    content: `${header}\n${start}\n`,
    flags: ['--speed', '-1'],
    message: /--speed: "-1" is not allowed; expected a number from 0/v,
  },
  {
    name: 'a speed that is not a number',
    content: `${header}\n${start}\n`,
    flags: ['--speed', 'fast'],
    message: /--speed: "fast" is not allowed/v,
  },
  {
    name: 'an unknown flag',
    content: `${header}\n${start}\n`,
    flags: ['--loss', '5'],
    message: /unknown flag --loss \(see --help\)$/v,
  },
  {
    name: 'an unknown output',
    content: `${header}\n${start}\n`,
    flags: ['--output', 'xml'],
    message: /--output: "xml" is not allowed; expected tui, text or json/v,
  },
];

for (const testCase of cases) {
  test(`replay: ${testCase.name} is one line and exit 2`, async () => {
    await withTempDir(async (directory) => {
      const file = path.join(directory, 'log.csv');
      if (testCase.directory) {
        await mkdir(file);
      } else if (testCase.content !== undefined) {
        await writeFile(file, testCase.content);
      }

      const result = await replayCli([file, ...(testCase.flags ?? [])]);
      assert.equal(result.code, 2, result.stderr);
      assert.equal(result.stdout, '', 'nothing is played');
      const lines = result.stderr.split('\n').filter((line) => line !== '');
      assert.equal(lines.length, 1, result.stderr);
      assert.match(lines[0]!, /^udp-heartbeat: replay: /v);
      assert.match(lines[0]!, testCase.message);
    });
  });
}

test('replay without a file says how to call it, exit 2', async () => {
  const result = await replayCli([]);
  assert.equal(result.code, 2);
  assert.equal(
    result.stderr,
    'udp-heartbeat: replay: no log named; give the CSV log to play: udp-heartbeat replay FILE (see --help)\n',
  );
});
