/** One flag of a command: how meow reads it and the line `--help` shows for it. */
export type FlagSpec = {
  /** `string` flags stay strings, so that a bad number gets a clear message from its parser. */
  readonly type: 'string' | 'boolean';
  readonly shortFlag?: string;
  /** Other long names for the same flag (`packetloss` for `loss`). */
  readonly aliases?: readonly string[];
  /** Shown after the name in `--help`, for a flag whose value is optional: `--demo [N]`. */
  readonly placeholder?: string;
  /** A boolean that `--no-<name>` turns off, listed as such in `--help`. */
  readonly negatable?: boolean;
  /** What the flag does and its default, on one line of `--help`. */
  readonly help: string;
};

/** A command's flags by meow's camelCase key; `--help` lists them in this order. */
export type FlagTable = Readonly<Record<string, FlagSpec>>;

/** What a command receives: each flag's value as given, absent when it was left out. */
export type FlagValues<Table extends FlagTable> = {
  readonly [Key in keyof Table]?: Table[Key]['type'] extends 'boolean'
    ? boolean
    : string;
};

/** `idleTimeout` → `idle-timeout`: flag names on the command line are kebab-case. */
export function kebabCase(key: string): string {
  return key.replaceAll(/[A-Z]/gv, (letter) => `-${letter.toLowerCase()}`);
}

/** The names a user can type for a flag, as `--help` shows them: `--loss, -l, --packetloss`. */
export function flagNames(key: string, spec: FlagSpec): string[] {
  const long = `--${kebabCase(key)}`;
  return [
    long,
    ...(spec.negatable ? [`--no-${kebabCase(key)}`] : []),
    ...(spec.shortFlag === undefined ? [] : [`-${spec.shortFlag}`]),
    ...(spec.aliases ?? []).map((alias) => `--${alias}`),
  ];
}

/** The `Flags` section of `--help`, one line per flag, descriptions in one column. */
export function formatFlagHelp(table: FlagTable): string {
  const rows = Object.entries(table).map(([key, spec]) => {
    const names = flagNames(key, spec).join(', ');
    return [
      spec.placeholder === undefined ? names : `${names} ${spec.placeholder}`,
      spec.help,
    ] as const;
  });
  const width = Math.max(...rows.map(([names]) => names.length)) + 2;
  return rows.map(([names, help]) => names.padEnd(width) + help).join('\n');
}
