import {useCallback} from 'react';
import {Box, Text, useInput, type Key} from 'ink';

type ResetPromptProps = {
  /** `y`: reset the counters. */
  readonly onConfirm: () => void;
  /** Any other key: keep them. */
  readonly onCancel: () => void;
  readonly isActive: boolean;
};

/** Asks before `r` wipes the counters, as @inkjs/ui's ConfirmInput asks: only `y` resets. */
export function ResetPrompt({onConfirm, onCancel, isActive}: ResetPromptProps) {
  const handleInput = useCallback(
    (input: string, key: Key) => {
      if (key.ctrl) {
        return;
      }

      if (input.slice(0, 1).toLowerCase() === 'y') {
        onConfirm();
      } else {
        onCancel();
      }
    },
    [onConfirm, onCancel],
  );
  useInput(handleInput, {isActive});

  return (
    <Box borderStyle="classic" borderColor="yellow" paddingX={1}>
      {/* Short enough for 80 columns; a narrower terminal wraps it at a word, nothing cut. */}
      <Text wrap="wrap">
        <Text bold>Reset every counter?</Text>{' '}
        <Text bold>y resets, any other key keeps them</Text>
        {' (summary unchanged)'}
      </Text>
    </Box>
  );
}
