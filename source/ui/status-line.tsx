import {Text} from 'ink';
import {sortLabels, type SortColumn} from './sort-order.js';

type StatusLineProps = {
  readonly sort: SortColumn;
  readonly isDescending: boolean;
  readonly filter: string;
  /** Clients the filter keeps. */
  readonly total: number;
  /** Clients tracked in all. */
  readonly clientCount: number;
  /** Index of the selected row. */
  readonly selected: number;
  /** Rows above the table's window. */
  readonly above?: number;
  /** Rows below the table's window. */
  readonly below?: number;
  /** Terminal columns: when the line does not fit, where the cursor is comes first. */
  readonly width?: number;
};

/** `N more` above and below the window, in one phrase: `3 more above, 5 below`. */
export function moreText(above: number, below: number): string | undefined {
  if (above > 0 && below > 0) {
    return `${above} more above, ${below} below`;
  }

  if (above > 0) {
    return `${above} more above`;
  }

  return below > 0 ? `${below} more below` : undefined;
}

const gap = '   ';

/**
 * The sort, the filter, where the cursor is and how many rows are out of sight, above the table:
 * the one line that says what the table leaves out, so it costs the table no line of its own.
 */
export function StatusLine({
  sort,
  isDescending,
  filter,
  total,
  clientCount,
  selected,
  above = 0,
  below = 0,
  width = Infinity,
}: StatusLineProps) {
  const sorted = `sorted by ${sortLabels[sort]} (${isDescending ? 'descending' : 'ascending'})`;
  const filtered =
    filter === ''
      ? undefined
      : `filter "${filter}": ${total} of ${clientCount}`;
  const more = moreText(above, below);
  const position =
    total > 0
      ? `row ${selected + 1} of ${total}${more === undefined ? '' : `, ${more}`}`
      : undefined;
  const wide = [sorted, filtered, position];
  const parts =
    wide.filter((part) => part !== undefined).join(gap).length > width
      ? [position, filtered, sorted]
      : wide;
  return (
    <Text dimColor wrap="truncate-end">
      {parts
        .filter((part) => part !== undefined)
        .map((part, index) => (
          <Text
            key={part}
            bold={part === filtered}
            dimColor={part !== filtered}
          >
            {index > 0 && gap}
            {part}
          </Text>
        ))}
    </Text>
  );
}
