import process from 'node:process';
import {Readable} from 'node:stream';
import {useEffect, useLayoutEffect} from 'react';

/*
A terminal hands over whatever it has in one read: `L25⏎` typed fast, pasted or sent over a slow
link arrives as one string, and Ink gives a string to its input handlers in one call. The key that
opens a prompt changes which component listens only once React has drawn it, so the keys after it
in that string would be lost. The terminal's input is therefore split here into its keys, and Ink
is given one key per read; the next follows once React has drawn what the last one changed and
run its effects (the dashboard tells, see `rendered` and `settled`). This holds whatever Ink does with a read, as it happens below it.
*/

/**
 * One key at the start of the text (sticky): an escape sequence whole (CSI such as an arrow or
 * `ESC[5~`, SS3, Alt with a character), otherwise one character (a whole code point). A sequence
 * the read cut short is the rest of the read.
 */
const keyPattern =
  // eslint-disable-next-line no-control-regex -- ESC is what starts a terminal's key sequences
  /\u001B{1,2}\[\[?[\u0030-\u003F]*[\u0020-\u002F]*[\u0040-\u007E]|\u001B{1,2}O[\u0040-\u007E]|\u001B[^\u001B\[O]|\u001B{1,2}[\[O].*|./svy;

/**
 * The keys of one read, in order. A sequence cut at the end of the read (`ESC[`, a lone `ESC`)
 * is the last piece, whole: Ink's own parser waits for its end, or takes a lone ESC as Escape.
 */
export function splitKeys(text: string): string[] {
  const keys: string[] = [];
  let index = 0;
  while (index < text.length) {
    keyPattern.lastIndex = index;
    const match = keyPattern.exec(text);
    if (match === null) {
      keys.push(text.slice(index));
      break;
    }

    keys.push(match[0]);
    index += match[0].length;
  }

  return keys;
}

const escape = '\u001B';

/** Longest wait for the screen to settle after a key: a key is never held up for longer. */
const settleLimitMs = 2000;

/**
 * The terminal's input, one key per read, for Ink's `stdin` option. It reads the terminal only
 * once Ink reads it, and passes raw mode, ref and unref through, so that it keeps nothing alive
 * that Ink would not.
 */
export class KeyByKeyInput extends Readable {
  readonly isTTY: boolean;
  readonly #source: NodeJS.ReadStream;
  readonly #queue: string[] = [];
  #listening = false;
  #pacing = false;
  /** Counts the keys handed over, so that a late check for one key never releases the next. */
  #handed = 0;
  #rendered = false;
  #limit: NodeJS.Timeout | undefined;

  constructor(source: NodeJS.ReadStream) {
    super();
    this.#source = source;
    this.isTTY = Boolean(source.isTTY);
  }

  setRawMode(mode: boolean): this {
    this.#source.setRawMode(mode);
    return this;
  }

  ref(): this {
    this.#source.ref();
    return this;
  }

  unref(): this {
    this.#source.unref();
    return this;
  }

  override _read(): void {
    if (this.#listening) {
      return;
    }

    this.#listening = true;
    this.#source.setEncoding('utf8');
    this.#source.on('data', this.#take);
  }

  override _destroy(
    error: Error | null,
    callback: (error?: Error | null) => void,
  ): void {
    this.#source.off('data', this.#take);
    callback(error);
  }

  readonly #take = (chunk: string): void => {
    this.#queue.push(...splitKeys(chunk));
    this.#next();
  };

  /** The screen was drawn (a layout effect): what the last key started is under way. */
  rendered(): void {
    this.#rendered = true;
  }

  /** Every effect of the last drawing has run (a passive effect of the root): the next key may go. */
  settled(): void {
    if (this.#rendered) {
      this.#release();
    }
  }

  #release(): void {
    if (!this.#pacing) {
      return;
    }

    this.#pacing = false;
    clearTimeout(this.#limit);
    this.#next();
  }

  #next(): void {
    if (this.#pacing) {
      return;
    }

    const key = this.#queue.shift();
    if (key === undefined) {
      return;
    }

    this.#pacing = true;
    this.#rendered = false;
    const handed = ++this.#handed;
    this.push(key);
    // A key that changes nothing draws nothing, and the next follows at once. One that draws waits
    // for its effects: the handler of a prompt it opened is attached by then.
    // Ink reads it on the next tick, and React schedules its drawing then: the check is queued
    // after that drawing (two turns of the loop, in case React yields once).
    const check = () => {
      setImmediate(() => {
        setImmediate(() => {
          if (handed === this.#handed && !this.#rendered) {
            this.#release();
          }
        });
      });
    };

    process.nextTick(() => {
      if (key === escape) {
        // Ink holds a lone ESC for one turn (it may start a sequence) and then hands it on: what
        // was drawn before that is not this key's doing.
        setImmediate(() => {
          this.#rendered = false;
          check();
        });
      } else {
        check();
      }
    });
    this.#limit = setTimeout(() => {
      this.#release();
    }, settleLimitMs);
  }
}

/** What the dashboard tells the input about its drawing. */
export type InputPacing = Pick<KeyByKeyInput, 'rendered' | 'settled'>;

/**
 * Called first thing in the component that holds which part of the screen has the keys: its
 * layout effect says a drawing is under way; once its passive effects have run (after its
 * children's, which attach their input handlers, and its own), the next key may go.
 */
export function useInputPacing(input: InputPacing | undefined): void {
  useLayoutEffect(() => {
    input?.rendered();
  });
  useEffect(() => {
    // After the passive effects of this whole drawing, its own later hooks' included: they run
    // in one go, and the microtask after them.
    queueMicrotask(() => {
      input?.settled();
    });
  });
}
