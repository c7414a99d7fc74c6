import {chattyEvents, type EventSink} from '../store/types.js';
import {formatEventJson, formatEventText} from './format-event.js';
import type {LineWriter} from './line-writer.js';

export type HeadlessSinkOptions = {
  /** `text`: one line for people per event; `json`: one JSON object per line. */
  readonly format: 'text' | 'json';
  /** Leave out the per-heartbeat events (`replied`, `dropped`), keep state changes and the summary. */
  readonly quiet: boolean;
  /** The run's id, carried by every JSON line. */
  readonly session: string;
  /** Where the lines go (batched stdout in production). */
  readonly writer: Pick<LineWriter, 'write'>;
};

/** The event sink for `--output text|json`: one line per event through a batching writer. */
export function createHeadlessSink(options: HeadlessSinkOptions): EventSink {
  const {quiet, session, writer} = options;
  if (options.format === 'json') {
    return (event) => {
      if (quiet && chattyEvents.has(event.event)) {
        return;
      }

      writer.write(formatEventJson(event, session));
    };
  }

  return (event) => {
    if (quiet && chattyEvents.has(event.event)) {
      return;
    }

    writer.write(formatEventText(event));
  };
}
