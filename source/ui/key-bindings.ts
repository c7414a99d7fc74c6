import type {Key} from 'ink';

/*
The one table of keys: the key handling, the footer and the `?` help all read it, so a key is
described where it is bound and nowhere else.
*/

/** What a key asks for, said as an intention (the dashboard decides how). */
export type KeyIntent =
  | {readonly type: 'loss-step'; readonly step: number}
  | {readonly type: 'loss-tens'; readonly tens: number}
  | {readonly type: 'loss-exact'}
  | {
      readonly type: 'move';
      readonly by: 'up' | 'down' | 'page-up' | 'page-down' | 'home' | 'end';
    }
  | {readonly type: 'next-sort'}
  | {readonly type: 'reverse-sort'}
  | {readonly type: 'filter'}
  | {readonly type: 'clear-filter'}
  | {readonly type: 'freeze'}
  | {readonly type: 'reset'}
  | {readonly type: 'forget'}
  | {readonly type: 'mute'}
  | {readonly type: 'help'}
  | {readonly type: 'quit'}
  | {readonly type: 'replay-pause'}
  | {readonly type: 'replay-speed'; readonly faster: boolean}
  /** Enter: open the selected client's detail view, or go back from it to the table. */
  | {readonly type: 'detail'};

/** One key of a group, and what it does. */
type Binding = {
  /** The character typed, or a named key of Ink's `Key`. */
  readonly input?: string;
  readonly key?: keyof Key;
  readonly intent: KeyIntent;
};

/** A group of keys as the footer and the help show it. */
export type KeyGroup = {
  /** As the footer writes them: `+/-`. */
  readonly keys: string;
  /** As the help writes them, when it says more: `+ / -`. */
  readonly helpKeys?: string;
  /** As the footer writes them, when it differs (one hint for two groups). */
  readonly footerKeys?: string;
  /** The footer's word for it; no footer entry without one. */
  readonly footer?: string;
  /** The help's line. */
  readonly help: string;
  readonly bindings: readonly Binding[];
};

const digits: Binding[] = Array.from({length: 10}, (_, tens) => ({
  input: String(tens),
  intent: {type: 'loss-tens', tens},
}));

export const keyGroups: readonly KeyGroup[] = [
  {
    keys: '+/-',
    helpKeys: '+ / -',
    footer: 'loss±5',
    help: 'loss up / down 5 points',
    bindings: [
      {input: '+', intent: {type: 'loss-step', step: 5}},
      {input: '-', intent: {type: 'loss-step', step: -5}},
    ],
  },
  {
    keys: ']/[',
    helpKeys: '] / [',
    footer: '±1',
    help: 'loss up / down 1 point',
    bindings: [
      {input: ']', intent: {type: 'loss-step', step: 1}},
      {input: '[', intent: {type: 'loss-step', step: -1}},
    ],
  },
  {
    keys: '0-9',
    footer: 'set',
    help: 'loss 0 %, 10 %, ... 90 %',
    bindings: digits,
  },
  {
    keys: 'L',
    footer: 'exact',
    help: 'type an exact loss, 0-100, decimals allowed (Enter applies, Esc cancels)',
    bindings: [{input: 'L', intent: {type: 'loss-exact'}}],
  },
  {
    keys: '↑↓',
    helpKeys: 'Up / Down',
    help: 'move the selection one client',
    bindings: [
      {key: 'upArrow', intent: {type: 'move', by: 'up'}},
      {key: 'downArrow', intent: {type: 'move', by: 'down'}},
    ],
  },
  {
    keys: 'PgUp/PgDn',
    helpKeys: 'PgUp / PgDn',
    help: 'move the selection one page',
    bindings: [
      {key: 'pageUp', intent: {type: 'move', by: 'page-up'}},
      {key: 'pageDown', intent: {type: 'move', by: 'page-down'}},
    ],
  },
  {
    keys: 'Home/End',
    helpKeys: 'Home / End',
    help: 'first / last client',
    bindings: [
      {key: 'home', intent: {type: 'move', by: 'home'}},
      {key: 'end', intent: {type: 'move', by: 'end'}},
    ],
  },
  {
    keys: 'Enter',
    footer: 'detail',
    help: "the selected client's detail view (Esc or Enter goes back to the table)",
    bindings: [{key: 'return', intent: {type: 'detail'}}],
  },
  {
    keys: 's',
    footerKeys: 's/S',
    footer: 'sort',
    help: 'sort by the next column',
    bindings: [{input: 's', intent: {type: 'next-sort'}}],
  },
  {
    keys: 'S',
    help: 'reverse the sort',
    bindings: [{input: 'S', intent: {type: 'reverse-sort'}}],
  },
  {
    keys: '/',
    footer: 'filter',
    help: 'filter clients by address (Enter applies, empty clears, Esc cancels)',
    bindings: [{input: '/', intent: {type: 'filter'}}],
  },
  {
    keys: 'Esc',
    help: 'clear the filter; in the detail view, back to the table',
    bindings: [{key: 'escape', intent: {type: 'clear-filter'}}],
  },
  {
    keys: 'p',
    footer: 'freeze',
    help: 'freeze the display; recording goes on (p again resumes)',
    bindings: [{input: 'p', intent: {type: 'freeze'}}],
  },
  {
    keys: 'r',
    footer: 'reset',
    help: "reset every client's counters (asks first: y resets)",
    bindings: [{input: 'r', intent: {type: 'reset'}}],
  },
  {
    keys: 'x',
    footer: 'forget stopped',
    help: 'forget stopped clients',
    bindings: [{input: 'x', intent: {type: 'forget'}}],
  },
  {
    keys: 'm',
    footer: 'mute',
    help: 'mute / unmute alert hooks',
    bindings: [{input: 'm', intent: {type: 'mute'}}],
  },
  {
    keys: '?',
    footer: 'help',
    help: 'this help',
    bindings: [{input: '?', intent: {type: 'help'}}],
  },
  {
    keys: 'q',
    helpKeys: 'q / Ctrl+C',
    footer: 'quit',
    help: 'quit and print the summary',
    bindings: [{input: 'q', intent: {type: 'quit'}}],
  },
];

/** The footer's entries: one per group that has a footer word; moves share one. */
export type KeyHint = {readonly keys: string; readonly action: string};

/** The footer's hints of a key table; the moves go in one hint, after the group `movesAfter`. */
function hintsOf(
  groups: readonly KeyGroup[],
  movesAfter: string,
): readonly KeyHint[] {
  const hints: KeyHint[] = [];
  const moves = groups
    .filter((group) =>
      group.bindings.some((binding) => binding.intent.type === 'move'),
    )
    .map((group) => group.keys);
  for (const group of groups) {
    if (group.footer !== undefined) {
      hints.push({keys: group.footerKeys ?? group.keys, action: group.footer});
    }

    if (group.keys === movesAfter) {
      hints.push({keys: moves.join(' '), action: 'move'});
    }
  }

  return hints;
}

export const keyHints: readonly KeyHint[] = hintsOf(keyGroups, 'L');

/** Keys that would change what was recorded: a replay shows the run as it was. */
const recordingIntents: ReadonlySet<KeyIntent['type']> = new Set([
  'loss-step',
  'loss-tens',
  'loss-exact',
  'reset',
  'forget',
  'mute',
]);

/**
 * The keys of a replay's dashboard: the clock's own (pause, speed) first, then the live keys that
 * only look (moves, sort, filter, freeze, help, quit). The loss keys, reset, forget and mute are
 * off, and the footer and the help say so.
 */
export const replayKeyGroups: readonly KeyGroup[] = [
  {
    keys: 'space',
    footer: 'pause',
    help: 'pause / resume the replay',
    bindings: [{input: ' ', intent: {type: 'replay-pause'}}],
  },
  {
    keys: '</>',
    helpKeys: '< / >',
    footer: 'speed',
    help: 'play slower / faster (halves or doubles the speed; faster than x1024 is as fast as it can)',
    bindings: [
      {input: '<', intent: {type: 'replay-speed', faster: false}},
      {input: '>', intent: {type: 'replay-speed', faster: true}},
    ],
  },
  ...keyGroups.filter(
    (group) =>
      !group.bindings.some((binding) =>
        recordingIntents.has(binding.intent.type),
      ),
  ),
  {
    keys: '+-[]0-9L r x m',
    footerKeys: 'loss keys',
    footer: 'off in a replay',
    help: 'off in a replay: the loss, reset, forget and mute keys would change what was recorded',
    bindings: [],
  },
];

export const replayKeyHints: readonly KeyHint[] = hintsOf(
  replayKeyGroups,
  '</>',
);

/** Intents the detail view acts on; every other key is left alone there. */
export const detailIntents: ReadonlySet<KeyIntent['type']> = new Set([
  'detail',
  'clear-filter',
  'freeze',
  'help',
  'quit',
]);

/** The detail view's footer: the keys it acts on, from the same table. */
export const detailKeyHints: readonly KeyHint[] = [
  {keys: 'Esc/Enter', action: 'back to the table'},
  ...keyGroups
    .filter(
      (group) =>
        group.footer !== undefined &&
        group.bindings.some(
          (binding) =>
            detailIntents.has(binding.intent.type) &&
            binding.intent.type !== 'detail',
        ),
    )
    .map((group) => ({keys: group.keys, action: group.footer!})),
];

/** The intent of one key as Ink reports it, or undefined for a key the table does not bind. */
export function intentOf(
  input: string,
  key: Key,
  groups: readonly KeyGroup[] = keyGroups,
): KeyIntent | undefined {
  for (const group of groups) {
    for (const binding of group.bindings) {
      if (
        binding.key === undefined
          ? binding.input === input
          : key[binding.key] === true
      ) {
        return binding.intent;
      }
    }
  }

  return undefined;
}
