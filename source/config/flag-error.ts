/** A flag value the user got wrong: printed as one line, exit code 2, before anything is bound. */
export class FlagError extends Error {
  override readonly name = 'FlagError';
  readonly flag: string;
  readonly value: string;
  readonly allowed: string;

  constructor(flag: string, value: string, allowed: string) {
    super(
      `--${flag}: ${JSON.stringify(value)} is not allowed; expected ${allowed}`,
    );
    this.flag = flag;
    this.value = value;
    this.allowed = allowed;
  }
}
