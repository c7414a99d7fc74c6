import type {ServerOptions} from '../config/server-options.js';
import {startEngine, type EngineStartOptions} from './start-engine.js';
import type {
  EngineCommand,
  EngineFailure,
  EngineFinal,
  EngineHandle,
  EngineSnapshot,
  NotableEvent,
} from './types.js';

/** Listeners of one kind, each called in order; a listener that throws does not stop the others. */
export function listenerSet<T>() {
  const listeners = new Set<(value: T) => void>();
  return {
    add(listener: (value: T) => void): () => void {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    notify(value: T): void {
      for (const listener of listeners) {
        listener(value);
      }
    },
  };
}

/** The engine on this thread: headless, where nothing else competes for the event loop. */
export async function startLocalEngine(
  options: ServerOptions,
  start: EngineStartOptions,
): Promise<EngineHandle> {
  const {core, close} = await startEngine(options, start);
  let latest: EngineSnapshot = core.latest();
  const snapshots = listenerSet<undefined>();
  core.onSnapshot((snapshot) => {
    latest = snapshot;
    snapshots.notify(undefined);
  });
  return {
    info: core.info,
    subscribe: (listener) => snapshots.add(listener),
    getSnapshot: () => latest,
    send(command: EngineCommand) {
      core.apply(command);
    },
    onEvents: (listener: (events: readonly NotableEvent[]) => void) =>
      core.onEvents(listener),
    // The engine cannot fail apart from this thread: a failure here is the process's own.
    onFailure: (_listener: (failure: EngineFailure) => void) => () => undefined,
    async stop(): Promise<EngineFinal> {
      const final = await core.stop(close);
      latest = final.snapshot;
      return final;
    },
  };
}
