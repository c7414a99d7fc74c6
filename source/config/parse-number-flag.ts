import {FlagError} from './flag-error.js';

export type NumberRange = {
  readonly min: number;
  readonly max: number;
  /** Whole numbers only. */
  readonly integer?: boolean;
  /** How the range reads in a message, when the default wording would not do. */
  readonly allowed?: string;
};

const decimal = /^[+\-]?(?:\d+\.?\d*|\.\d+)$/v;

/**
 * Reads a numeric flag strictly: plain decimal notation only, so `1e3`, `0x10`, `12abc`, an empty
 * value or `Infinity` are errors rather than surprises.
 */
export function parseNumberFlag(
  flag: string,
  raw: string | number,
  range: NumberRange,
): number {
  const text = String(raw).trim();
  const allowed =
    range.allowed ??
    `${range.integer ? 'a whole number' : 'a number'} from ${range.min} to ${range.max}`;
  if (!decimal.test(text)) {
    throw new FlagError(flag, String(raw), allowed);
  }

  const value = Number(text);
  if (
    !Number.isFinite(value) ||
    value < range.min ||
    value > range.max ||
    (range.integer && !Number.isInteger(value))
  ) {
    throw new FlagError(flag, String(raw), allowed);
  }

  return value;
}

/** Reads a flag that must be one of a few words. */
export function parseChoiceFlag<T extends string>(
  flag: string,
  raw: string,
  choices: readonly T[],
): T {
  const choice = choices.find((candidate) => candidate === raw);
  if (choice !== undefined) {
    return choice;
  }

  throw new FlagError(flag, raw, `one of ${choices.join(', ')}`);
}
