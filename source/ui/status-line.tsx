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
};

/** The sort, the filter and where the cursor is, above the table. */
export function StatusLine({
  sort,
  isDescending,
  filter,
  total,
  clientCount,
  selected,
}: StatusLineProps) {
  return (
    <Text dimColor wrap="truncate-end">
      {`sorted by ${sortLabels[sort]} (${isDescending ? 'descending' : 'ascending'})`}
      {filter !== '' && (
        <Text bold dimColor={false}>
          {`   filter "${filter}": ${total} of ${clientCount}`}
        </Text>
      )}
      {total > 0 && `   row ${selected + 1} of ${total}`}
    </Text>
  );
}
