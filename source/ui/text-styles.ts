import chalk from 'chalk';
import type {Liveness} from '../vocabulary.js';

/*
Colours that read on a light background as well as a dark one. Yellow text and cyan text all but
vanish on white, and Ink's `inverse` swaps in the terminal's own background colour (white text on
yellow, on a light theme): a warning is black on a coloured background instead, which reads on
either. Colour only adds to the text: every state and outcome is also a word or a mark, so the
dashboard says the same with no colour at all (NO_COLOR, --no-color).
*/

/** The backgrounds a badge can have, with chalk's name for each. */
const backgrounds = {
  yellow: 'bgYellow',
  cyan: 'bgCyan',
  magenta: 'bgMagenta',
} as const;

type Background = keyof typeof backgrounds;

/** The props of Ink's `<Text>` that style it. */
export type TextStyle = {
  readonly color?: 'black' | 'green' | 'red';
  readonly backgroundColor?: Background;
  readonly bold?: boolean;
};

/** Black on a colour: reads on light and dark themes alike. */
export function badge(backgroundColor: Background): TextStyle {
  return {color: 'black', backgroundColor, bold: true};
}

export const stateStyles: Readonly<Record<Liveness, TextStyle>> = {
  alive: {color: 'green'},
  late: badge('yellow'),
  stopped: {color: 'red', bold: true},
};

/**
 * Text in a style as one ANSI span, built once, for a line that is drawn as one pre-built string
 * (a table row) rather than as nested `<Text>` elements. The codes are chalk's, the ones Ink's
 * `<Text>` props produce, and chalk drops them when colour is off.
 */
export function paint(style: TextStyle, text: string): string {
  // Bold, background, then colour: the order in which Ink's <Text> nests them.
  let painter = style.bold === true ? chalk.bold : chalk;
  if (style.backgroundColor !== undefined) {
    painter = painter[backgrounds[style.backgroundColor]];
  }

  if (style.color !== undefined) {
    painter = painter[style.color];
  }

  return painter(text);
}
