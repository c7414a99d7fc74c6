import {useCallback} from 'react';
import {Box, Text, useInput, type Key} from 'ink';
import {formatSilence} from './format-cells.js';

type IdlePromptProps = {
  /** How long no heartbeat has arrived. */
  readonly silenceMs: number;
  /** `y`: shut down. */
  readonly onConfirm: () => void;
  /** `n` or Esc: keep serving. */
  readonly onCancel: () => void;
  readonly isActive: boolean;
};

/**
 * Asks whether to shut down after a silence, as @inkjs/ui's ConfirmInput asks: `y` or `n`, with no
 * default, so a stray Enter shuts nothing down.
 */
export function IdlePrompt({
  silenceMs,
  onConfirm,
  onCancel,
  isActive,
}: IdlePromptProps) {
  const handleInput = useCallback(
    (input: string, key: Key) => {
      if (key.ctrl) {
        return;
      }

      // The first character decides, should keys arrive together (`yes` typed fast).
      const answer = input.slice(0, 1).toLowerCase();
      if (answer === 'y') {
        onConfirm();
      } else if (answer === 'n' || key.escape) {
        onCancel();
      }
    },
    [onConfirm, onCancel],
  );
  useInput(handleInput, {isActive});

  return (
    <Box borderStyle="classic" borderColor="yellow" paddingX={1}>
      <Text wrap="truncate-end">
        <Text bold>{`No heartbeat for ${formatSilence(silenceMs)}.`}</Text>
        {' Shut down? '}
        <Text bold>(y/n)</Text>
      </Text>
    </Box>
  );
}
