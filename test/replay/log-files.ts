import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {parse} from 'csv-parse/sync';
import {runCli} from '../helpers/cli-process.js';

/** A row of a log, by column name. */
export type Row = Record<string, string>;

/** The rows of a CSV log, read with csv-parse (the header names the columns). */
export function logRows(text: string): Row[] {
  return parse(text, {columns: true, relax_column_count: true});
}

/** One JSON line of headless output. */
export type JsonEvent = {
  session: string;
  time: string;
  event: string;
  client: string | null;
  seq: number | null;
  delay_ms: number | null;
  detail: string | null;
  state: string | null;
};

export function jsonLines(stdout: string): JsonEvent[] {
  return stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as JsonEvent);
}

export async function withTempDir(
  body: (directory: string) => Promise<void>,
): Promise<void> {
  const directory = await mkdtemp(path.join(tmpdir(), 'udp-heartbeat-replay-'));
  try {
    await body(directory);
  } finally {
    await rm(directory, {recursive: true, force: true});
  }
}

/** `udp-heartbeat replay …` from the built CLI, to its end. */
export async function replayCli(
  args: readonly string[],
): Promise<{code: number | string; stdout: string; stderr: string}> {
  return runCli(['replay', ...args]);
}
