import {Box, Text} from 'ink';
import type {KeyHint} from './layout.js';

type FooterProps = {
  /** The key hints, already packed into lines that fit (see `footerLines`). */
  readonly lines: readonly KeyHint[][];
};

/** Every key, compact, on as few lines as the terminal's width allows. */
export function Footer({lines}: FooterProps) {
  return (
    <Box flexDirection="column">
      {lines.map((line) => (
        <Text key={line[0]?.keys} wrap="truncate-end">
          {line.map((hint, index) => (
            <Text key={hint.keys}>
              {index > 0 && '  '}
              <Text bold>{hint.keys}</Text>
              <Text dimColor>{` ${hint.action}`}</Text>
            </Text>
          ))}
        </Text>
      ))}
    </Box>
  );
}
