/**
 * A command line that cannot be read as it stands (an unknown or repeated flag, a stray
 * argument): printed as one line, exit code 2, before anything starts.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
