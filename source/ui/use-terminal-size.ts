import {useEffect, useState} from 'react';
import {useStdout} from 'ink';

/** Terminal lines and columns. */
export type TerminalSize = {readonly rows: number; readonly columns: number};

/** What a stream without a size (a test's fake stdout) is taken to be: the classic terminal. */
export const defaultTerminalSize: TerminalSize = {rows: 24, columns: 80};

function sizeOf(stdout: NodeJS.WritableStream): TerminalSize {
  // A terminal's stream has its size; a test's plain stream may not.
  const rows: unknown = Reflect.get(stdout, 'rows');
  const columns: unknown = Reflect.get(stdout, 'columns');
  return {
    rows:
      typeof rows === 'number' && rows > 0 ? rows : defaultTerminalSize.rows,
    columns:
      typeof columns === 'number' && columns > 0
        ? columns
        : defaultTerminalSize.columns,
  };
}

/** The terminal's size, renewed on every `resize`; either dimension can be fixed (tests do). */
export function useTerminalSize(
  fixed: Partial<TerminalSize> = {},
): TerminalSize {
  const {stdout} = useStdout();
  const [size, setSize] = useState(() => sizeOf(stdout));
  useEffect(() => {
    const onResize = () => {
      const next = sizeOf(stdout);
      setSize((previous) =>
        previous.rows === next.rows && previous.columns === next.columns
          ? previous
          : next,
      );
    };

    // The size may have changed between the first render and this subscription.
    onResize();
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);

  return {
    rows: fixed.rows ?? size.rows,
    columns: fixed.columns ?? size.columns,
  };
}
