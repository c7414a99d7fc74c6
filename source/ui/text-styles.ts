import type {Liveness, Outcome} from '../store/types.js';
import {outcomeSymbols} from './format-cells.js';

/*
Colours that read on a light background as well as a dark one. Yellow text and cyan text all but
vanish on white, and Ink's `inverse` swaps in the terminal's own background colour (white text on
yellow, on a light theme): a warning is black on a coloured background instead, which reads on
either. Colour only adds to the text: every state and outcome is also a word or a mark, so the
dashboard says the same with no colour at all (NO_COLOR, --no-color).
*/

/** The props of Ink's `<Text>` that style it. */
export type TextStyle = {
  readonly color?: string;
  readonly backgroundColor?: string;
  readonly bold?: boolean;
};

/** Black on a colour: reads on light and dark themes alike. */
export function badge(backgroundColor: string): TextStyle {
  return {color: 'black', backgroundColor, bold: true};
}

export const stateStyles: Readonly<Record<Liveness, TextStyle>> = {
  alive: {color: 'green'},
  late: badge('yellow'),
  stopped: {color: 'red', bold: true},
};

export const outcomeStyles: Readonly<Record<Outcome, TextStyle>> = {
  replied: {color: 'green'},
  dropped: badge('yellow'),
  lost: {color: 'red', bold: true},
  malformed: {color: 'magenta', bold: true},
};

/** The outcome styles looked up by the history strip's symbols. */
const outcomes: readonly Outcome[] = [
  'replied',
  'dropped',
  'lost',
  'malformed',
];

export const symbolStyles: ReadonlyMap<string, TextStyle> = new Map(
  outcomes.map((outcome) => [outcomeSymbols[outcome], outcomeStyles[outcome]]),
);
