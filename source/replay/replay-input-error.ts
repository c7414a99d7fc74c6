/** A log file or a replay flag the user got wrong: printed as one line, exit code 2. */
export class ReplayInputError extends Error {
  override readonly name = 'ReplayInputError';
}
