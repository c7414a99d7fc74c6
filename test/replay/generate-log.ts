import {once} from 'node:events';
import {createWriteStream} from 'node:fs';
import {stringify} from 'csv-stringify/sync';
import {logColumns} from '../../source/engine/csv-log.js';
import {formatDelayMs} from '../../source/output/format-event.js';
import {formatIsoTime} from '../../source/output/format-time.js';

export type GeneratedLog = {
  readonly rows: number;
  readonly clients: number;
  readonly session: string;
};

/**
 * Writes a log of `rows` rows (header left out of the count) as a long run would: a start, then
 * heartbeats of `clients` clients in turn, every third one dropped, one every millisecond, and
 * a stop. Written in batches, so the generator's own memory stays small.
 */
export async function generateLog(
  file: string,
  {
    rows,
    clients,
    session = 'feedc0de',
  }: {rows: number; clients: number; session?: string},
): Promise<GeneratedLog> {
  const out = createWriteStream(file);
  const startedAt = Date.UTC(2026, 10, 24, 6, 0, 0, 0) + 0.25;
  let batch: unknown[][] = [[...logColumns]];
  const flush = async () => {
    if (!out.write(stringify(batch))) {
      await once(out, 'drain');
    }

    batch = [];
  };

  const row = (
    time: number,
    event: string,
    client = '',
    seq: number | '' = '',
    delay?: number,
    detail = '',
  ) => {
    batch.push([
      session,
      formatIsoTime(time),
      event,
      client,
      seq,
      delay === undefined ? '' : formatDelayMs(delay),
      detail,
      String(time),
      delay === undefined ? '' : String(delay),
    ]);
  };

  row(
    startedAt,
    'start',
    '',
    '',
    undefined,
    'listening=0.0.0.0:12000;loss=25%;seed=1;max_clients=100000',
  );
  const heartbeats = rows - 2;
  for (let index = 0; index < heartbeats; index++) {
    const client = `10.0.${(index % clients) >> 8}.${(index % clients) % 256}:40000`;
    const seq = Math.floor(index / clients) + 1;
    const time = startedAt + 1 + index;
    row(
      time,
      index % 3 === 2 ? 'dropped' : 'replied',
      client,
      seq,
      0.25 + (index % 7) / 8,
      index % 3 === 2 ? '' : 'lost_in_between=0',
    );
    if (batch.length >= 5000) {
      await flush();
    }
  }

  row(startedAt + 2 + heartbeats, 'stop', '', '', undefined, 'duration_ms=1');
  await flush();
  out.end();
  await once(out, 'finish');
  return {rows, clients, session};
}
