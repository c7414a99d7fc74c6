import {type Clock, systemClock} from '../clock.js';
import {
  chattyEvents,
  type EventSink,
  type HeartbeatEvent,
} from '../vocabulary.js';
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

/**
 * The line a writer prints after skipping output it could not keep up with, as a `log-error`
 * event in the sink's format: a JSON consumer keeps getting objects with the usual fields.
 * Pass it as the line writer's `skippedLine`.
 */
export function skippedLineFor(
  format: 'text' | 'json',
  session: string,
  clock: Clock = systemClock,
): (count: number) => string {
  return (count) => {
    const event: HeartbeatEvent = {
      time: clock(),
      event: 'log-error',
      client: undefined,
      seq: undefined,
      delayMs: undefined,
      detail: `output_skipped=${count};reason=output could not keep up`,
      state: undefined,
    };
    return format === 'json'
      ? formatEventJson(event, session)
      : formatEventText(event);
  };
}
