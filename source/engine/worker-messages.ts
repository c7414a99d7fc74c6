import type {ServerOptions} from '../config/server-options.js';
import type {
  EngineCommand,
  EngineFinal,
  EngineInfo,
  EngineSnapshot,
  NotableEvent,
  ViewQuery,
} from './types.js';

/** The flags as they cross to the engine's thread: the allow list as its text (it holds functions). */
export type WorkerOptions = Omit<ServerOptions, 'allow'> & {
  readonly allowText: string | undefined;
  readonly session: string;
  /** The view until the dashboard asks for its own. */
  readonly query: ViewQuery | undefined;
};

/** From the host to the engine's thread. */
export type HostMessage =
  | {readonly type: 'command'; readonly command: EngineCommand}
  | {readonly type: 'stop'};

/** Why the engine could not start: the host turns these back into the errors the CLI reports. */
export type StartError =
  | {readonly kind: 'bind'; readonly message: string}
  | {readonly kind: 'log'; readonly path: string; readonly message: string}
  | {readonly kind: 'other'; readonly message: string};

/** From the engine's thread to the host. */
export type EngineMessage =
  | {
      readonly type: 'ready';
      readonly info: EngineInfo;
      readonly snapshot: EngineSnapshot;
    }
  | {readonly type: 'start-error'; readonly error: StartError}
  | {readonly type: 'snapshot'; readonly snapshot: EngineSnapshot}
  | {readonly type: 'events'; readonly events: readonly NotableEvent[]}
  | {readonly type: 'stopped'; readonly final: EngineFinal}
  | {readonly type: 'failed'; readonly message: string};
