/*
A log of a million rows replays from the built CLI with the memory a log of a hundred thousand
needs: the file is streamed, never loaded whole. The peak resident memory of each child comes
from process.resourceUsage() at its exit, through a module preloaded with --import.
*/
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {once} from 'node:events';
import {stat} from 'node:fs/promises';
import path from 'node:path';
import test from 'node:test';
import {cliPath} from '../helpers/cli-process.js';
import {generateLog} from './generate-log.js';
import {jsonLines, withTempDir} from './log-files.js';

const reportPeakMemory = String.raw`data:text/javascript,process.on('exit',()=>process.stderr.write('maxrss_kib='+process.resourceUsage().maxRSS+'\n'))`;

type Replayed = {
  readonly code: number | null;
  readonly lastLines: string;
  readonly peakKib: number;
  readonly stderr: string;
};

/**
 * Replays as fast as it can, keeping only the end of the output (the summary and stop). With
 * `--session` the file is read once, which halves the time.
 */
async function replayMeasured(file: string): Promise<Replayed> {
  const child = spawn(
    process.execPath,
    [
      // A young generation of a fixed size in both runs: Node 24's grows with the allocation rate
      // (to 230 MiB of peak for the million rows, 135 for the hundred thousand, against 190 for
      // both on Node 20), so the peak would measure garbage not yet collected, not the log held.
      '--max-semi-space-size=8',
      // A heap far smaller than the file: a log held whole could not fit, and the collector
      // works as it would on a small machine instead of letting garbage pile up in free memory
      // (Node 24 collects later than Node 20 when it may).
      '--max-old-space-size=48',
      '--import',
      reportPeakMemory,
      cliPath,
      'replay',
      file,
      '--session',
      'feedc0de',
      '--speed',
      '0',
      '--output',
      'json',
      '--quiet',
    ],
    {stdio: ['ignore', 'pipe', 'pipe']},
  );
  let tail = '';
  let stderr = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    tail = (tail + chunk).slice(-1_000_000);
  });
  child.stderr.on('data', (chunk: string) => {
    stderr += chunk;
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  const peak = /maxrss_kib=(?<kib>\d+)/v.exec(stderr)?.groups?.kib;
  assert.ok(peak !== undefined, `the child reported its memory: ${stderr}`);
  return {code, lastLines: tail, peakKib: Number(peak), stderr};
}

test('a million rows replay with the memory of a hundred thousand', async (t) => {
  await withTempDir(async (directory) => {
    const began = performance.now();
    const small = path.join(directory, 'small.csv');
    const large = path.join(directory, 'large.csv');
    await generateLog(small, {rows: 100_000, clients: 500});
    const generated = await generateLog(large, {rows: 1_000_000, clients: 500});
    const {size} = await stat(large);
    assert.ok(size > 100 * 1024 * 1024, `the large log is ${size} bytes`);

    t.diagnostic(`generated in ${Math.round(performance.now() - began)} ms`);
    const base = await replayMeasured(small);
    assert.equal(base.code, 0, base.stderr);
    const big = await replayMeasured(large);
    t.diagnostic(`replayed in ${Math.round(performance.now() - began)} ms`);
    assert.equal(big.code, 0, big.stderr);

    // Every heartbeat was played: 2000 per client, a third of them dropped.
    const lines = jsonLines(
      big.lastLines.slice(big.lastLines.indexOf('\n') + 1),
    );
    const summaries = lines.filter((line) => line.event === 'summary');
    assert.equal(summaries.length, generated.clients);
    let received = 0;
    for (const line of summaries) {
      received += Number(/^received=(?<n>\d+);/v.exec(line.detail!)!.groups!.n);
    }

    assert.equal(received, generated.rows - 2);
    assert.equal(lines.at(-1)?.event, 'stop');

    // Ten times the rows take less extra memory than the file holds (12 to 52 MiB more was measured
    // for a 103 MiB file: garbage the collector had not taken yet); a log held whole would take
    // more than the file itself, and would not fit the heap the children are given at all.
    const growthKib = big.peakKib - base.peakKib;
    t.diagnostic(`peak memory ${base.peakKib} KiB, then ${big.peakKib} KiB`);
    assert.ok(
      growthKib * 1024 < size,
      `peak memory ${base.peakKib} KiB for 100000 rows, ${big.peakKib} KiB for 1000000 rows (a ${Math.round(size / 1024 / 1024)} MiB file)`,
    );
  });
});
