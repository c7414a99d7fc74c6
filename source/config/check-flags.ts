import leven from 'leven';
import {kebabCase, type FlagTable} from './flag-table.js';
import {UsageError} from './usage-error.js';

/** Where one flag was given, as the user typed it: `-l 10`, `--port=23000`. */
type Occurrence = {readonly key: string; readonly text: string};

type LongName = {readonly key: string; readonly type: 'string' | 'boolean'};

/** A negative number is a value (`--loss -1`), not a flag, as meow's parser reads it. */
const negativeNumber = /^-(?:\d+|\d*\.\d+)(?:e[+\-]?\d+)?$/iv;
const number = /^(?:\d+|\d*\.\d+)(?:e[+\-]?\d+)?$/iv;

/** Whether meow's parser takes this argument as the value of the string flag before it. */
function isValue(next: string | undefined): next is string {
  return (
    next !== undefined && (!next.startsWith('-') || negativeNumber.test(next))
  );
}

function longNames(table: FlagTable): Map<string, LongName> {
  const names = new Map<string, LongName>();
  for (const [key, spec] of Object.entries(table)) {
    names.set(kebabCase(key), {key, type: spec.type});
    for (const alias of spec.aliases ?? []) {
      names.set(alias, {key, type: spec.type});
    }

    if (spec.type === 'boolean') {
      names.set(`no-${kebabCase(key)}`, {key, type: 'boolean'});
    }
  }

  return names;
}

/** The known name closest to a mistyped one, if one is close enough to be what was meant. */
function closest(
  typed: string,
  candidates: Iterable<string>,
): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const distance = leven(typed.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }

  // About one edit in three: `lose` finds `loss`, but `loss` does not find `host`.
  const allowed = Math.max(1, Math.floor(typed.length / 3));
  return bestDistance <= allowed ? best : undefined;
}

function unknownFlag(flag: string, suggestion: string | undefined): UsageError {
  const hint =
    suggestion === undefined ? '(see --help)' : `(did you mean ${suggestion}?)`;
  return new UsageError(`unknown flag ${flag} ${hint}`);
}

function repeatedFlag(key: string, occurrences: Occurrence[]): UsageError {
  const times =
    occurrences.length === 2 ? 'twice' : `${occurrences.length} times`;
  const where = occurrences.map((occurrence) => occurrence.text).join(', ');
  return new UsageError(
    `--${kebabCase(key)} was given ${times} (${where}); give it once`,
  );
}

/**
 * Reads the flags in `argv` the way meow's parser does (`--name value`, `--name=value`, `-p value`,
 * `-p12000`, grouped short booleans, `--no-name` for booleans, `--` ends the flags) and checks
 * them against the table before meow parses them: a flag that is not in the table, or one given
 * more than once under any of its names, is a UsageError of one line. Returns the keys given.
 */
export function checkFlags(
  table: FlagTable,
  argv: readonly string[],
): Set<string> {
  const longs = longNames(table);
  const shorts = new Map<string, string>();
  for (const [key, spec] of Object.entries(table)) {
    if (spec.shortFlag !== undefined) {
      shorts.set(spec.shortFlag, key);
    }
  }

  const seen = new Map<string, Occurrence[]>();
  const record = (key: string, text: string) => {
    const occurrences = seen.get(key) ?? [];
    occurrences.push({key, text});
    seen.set(key, occurrences);
  };

  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index]!;
    if (argument === '--') {
      break;
    }

    if (
      !argument.startsWith('-') ||
      argument === '-' ||
      negativeNumber.test(argument)
    ) {
      continue;
    }

    if (argument.startsWith('--')) {
      const equals = argument.indexOf('=');
      const name = argument.slice(2, equals === -1 ? undefined : equals);
      const flag = longs.get(name);
      if (flag === undefined) {
        throw unknownFlag(`--${name}`, closestLong(name, longs));
      }

      const next = argv[index + 1];
      if (flag.type === 'string' && equals === -1 && isValue(next)) {
        record(flag.key, `${argument} ${next}`);
        index++;
      } else {
        record(flag.key, argument);
      }

      continue;
    }

    index = readShortGroup(argv, index, {shorts, longs, table, record});
  }

  for (const [key, occurrences] of seen) {
    if (occurrences.length > 1) {
      throw repeatedFlag(key, occurrences);
    }
  }

  return new Set(seen.keys());
}

function closestLong(
  name: string,
  longs: Map<string, LongName>,
): string | undefined {
  const match = closest(name, longs.keys());
  return match === undefined ? undefined : `--${match}`;
}

/** `-q`, `-qp 5`, `-p12000`: returns the index of the last argument it read. */
function readShortGroup(
  argv: readonly string[],
  index: number,
  context: {
    readonly shorts: Map<string, string>;
    readonly longs: Map<string, LongName>;
    readonly table: FlagTable;
    readonly record: (key: string, text: string) => void;
  },
): number {
  const {shorts, longs, table, record} = context;
  const argument = argv[index]!;
  for (let position = 1; position < argument.length; position++) {
    const letter = argument[position]!;
    const key = shorts.get(letter);
    if (key === undefined) {
      // `-port` is most likely `--port`; `-P` most likely `-p`.
      const word = argument.slice(1);
      const suggestion =
        word.length > 1
          ? closestLong(word, longs)
          : shorts.has(letter.toLowerCase())
            ? `-${letter.toLowerCase()}`
            : undefined;
      const named =
        word.length === 1 || suggestion !== undefined
          ? argument
          : `-${letter} in ${argument}`;
      throw unknownFlag(named, suggestion);
    }

    if (table[key]!.type === 'boolean') {
      record(key, `-${letter}`);
      continue;
    }

    const rest = argument.slice(position + 1).replace(/^=/v, '');
    if (rest !== '' && (number.test(rest) || argument[position + 1] === '=')) {
      record(key, `-${letter}${argument.slice(position + 1)}`);
      return index;
    }

    if (rest === '' && isValue(argv[index + 1])) {
      record(key, `-${letter} ${argv[index + 1]!}`);
      return index + 1;
    }

    record(key, `-${letter}`);
  }

  return index;
}
