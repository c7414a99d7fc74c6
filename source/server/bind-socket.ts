import dgram from 'node:dgram';
import {isIPv6} from 'node:net';

/** The default port, and how many ports after it are tried when it is busy. */
export const defaultPort = 12_000;
export const portFallbackTries = 100;

/** A bind that failed for a reason the user can act on: printed as one line, exit code 1. */
export class BindError extends Error {
  override readonly name = 'BindError';
}

export type BindOptions = {
  readonly host: string;
  readonly port: number;
  /** A port the user named is never swapped for another one. */
  readonly explicitPort: boolean;
  /** Bytes of kernel receive buffer to ask for, so bursts are not dropped while the loop is busy. */
  readonly receiveBufferBytes?: number;
};

export type BoundSocket = {
  readonly socket: dgram.Socket;
  readonly port: number;
};

function describe(host: string, port: number): string {
  return isIPv6(host) ? `[${host}]:${port}` : `${host}:${port}`;
}

async function tryBind(
  host: string,
  port: number,
  receiveBufferBytes: number | undefined,
): Promise<dgram.Socket> {
  const socket = dgram.createSocket({
    type: isIPv6(host) ? 'udp6' : 'udp4',
    // `::` also takes IPv4 where the OS maps it.
    ipv6Only: false,
  });
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      socket.close();
      reject(error);
    };

    socket.once('error', onError);
    socket.bind({address: host, port, exclusive: true}, () => {
      socket.off('error', onError);
      if (receiveBufferBytes !== undefined) {
        try {
          socket.setRecvBufferSize(receiveBufferBytes);
        } catch {
          // The OS caps the buffer (net.core.rmem_max); the default still works.
        }
      }

      resolve(socket);
    });
  });
}

function errorCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error
    ? String((error as {code: unknown}).code)
    : undefined;
}

/**
 * Binds the UDP socket. On the default port, a busy port moves on to the next ones (up to 100);
 * a port the user named must be that port, or the user is told to pick another.
 */
export async function bindSocket(options: BindOptions): Promise<BoundSocket> {
  const {host, port, explicitPort, receiveBufferBytes} = options;
  const tries = explicitPort ? 1 : portFallbackTries;
  for (let offset = 0; offset < tries && port + offset <= 65_535; offset++) {
    const candidate = port + offset;
    try {
      const socket = await tryBind(host, candidate, receiveBufferBytes);
      // Port 0 asks the OS for any free port: report the one it gave.
      return {socket, port: socket.address().port};
    } catch (error) {
      const code = errorCode(error);
      if (code === 'EADDRINUSE' && !explicitPort) {
        continue;
      }

      if (code === 'EADDRINUSE') {
        throw new BindError(
          `port ${candidate} is already in use on ${host}: pick another with --port`,
        );
      }

      if (code === 'EADDRNOTAVAIL') {
        throw new BindError(
          `cannot listen on ${host}: no such address on this machine (try --host 0.0.0.0)`,
        );
      }

      if (code === 'EACCES') {
        throw new BindError(
          `not allowed to listen on ${describe(host, candidate)}: pick a port from 1024 up`,
        );
      }

      throw new BindError(
        `cannot listen on ${describe(host, candidate)}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  throw new BindError(
    `ports ${port} to ${Math.min(65_535, port + tries - 1)} are all in use on ${host}: pick a free one with --port`,
  );
}

/** How an address and port read in messages: `0.0.0.0:12000`, `[::]:12000`. */
export function listeningText(host: string, port: number): string {
  return describe(host, port);
}
