/*
The control socket's protocol (docs/service.md): frames of a 4-byte big-endian length and a
node:v8 serialized message, the same structured-clone data that crosses the engine's thread
boundary. The service speaks first (`hello`, with the protocol version); a viewer answers with its
own `hello`, then sends its view and commands. Each side bounds the frames it accepts, so that a
stranger on the socket can cost a bounded amount of memory and nothing else.
*/
import {Buffer} from 'node:buffer';
import {deserialize, serialize} from 'node:v8';
import {
  sortColumns,
  type EngineCommand,
  type EngineFinal,
  type EngineInfo,
  type EngineSnapshot,
  type ViewQuery,
} from '../engine/types.js';

/** Goes up when a message changes shape; both sides refuse another version. */
export const controlProtocolVersion = 1;

/** Largest frame a viewer may send the service: a query and a command are a few hundred bytes. */
export const maxViewerFrameBytes = 64 * 1024;
/** Largest frame the service sends a viewer: a snapshot with a terminal's rows and a detail. */
export const maxServiceFrameBytes = 16 * 1024 * 1024;

/** The commands a viewer may send: everything the dashboard's keys do, except what is the host's. */
export type ViewerCommand = Extract<
  EngineCommand,
  {
    type: 'set-loss' | 'reset' | 'forget-stopped' | 'dismiss-idle' | 'mute';
  }
>;

/** From a viewer to the service. */
export type ViewerMessage =
  | {readonly type: 'hello'; readonly version: number}
  | {readonly type: 'view'; readonly query: ViewQuery}
  | {readonly type: 'command'; readonly command: ViewerCommand}
  /** `y` at the idle prompt: shut the service down, as on its own terminal. */
  | {readonly type: 'shutdown'}
  /** The service's counters (tests, diagnostics). */
  | {readonly type: 'status'};

/** What the service counts of its viewers. */
export type ControlStatus = {
  readonly viewers: number;
  readonly attached: number;
  /** Snapshots not sent because a viewer had not taken the earlier ones. */
  readonly framesDropped: number;
  /** Viewers closed for a malformed, oversized or unexpected frame. */
  readonly badFrames: number;
  /** Viewers that went away in the middle of a frame. */
  readonly cutOff: number;
};

/** From the service to a viewer. */
export type ServiceMessage =
  | {
      readonly type: 'hello';
      readonly version: number;
      readonly pid: number;
      readonly info: EngineInfo;
    }
  | {readonly type: 'snapshot'; readonly snapshot: EngineSnapshot}
  | {readonly type: 'status'; readonly status: ControlStatus}
  /** The service has shut down: what its own exit summary printed. */
  | {readonly type: 'stopped'; readonly final: EngineFinal}
  /** Why the service closes this viewer. */
  | {readonly type: 'refused'; readonly reason: string};

/** A frame, ready to write. */
export function encodeFrame(message: ViewerMessage | ServiceMessage): Buffer {
  const body = serialize(message);
  const frame = Buffer.allocUnsafe(4 + body.length);
  frame.writeUInt32BE(body.length, 0);
  body.copy(frame, 4);
  return frame;
}

/** Why a stream of frames cannot be read on. */
export class FrameError extends Error {
  override readonly name = 'FrameError';
}

/**
 * Splits a byte stream into frames and decodes them. `push` returns the messages completed by a
 * chunk; it throws FrameError for an oversized or undecodable frame, after which the stream is
 * useless. `pending` says whether a frame was begun and not finished.
 */
export class FrameReader {
  readonly #maxBytes: number;
  #chunks: Buffer[] = [];
  #buffered = 0;

  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  get pending(): boolean {
    return this.#buffered > 0;
  }

  push(chunk: Buffer): unknown[] {
    this.#chunks.push(chunk);
    this.#buffered += chunk.length;
    const messages: unknown[] = [];
    while (this.#buffered >= 4) {
      const head = this.#peek(4);
      const length = head.readUInt32BE(0);
      if (length > this.#maxBytes) {
        throw new FrameError(
          `a frame of ${length} bytes (at most ${this.#maxBytes})`,
        );
      }

      if (this.#buffered < 4 + length) {
        break;
      }

      const frame = this.#take(4 + length);
      try {
        messages.push(deserialize(frame.subarray(4)));
      } catch {
        throw new FrameError('a frame that does not decode');
      }
    }

    return messages;
  }

  #peek(bytes: number): Buffer {
    if (this.#chunks[0]!.length < bytes) {
      this.#chunks = [Buffer.concat(this.#chunks)];
    }

    return this.#chunks[0]!;
  }

  #take(bytes: number): Buffer {
    const all = Buffer.concat(this.#chunks);
    this.#chunks = all.length > bytes ? [all.subarray(bytes)] : [];
    this.#buffered -= bytes;
    return all.subarray(0, bytes);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown, max: number): value is number {
  return (
    typeof value === 'number' &&
    Number.isInteger(value) &&
    value >= 0 &&
    value <= max
  );
}

/** Longest filter and client key a viewer may name. */
const maxTextLength = 1024;
/** Most rows a viewer may ask for: more than any terminal shows. */
const maxRows = 1000;

function isText(value: unknown): value is string {
  return typeof value === 'string' && value.length <= maxTextLength;
}

/** The query if it is one a viewer may ask: anything else is a bad frame. */
export function readQuery(value: unknown): ViewQuery | undefined {
  if (!isRecord(value)) {
    return undefined;
  }

  const {descending, filter, start, count, detail} = value;
  const sort = sortColumns.find((column) => column === value.sort);
  if (
    sort === undefined ||
    typeof descending !== 'boolean' ||
    !isText(filter) ||
    !isCount(start, 100_000_000) ||
    !isCount(count, maxRows) ||
    (detail !== undefined && !isText(detail))
  ) {
    return undefined;
  }

  return {
    sort,
    descending,
    filter,
    start,
    count,
    detail,
  };
}

function readCommand(value: unknown): ViewerCommand | undefined {
  if (!isRecord(value)) {
    return undefined;
  }

  switch (value.type) {
    case 'set-loss': {
      const {percent} = value;
      return typeof percent === 'number' && percent >= 0 && percent <= 100
        ? {type: 'set-loss', percent}
        : undefined;
    }

    case 'mute': {
      return typeof value.muted === 'boolean'
        ? {type: 'mute', muted: value.muted}
        : undefined;
    }

    case 'reset':
    case 'forget-stopped':
    case 'dismiss-idle': {
      return {type: value.type};
    }

    default: {
      return undefined;
    }
  }
}

/** A viewer's message, checked field by field; undefined for anything else. */
export function readViewerMessage(value: unknown): ViewerMessage | undefined {
  if (!isRecord(value)) {
    return undefined;
  }

  switch (value.type) {
    case 'hello': {
      return isCount(value.version, 2 ** 31)
        ? {type: 'hello', version: value.version}
        : undefined;
    }

    case 'view': {
      const query = readQuery(value.query);
      return query && {type: 'view', query};
    }

    case 'command': {
      const command = readCommand(value.command);
      return command && {type: 'command', command};
    }

    case 'shutdown':
    case 'status': {
      return {type: value.type};
    }

    default: {
      return undefined;
    }
  }
}
