import {useCallback, useRef, useState} from 'react';
import {Text, useInput, type Key} from 'ink';

type LineInputProps = {
  /** Shown before the text: `filter`, `loss %`. */
  readonly label: string;
  readonly initialValue?: string;
  /** Whether the text may become `next`; characters that would make it invalid are ignored. */
  readonly accept?: (next: string) => boolean;
  /** Applies the text; returns a short error to keep the line open, or undefined to close it. */
  readonly onSubmit: (value: string) => string | undefined;
  /** Esc: close without applying. */
  readonly onCancel: () => void;
  /** False while something else (the idle prompt) has the keys. */
  readonly isActive: boolean;
  /** What the keys do, after the text. */
  readonly hint?: string;
};

type LineState = {readonly value: string; readonly error: string | undefined};

const maxLength = 64;

/** Printable text only: a key like Tab or an arrow must not land in the value. */
function printable(input: string): string {
  return [...input].filter((char) => char >= ' ' && char !== '\u007F').join('');
}

/** A one-line text input: type, Backspace, Enter applies, Esc cancels. */
export function LineInput({
  label,
  initialValue = '',
  accept,
  onSubmit,
  onCancel,
  isActive,
  hint = 'Enter applies, Esc cancels',
}: LineInputProps) {
  const [state, setState] = useState<LineState>({
    value: initialValue,
    error: undefined,
  });
  // Keys can arrive faster than React re-renders: the handler reads and writes this, never a stale closure.
  const current = useRef(state);
  const update = useCallback((next: LineState) => {
    current.current = next;
    setState(next);
  }, []);

  const handleInput = useCallback(
    (input: string, key: Key) => {
      const {value} = current.current;
      if (key.escape) {
        onCancel();
        return;
      }

      if (key.return) {
        update({value, error: onSubmit(value)});
        return;
      }

      if (key.backspace || key.delete) {
        update({value: value.slice(0, -1), error: undefined});
        return;
      }

      if (key.ctrl || key.meta || key.tab) {
        return;
      }

      // Pasted text arrives in one read, Enter and all: the text before the first line end is
      // typed, and the line end applies it, as if each key had come on its own.
      const lineEnd = /[\r\n]/v.exec(input);
      const typed = lineEnd === null ? input : input.slice(0, lineEnd.index);
      let next = value;
      for (const char of printable(typed)) {
        const candidate = next + char;
        if (candidate.length <= maxLength && (accept?.(candidate) ?? true)) {
          next = candidate;
        }
      }

      if (lineEnd !== null) {
        update({value: next, error: onSubmit(next)});
      } else if (next !== value) {
        update({value: next, error: undefined});
      }
    },
    [accept, onSubmit, onCancel, update],
  );
  useInput(handleInput, {isActive});

  return (
    <Text wrap="truncate-end">
      <Text bold>{`${label}: `}</Text>
      {state.value}
      <Text inverse> </Text>
      {state.error === undefined ? (
        <Text dimColor>{`  ${hint}`}</Text>
      ) : (
        <Text color="red">{`  ${state.error}`}</Text>
      )}
    </Text>
  );
}
