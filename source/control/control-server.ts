import {chmod, stat, unlink} from 'node:fs/promises';
import {createServer, type Server, type Socket} from 'node:net';
import process from 'node:process';
import type {
  EngineFinal,
  EngineHandle,
  EngineSnapshot,
} from '../engine/types.js';
import {
  ControlPathError,
  clearStaleSocket,
  prepareControlDirectory,
} from './control-path.js';
import {
  controlProtocolVersion,
  encodeFrame,
  FrameReader,
  maxViewerFrameBytes,
  readViewerMessage,
  type ControlStatus,
  type ServiceMessage,
} from './control-protocol.js';
import {
  createViewMultiplexer,
  type MultiplexedView,
} from './view-multiplexer.js';

export type ControlServerOptions = {
  readonly path: string;
  /** `y` at the idle prompt in a viewer: shut the service down. */
  readonly onShutdown: () => void;
  /**
   * Bytes a viewer may have waiting to be read before its snapshots are dropped (not queued): a
   * viewer that does not read costs the service at most this much.
   */
  readonly maxBufferedBytes?: number;
  /** Most viewers at once; more are refused. */
  readonly maxViewers?: number;
  /** How long a connection may take to say hello. */
  readonly helloTimeoutMs?: number;
};

export type ControlServer = {
  readonly path: string;
  status(): ControlStatus;
  /**
   * The engine as the server's own dashboard must hold it while viewers are attached: its view
   * takes turns with theirs, and it is handed only the snapshots that answer its own query.
   */
  hostView(): Pick<EngineHandle, 'subscribe' | 'getSnapshot' | 'send'>;
  /**
   * Tells every viewer the service has stopped (with what its summary prints), closes them and
   * the socket, and removes the socket file.
   */
  close(final?: EngineFinal): Promise<void>;
};

type Viewer = MultiplexedView & {
  readonly socket: Socket;
  readonly reader: FrameReader;
  greeted: boolean;
  lastSequence: number;
  /** Closed for a bad frame (counted as that, not as cut off). */
  refused: boolean;
};

const defaultMaxBufferedBytes = 1024 * 1024;

/**
 * Serves the engine's snapshots and takes its commands on a Unix domain socket (mode 0600, in a
 * directory only this user can enter). A viewer never holds up the service: its snapshots are
 * dropped while it has not read the earlier ones, and a bad frame closes it.
 *
 * @throws {ControlPathError} when the directory is not private (exit 2) or a live server holds
 * the path (exit 1).
 */
export async function startControlServer(
  engine: EngineHandle,
  options: ControlServerOptions,
): Promise<ControlServer> {
  const socketPath = options.path;
  const maxBuffered = options.maxBufferedBytes ?? defaultMaxBufferedBytes;
  const maxViewers = options.maxViewers ?? 64;
  const helloTimeoutMs = options.helloTimeoutMs ?? 5000;
  await prepareControlDirectory(socketPath);
  await clearStaleSocket(socketPath);

  const multiplexer = createViewMultiplexer(engine);
  const viewers = new Set<Viewer>();
  const counts = {framesDropped: 0, badFrames: 0, cutOff: 0};
  let closing = false;

  const status = (): ControlStatus => ({
    viewers: viewers.size,
    attached: [...viewers].filter((viewer) => viewer.query !== undefined)
      .length,
    ...counts,
  });

  const write = (socket: Socket, message: ServiceMessage): void => {
    if (!socket.destroyed && socket.writable) {
      socket.write(encodeFrame(message));
    }
  };

  // Viewers with the same view are sent the same snapshot: it is serialized once.
  let encoded: {sequence: number; frame: Buffer} | undefined;
  const snapshotFrame = (snapshot: EngineSnapshot): Buffer => {
    if (encoded?.sequence !== snapshot.sequence) {
      encoded = {
        sequence: snapshot.sequence,
        frame: encodeFrame({type: 'snapshot', snapshot}),
      };
    }

    return encoded.frame;
  };

  const refuse = (viewer: Viewer, reason: string) => {
    write(viewer.socket, {type: 'refused', reason});
    viewer.socket.end();
    viewer.socket.destroySoon();
  };

  const bad = (viewer: Viewer) => {
    counts.badFrames++;
    viewer.refused = true;
    viewer.socket.destroy();
  };

  const handle = (viewer: Viewer, value: unknown) => {
    const message = readViewerMessage(value);
    if (message === undefined) {
      bad(viewer);
      return;
    }

    if (!viewer.greeted) {
      if (message.type !== 'hello') {
        bad(viewer);
        return;
      }

      if (message.version !== controlProtocolVersion) {
        refuse(
          viewer,
          `this server speaks control protocol ${controlProtocolVersion}, the viewer ${message.version}`,
        );
        return;
      }

      viewer.greeted = true;
      return;
    }

    switch (message.type) {
      case 'hello': {
        bad(viewer);
        break;
      }

      case 'view': {
        viewer.query = message.query;
        multiplexer.changed(viewer);
        break;
      }

      case 'command': {
        engine.send(message.command);
        break;
      }

      case 'shutdown': {
        options.onShutdown();
        break;
      }

      case 'status': {
        write(viewer.socket, {type: 'status', status: status()});
        break;
      }
    }
  };

  const accept = (socket: Socket) => {
    if (closing || viewers.size >= maxViewers) {
      write(socket, {
        type: 'refused',
        reason: closing
          ? 'the server is shutting down'
          : `${maxViewers} viewers are attached already`,
      });
      socket.end();
      socket.destroySoon();
      return;
    }

    const viewer: Viewer = {
      socket,
      reader: new FrameReader(maxViewerFrameBytes),
      greeted: false,
      lastSequence: -1,
      refused: false,
      query: undefined,
      deliver(snapshot: EngineSnapshot) {
        if (snapshot.sequence <= viewer.lastSequence) {
          return;
        }

        // A viewer that has not read what it was sent gets no more until it has: dropped, not queued.
        if (socket.writableLength > maxBuffered) {
          counts.framesDropped++;
          return;
        }

        viewer.lastSequence = snapshot.sequence;
        if (!socket.destroyed && socket.writable) {
          socket.write(snapshotFrame(snapshot));
        }
      },
    };
    viewers.add(viewer);
    multiplexer.add(viewer);
    const helloTimer = setTimeout(() => {
      if (!viewer.greeted) {
        bad(viewer);
      }
    }, helloTimeoutMs);
    write(socket, {
      type: 'hello',
      version: controlProtocolVersion,
      pid: process.pid,
      info: engine.info,
    });
    socket.on('data', (chunk: Buffer) => {
      let messages: unknown[];
      try {
        messages = viewer.reader.push(chunk);
      } catch {
        bad(viewer);
        return;
      }

      for (const message of messages) {
        if (socket.destroyed) {
          return;
        }

        handle(viewer, message);
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(helloTimer);
      if (viewer.reader.pending && !viewer.refused) {
        counts.cutOff++;
      }

      viewers.delete(viewer);
      multiplexer.remove(viewer);
    });
  };

  const server: Server = createServer(accept);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        new ControlPathError(
          `--control: cannot listen on ${JSON.stringify(socketPath)}: ${error.code ?? error.message}`,
          error.code === 'EADDRINUSE' ? 1 : 2,
        ),
      );
    });
    server.listen(socketPath, () => {
      resolve();
    });
  });
  server.on('error', () => undefined);
  // The directory already keeps others out; the socket's own mode says so too.
  await chmod(socketPath, 0o600);
  const {ino} = await stat(socketPath);

  let closed: Promise<void> | undefined;
  return {
    path: socketPath,
    status,
    hostView() {
      let latest = engine.getSnapshot();
      const listeners = new Set<() => void>();
      const host: MultiplexedView = {
        query: latest.query,
        deliver(snapshot) {
          latest = snapshot;
          for (const listener of listeners) {
            listener();
          }
        },
      };
      multiplexer.add(host);
      return {
        subscribe(listener) {
          listeners.add(listener);
          return () => {
            listeners.delete(listener);
          };
        },
        getSnapshot: () => latest,
        send(command) {
          if (command.type === 'view') {
            host.query = command.query;
            multiplexer.changed(host);
          } else {
            engine.send(command);
          }
        },
      };
    },
    async close(final) {
      closed ??= (async () => {
        closing = true;
        multiplexer.close();
        const gone = new Promise<void>((resolve) => {
          server.close(() => {
            resolve();
          });
        });
        for (const viewer of viewers) {
          if (final !== undefined) {
            write(viewer.socket, {type: 'stopped', final});
          }

          viewer.socket.end();
          // A viewer that does not read its last frame is not waited for.
          setTimeout(() => {
            viewer.socket.destroy();
          }, 1000).unref();
        }

        // Only our own socket: another server may have taken the path since.
        const current = await stat(socketPath).catch(() => undefined);
        if (current?.ino === ino) {
          await unlink(socketPath).catch(() => undefined);
        }

        await gone;
      })();
      return closed;
    },
  };
}
