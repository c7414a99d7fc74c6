import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import {parse} from 'csv-parse/sync';
import {detailObject} from '../../source/output/format-event.js';
import {runCli} from '../helpers/cli-process.js';
import {detailText} from '../helpers/json-events.js';

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

/** A log row's detail as a JSON line's reads back (numbers as JavaScript writes them). */
export function canonicalDetail(detail: string | undefined): string | null {
  return detail === undefined || detail === ''
    ? null
    : detailText(detailObject(detail));
}

/** The JSON lines of headless output, each detail as `k=v` text (see detailText). */
export function jsonLines(stdout: string): JsonEvent[] {
  return stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const parsed = JSON.parse(line) as Omit<JsonEvent, 'detail'> & {
        detail: unknown;
      };
      return {...parsed, detail: detailText(parsed.detail)};
    });
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
  env: NodeJS.ProcessEnv = {},
): Promise<{code: number | string; stdout: string; stderr: string}> {
  return runCli(['replay', ...args], env);
}

/** A recorded row and a replayed event say the same. */
function sameEvent(row: Row, event: JsonEvent): boolean {
  const delay = row.delay_ms === '' ? null : Number(row.delay_ms);
  return (
    row.time === event.time &&
    row.event === event.event &&
    (row.client === '' ? null : row.client) === event.client &&
    (row.seq === '' ? null : Number(row.seq)) === event.seq &&
    (delay === null
      ? event.delay_ms === null
      : Math.abs(delay - event.delay_ms!) < 0.0015) &&
    canonicalDetail(row.detail) === event.detail
  );
}

function describe(row: Row | JsonEvent | undefined): string {
  return JSON.stringify(row);
}

export function assertSameStream(rows: Row[], events: JsonEvent[]): void {
  assert.equal(events.length, rows.length, 'as many events as rows');
  for (const [index, row] of rows.entries()) {
    const event = events[index]!;
    if (row.event === 'start') {
      assert.equal(event.event, 'start');
      assert.equal(event.time, row.time);
      assert.equal(
        event.detail,
        canonicalDetail(`replay=true;speed=0;${row.detail}`),
      );
      continue;
    }

    assert.ok(
      sameEvent(row, event),
      `row ${index + 2}: recorded ${describe(row)}, replayed ${describe(event)}`,
    );
  }
}
