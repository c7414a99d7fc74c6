import {rowProblem} from './event-translation.js';
import {readLogBatches, type LogRow} from './log-reader.js';
import {ReplayInputError} from './replay-input-error.js';

/** Session ids named in a message about a session the log does not hold. */
const namedSessions = 5;

/** Distinct sessions counted exactly; past this a log "holds more than" this many. */
const countedSessions = 10_000;

/** Follows the sessions of a log row by row, in bounded memory, to choose the one to play. */
export class SessionTracker {
  readonly #path: string;
  readonly #wanted: string | undefined;
  #lastStarted: string | undefined;
  #lastRow: string | undefined;
  #found = false;
  readonly #seen = new Set<string>();
  #latest: string[] = [];

  /** `wanted` is `--session`, if given. */
  constructor(path: string, wanted: string | undefined) {
    this.#path = path;
    this.#wanted = wanted;
  }

  see(row: LogRow): void {
    const {session} = row;
    if (session === this.#wanted) {
      this.#found = true;
    }

    if (row.event === 'start') {
      this.#lastStarted = session;
    }

    if (session !== this.#lastRow && !this.#seen.has(session)) {
      if (this.#seen.size < countedSessions) {
        this.#seen.add(session);
      }

      this.#latest = [...this.#latest.slice(1 - namedSessions), session];
    }

    this.#lastRow = session;
  }

  /**
   * The session to play: `wanted`, or by default the last one to start (the session of the last
   * row, when no row is a `start`).
   *
   * @throws {ReplayInputError} when the log holds no rows, or not `wanted`.
   */
  chosen(): string {
    const wanted = this.#wanted;
    const chosen = wanted ?? this.#lastStarted ?? this.#lastRow;
    if (chosen === undefined) {
      throw new ReplayInputError(
        `${this.#path} holds no events: there is nothing to replay`,
      );
    }

    if (wanted !== undefined && !this.#found) {
      const {size} = this.#seen;
      const count =
        size >= countedSessions
          ? `more than ${countedSessions} sessions`
          : `${size} ${size === 1 ? 'session' : 'sessions'}`;
      // Newest first, the one a replay without --session plays marked, so the list says which.
      const played = this.#lastStarted ?? this.#lastRow;
      const latest = this.#latest
        .toReversed()
        .map((session) =>
          session === played
            ? `${session} (played without --session)`
            : session,
        );
      throw new ReplayInputError(
        `--session: ${this.#path} holds no session ${JSON.stringify(wanted)} (it holds ${count}; the latest first: ${latest.join(', ')})`,
      );
    }

    return chosen;
  }
}

/**
 * Reads the whole log once, checking every row, and returns the session to play (see
 * `SessionTracker.chosen`). Memory stays bounded whatever the file holds.
 *
 * @throws {ReplayInputError} when the file is not a log, or does not hold `wanted`.
 */
export async function findSession(
  path: string,
  wanted: string | undefined,
): Promise<string> {
  const tracker = new SessionTracker(path, wanted);
  for await (const rows of readLogBatches(path, rowProblem)) {
    for (const row of rows) {
      tracker.see(row);
    }
  }

  return tracker.chosen();
}
