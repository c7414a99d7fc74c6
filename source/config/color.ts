/** What decides colour when neither `--color` nor `--no-color` is given. */
export type ColorEnvironment = {
  readonly env: NodeJS.ProcessEnv;
  /** Standard output is a terminal. */
  readonly isTTY: boolean;
};

/** FORCE_COLOR as supports-color reads it: a level 0-3, or undefined when unset or unreadable. */
function forcedLevel(value: string | undefined): number | undefined {
  if (value === undefined) {
    return undefined;
  }

  if (value === '' || value === 'true') {
    return 1;
  }

  if (value === 'false') {
    return 0;
  }

  const level = Math.min(Number.parseInt(value, 10), 3);
  return [0, 1, 2, 3].includes(level) ? level : undefined;
}

/**
 * Whether to colour, decided once: `--color` / `--no-color` win; otherwise a non-empty NO_COLOR
 * turns colour off (no-color.org), FORCE_COLOR is honoured as chalk would, and else colour is on
 * when standard output is a terminal that is not `dumb` and no CI variable is set (chalk's own
 * rule, which drops colour under CI).
 */
export function resolveColor(
  flag: boolean | undefined,
  {env, isTTY}: ColorEnvironment,
): boolean {
  if (flag !== undefined) {
    return flag;
  }

  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') {
    return false;
  }

  const forced = forcedLevel(env.FORCE_COLOR);
  if (forced !== undefined) {
    return forced > 0;
  }

  return isTTY && env.TERM !== 'dumb' && !('CI' in env);
}

/**
 * Makes chalk, and so Ink, follow the choice. chalk decides when it is first imported, and its
 * bundled supports-color ignores NO_COLOR, so this sets FORCE_COLOR before anything imports
 * either: `0` for off, and at least `1` for on (chalk still raises the level to what the
 * terminal supports).
 */
export function applyColor(enabled: boolean, env: NodeJS.ProcessEnv): void {
  if (!enabled) {
    env.FORCE_COLOR = '0';
    return;
  }

  if (!(forcedLevel(env.FORCE_COLOR)! > 0)) {
    env.FORCE_COLOR = '1';
  }
}
