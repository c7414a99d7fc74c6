import meow from 'meow';
import {checkFlags} from './check-flags.js';
import {
  formatFlagHelp,
  type FlagSpec,
  type FlagTable,
  type FlagValues,
} from './flag-table.js';
import {UsageError} from './usage-error.js';

/** What every command takes besides its own flags. */
export const commonFlags = {
  help: {type: 'boolean', shortFlag: 'h', help: 'show this help'},
  version: {type: 'boolean', help: 'show the version'},
} as const satisfies FlagTable;

export type CommandSpec<Table extends FlagTable> = {
  /** The first line of `--help`: what the command is for. */
  readonly description: string;
  /** The `Usage` lines, without the heading. */
  readonly usage: string;
  readonly flags: Table;
  /** The `Examples` lines, without the heading. */
  readonly examples: string;
};

export type CommandLine<Table extends FlagTable> = {
  readonly flags: FlagValues<Table>;
  /** The flags the user gave, by key. */
  readonly given: ReadonlySet<string>;
};

function helpText(spec: CommandSpec<FlagTable>): string {
  const indent = (text: string) =>
    text
      .trim()
      .split('\n')
      .map((line) => `    ${line.trim()}`)
      .join('\n');
  const flags = formatFlagHelp({...spec.flags, ...commonFlags})
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
  return [
    '  Usage',
    indent(spec.usage),
    '',
    '  Flags',
    flags,
    '',
    '  Examples',
    indent(spec.examples),
  ].join('\n');
}

/** meow's view of the table: the help lines stay here. */
function meowFlags(table: FlagTable) {
  return Object.fromEntries(
    Object.entries(table).map(([key, spec]: [string, FlagSpec]) => [
      key,
      {
        type: spec.type,
        ...(spec.shortFlag === undefined ? {} : {shortFlag: spec.shortFlag}),
        ...(spec.aliases === undefined ? {} : {aliases: [...spec.aliases]}),
      },
    ]),
  );
}

/**
 * Parses a command's flags with meow, after checking them against the same table (unknown and
 * repeated flags are one-line UsageErrors). `--help`/`-h` prints the help and `--version` the
 * version, and both exit 0; a stray argument is a UsageError.
 */
export function parseCommandLine<Table extends FlagTable>(
  spec: CommandSpec<Table>,
  argv: readonly string[],
  importMeta: ImportMeta,
): CommandLine<Table> {
  const table: FlagTable = {...spec.flags, ...commonFlags};
  const given = checkFlags(table, argv);
  const cli = meow(helpText(spec), {
    importMeta,
    argv: [...argv],
    description: spec.description,
    flags: meowFlags(table),
    // The check above has already named every unknown flag; this is only a backstop.
    allowUnknownFlags: false,
    autoHelp: false,
    autoVersion: false,
    // A boolean left out stays undefined, so `--no-color` and no flag at all differ.
    booleanDefault: undefined,
  });
  if (cli.flags.help === true) {
    cli.showHelp(0);
  }

  if (cli.flags.version === true) {
    cli.showVersion();
  }

  if (cli.input.length > 0) {
    throw new UsageError(
      `unexpected argument ${JSON.stringify(cli.input[0])} (see --help)`,
    );
  }

  const flags: Record<string, unknown> = {};
  for (const key of Object.keys(spec.flags)) {
    if (given.has(key)) {
      flags[key] = cli.flags[key];
    }
  }

  // meow types its result by the flags it is given, and this table is only known as a FlagTable.
  // eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion
  return {flags: flags as FlagValues<Table>, given};
}
