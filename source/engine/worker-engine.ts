import {Worker} from 'node:worker_threads';
import type {ServerOptions} from '../config/server-options.js';
import {BindError} from '../server/bind-socket.js';
import {LogOpenError} from './csv-log.js';
import {listenerSet} from './local-engine.js';
import type {
  EngineCommand,
  EngineFailure,
  EngineFinal,
  EngineHandle,
  EngineSnapshot,
  NotableEvent,
  ViewQuery,
} from './types.js';
import type {
  EngineMessage,
  HostMessage,
  StartError,
  WorkerOptions,
} from './worker-messages.js';

function errorOf(error: StartError): Error {
  if (error.kind === 'bind') {
    return new BindError(error.message);
  }

  if (error.kind === 'log') {
    const logError = new LogOpenError(error.path, '');
    logError.message = error.message;
    return logError;
  }

  return new Error(error.message);
}

/**
 * The engine on a thread of its own (node:worker_threads), so that drawing never delays a reply or
 * the receive time a delay is measured from. Resolves once the socket is bound; rejects with the
 * BindError or LogOpenError the engine met, as the local engine does.
 */
export async function startWorkerEngine(
  options: ServerOptions,
  session: string,
  /** The view until the dashboard sends its own. */
  query?: ViewQuery,
): Promise<EngineHandle> {
  const {allow, ...flags} = options;
  const workerData: WorkerOptions = {
    ...flags,
    allowText: allow?.text,
    session,
    query,
  };
  // The worker's module sits beside this one in the build.
  const worker = new Worker(new URL('engine-worker.js', import.meta.url), {
    workerData,
  });
  const snapshots = listenerSet<undefined>();
  const events = listenerSet<readonly NotableEvent[]>();
  const failures = listenerSet<EngineFailure>();
  let latest: EngineSnapshot | undefined;
  let final: EngineFinal | undefined;
  let failure: EngineFailure | undefined;
  let settleStop: ((final: EngineFinal) => void) | undefined;
  let stopping: Promise<EngineFinal> | undefined;

  /** What `stop` gives when the thread is gone: the last snapshot it published. */
  const lastKnown = (): EngineFinal => ({
    snapshot: latest!,
    endedAt: Date.now(),
    clients: latest!.window.rows,
  });

  const fail = (message: string) => {
    if (failure !== undefined || final !== undefined) {
      return;
    }

    failure = {message};
    failures.notify(failure);
    settleStop?.(lastKnown());
  };

  const ready = new Promise<EngineHandle>((resolve, reject) => {
    worker.on('message', (message: EngineMessage) => {
      switch (message.type) {
        case 'ready': {
          latest = message.snapshot;
          resolve(handle(message.info));
          break;
        }

        case 'start-error': {
          reject(errorOf(message.error));
          break;
        }

        case 'snapshot': {
          latest = message.snapshot;
          snapshots.notify(undefined);
          break;
        }

        case 'events': {
          events.notify(message.events);
          break;
        }

        case 'stopped': {
          final = message.final;
          latest = final.snapshot;
          settleStop?.(final);
          break;
        }

        case 'failed': {
          fail(message.message);
          break;
        }
      }
    });
    worker.on('error', (error: Error) => {
      if (latest === undefined) {
        reject(error);
      } else {
        fail(error.message);
      }
    });
    worker.on('exit', (code) => {
      if (latest === undefined) {
        reject(new Error(`the engine thread ended (exit code ${code})`));
      } else if (final === undefined) {
        fail(`the engine thread ended (exit code ${code})`);
      }
    });
  });

  const send = (message: HostMessage) => {
    if (failure === undefined && final === undefined) {
      worker.postMessage(message);
    }
  };

  function handle(info: EngineHandle['info']): EngineHandle {
    return {
      info,
      subscribe: (listener) => snapshots.add(listener),
      getSnapshot: () => latest!,
      send(command: EngineCommand) {
        send({type: 'command', command});
      },
      onEvents: (listener) => events.add(listener),
      onFailure(listener) {
        if (failure !== undefined) {
          listener(failure);
        }

        return failures.add(listener);
      },
      async stop() {
        stopping ??= new Promise<EngineFinal>((resolve) => {
          if (final !== undefined) {
            resolve(final);
            return;
          }

          if (failure !== undefined) {
            resolve(lastKnown());
            return;
          }

          settleStop = resolve;
          send({type: 'stop'});
        });
        return stopping;
      },
    };
  }

  return ready;
}
