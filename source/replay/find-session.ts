import {rowProblem} from './event-translation.js';
import {readLogBatches} from './log-reader.js';
import {ReplayInputError} from './replay-input-error.js';

/** Session ids named in a message about a session the log does not hold. */
const namedSessions = 5;

/** Distinct sessions counted exactly; past this a log "holds more than" this many. */
const countedSessions = 10_000;

/**
 * Reads the whole log once, checking every row, and returns the session to play: `wanted`, or by
 * default the last one to start (the session of the last row, when no row is a `start`). Memory
 * stays bounded whatever the file holds.
 *
 * @throws {ReplayInputError} when the file is not a log, or does not hold `wanted`.
 */
export async function findSession(
  path: string,
  wanted: string | undefined,
): Promise<string> {
  let lastStarted: string | undefined;
  let lastRow: string | undefined;
  let found = false;
  const seen = new Set<string>();
  let latest: string[] = [];
  for await (const rows of readLogBatches(path, rowProblem)) {
    for (const row of rows) {
      const {session} = row;
      if (session === wanted) {
        found = true;
      }

      if (row.event === 'start') {
        lastStarted = session;
      }

      if (session !== lastRow && !seen.has(session)) {
        if (seen.size < countedSessions) {
          seen.add(session);
        }

        latest = [...latest.slice(1 - namedSessions), session];
      }

      lastRow = session;
    }
  }

  const chosen = wanted ?? lastStarted ?? lastRow;
  if (chosen === undefined) {
    throw new ReplayInputError(
      `${path} holds no events: there is nothing to replay`,
    );
  }

  if (wanted !== undefined && !found) {
    const count =
      seen.size >= countedSessions
        ? `more than ${countedSessions} sessions`
        : `${seen.size} ${seen.size === 1 ? 'session' : 'sessions'}`;
    throw new ReplayInputError(
      `--session: ${path} holds no session ${JSON.stringify(wanted)} (it holds ${count}, the latest ${latest.join(', ')})`,
    );
  }

  return chosen;
}
