import {connect, type Socket} from 'node:net';
import {listenerSet} from '../engine/local-engine.js';
import type {
  EngineCommand,
  EngineFailure,
  EngineFinal,
  EngineHandle,
  EngineInfo,
  EngineSnapshot,
  ViewQuery,
} from '../engine/types.js';
import {
  controlProtocolVersion,
  encodeFrame,
  FrameReader,
  maxServiceFrameBytes,
  type ServiceMessage,
  type ViewerMessage,
} from './control-protocol.js';

/** Attaching failed: one line for the user and the exit code. */
export class AttachError extends Error {
  override readonly name = 'AttachError';
  readonly exitCode: number;

  constructor(message: string, exitCode = 1) {
    super(message);
    this.exitCode = exitCode;
  }
}

/** A running server's engine, as a viewer on its control socket holds it. */
export type RemoteEngine = EngineHandle & {
  readonly path: string;
  /** The server's process id. */
  readonly pid: number;
  /** `y` at the idle prompt: asks the server to shut down. */
  shutdown(): void;
  /** Called once when the server says it has stopped, with what its summary printed. */
  onStopped(listener: (final: EngineFinal) => void): () => void;
};

const helloTimeoutMs = 5000;

function connectError(socketPath: string, error: NodeJS.ErrnoException) {
  const where = JSON.stringify(socketPath);
  switch (error.code ?? '') {
    case 'ENOENT': {
      return new AttachError(
        `attach: nothing at ${where}; is a server running with --control?`,
      );
    }

    case 'ECONNREFUSED': {
      return new AttachError(
        `attach: nothing is listening at ${where} (a server that stopped may have left it)`,
      );
    }

    case 'EACCES': {
      return new AttachError(
        `attach: not allowed to connect to ${where} (it belongs to another user)`,
      );
    }

    case 'ENOTSOCK': {
      return new AttachError(`attach: ${where} is not a socket`);
    }

    default: {
      return new AttachError(
        `attach: cannot connect to ${where}: ${error.code ?? error.message}`,
      );
    }
  }
}

function isServiceMessage(value: unknown): value is ServiceMessage {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as {type?: unknown}).type === 'string'
  );
}

/**
 * Connects to a server's control socket, checks that it speaks this version, sends `query` as
 * this viewer's first view and resolves once its first snapshot has come.
 *
 * @throws {AttachError} nothing there, nothing listening, another version, no answer.
 */
export async function attachRemoteEngine(
  socketPath: string,
  query: ViewQuery,
): Promise<RemoteEngine> {
  const socket: Socket = connect(socketPath);
  const reader = new FrameReader(maxServiceFrameBytes);
  const snapshots = listenerSet<undefined>();
  const failures = listenerSet<EngineFailure>();
  const stops = listenerSet<EngineFinal>();
  let info: EngineInfo | undefined;
  let pid = 0;
  let live: EngineSnapshot | undefined;
  let shown: EngineSnapshot | undefined;
  /** `p`: this viewer's own frozen copy; the server and other viewers go on. */
  let held: EngineSnapshot | undefined;
  let final: EngineFinal | undefined;
  let failure: EngineFailure | undefined;
  let detached = false;

  const send = (message: ViewerMessage) => {
    if (!socket.destroyed && socket.writable) {
      socket.write(encodeFrame(message));
    }
  };

  const show = () => {
    shown =
      held === undefined
        ? live
        : {
            ...live!,
            query: held.query,
            window: held.window,
            detail: held.detail,
            frozen: true,
            frozenAt: held.time,
          };
    snapshots.notify(undefined);
  };

  const fail = (message: string) => {
    if (failure !== undefined || final !== undefined || detached) {
      return;
    }

    failure = {message};
    failures.notify(failure);
  };

  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(
        new AttachError(
          `attach: ${JSON.stringify(socketPath)} did not answer as a udp-heartbeat control socket`,
        ),
      );
      socket.destroy();
    }, helloTimeoutMs);

    const receive = (message: ServiceMessage) => {
      switch (message.type) {
        case 'hello': {
          if (message.version !== controlProtocolVersion) {
            clearTimeout(timer);
            reject(
              new AttachError(
                `attach: the server at ${JSON.stringify(socketPath)} speaks control protocol ${message.version}; this udp-heartbeat speaks ${controlProtocolVersion} (use the same version as the server)`,
              ),
            );
            socket.destroy();
            return;
          }

          pid = message.pid;
          // The header names what this viewer draws: the server's address, socket and process.
          info = {
            ...message.info,
            listeningNote: `${message.info.listeningNote}  attached to ${socketPath} (pid ${pid})`,
          };
          send({type: 'hello', version: controlProtocolVersion});
          send({type: 'view', query});
          break;
        }

        case 'snapshot': {
          live = {...message.snapshot, info: info!};
          if (shown === undefined) {
            clearTimeout(timer);
            show();
            resolve();
          } else {
            show();
          }

          break;
        }

        case 'stopped': {
          final = message.final;
          stops.notify(final);
          break;
        }

        case 'refused': {
          clearTimeout(timer);
          reject(
            new AttachError(`attach: the server refused: ${message.reason}`),
          );
          fail(`the server closed the connection: ${message.reason}`);
          break;
        }

        case 'status': {
          break;
        }
      }
    };

    socket.on('data', (chunk: Buffer) => {
      let messages: unknown[];
      try {
        messages = reader.push(chunk);
      } catch (error) {
        clearTimeout(timer);
        const reason = error instanceof Error ? error.message : String(error);
        reject(new AttachError(`attach: the server sent ${reason}`));
        fail(`the server sent ${reason}`);
        socket.destroy();
        return;
      }

      for (const message of messages) {
        if (isServiceMessage(message)) {
          receive(message);
        }
      }
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(connectError(socketPath, error));
      fail(
        `the connection to the server failed: ${error.code ?? error.message}`,
      );
    });
    socket.on('close', () => {
      clearTimeout(timer);
      reject(
        new AttachError(
          `attach: ${JSON.stringify(socketPath)} closed the connection before its first snapshot`,
        ),
      );
      fail('the server closed the connection');
    });
  });

  await ready;

  const lastKnown = (): EngineFinal =>
    final ?? {
      snapshot: live!,
      endedAt: Date.now(),
      clients: live!.window.rows,
    };

  return {
    path: socketPath,
    pid,
    info: info!,
    subscribe: (listener) => snapshots.add(listener),
    getSnapshot: () => shown!,
    send(command: EngineCommand) {
      switch (command.type) {
        case 'view': {
          send({type: 'view', query: command.query});
          break;
        }

        case 'freeze': {
          held = command.frozen ? live : undefined;
          show();
          break;
        }

        case 'hook-error':
        case 'reopen-log': {
          // The host's own: a viewer runs no hooks and writes no log.
          break;
        }

        case 'set-loss':
        case 'reset':
        case 'forget-stopped':
        case 'dismiss-idle':
        case 'mute': {
          send({type: 'command', command});
          break;
        }
      }
    },
    // Events stay with the server (its log and output); a viewer draws snapshots.
    onEvents: () => () => undefined,
    onFailure(listener) {
      if (failure !== undefined) {
        listener(failure);
      }

      return failures.add(listener);
    },
    onStopped(listener) {
      if (final !== undefined) {
        listener(final);
      }

      return stops.add(listener);
    },
    shutdown() {
      send({type: 'shutdown'});
    },
    /** Detaches: the server goes on. */
    async stop() {
      detached = true;
      socket.end();
      socket.destroySoon();
      return lastKnown();
    },
  };
}
