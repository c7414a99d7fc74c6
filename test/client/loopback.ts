import dgram from 'node:dgram';
import {once} from 'node:events';
import {waitFor} from '../helpers/wait-for.js';

/** A datagram's bytes read as UTF-8. */
export function text(payload: Uint8Array): string {
  return Buffer.from(payload).toString('utf8');
}

export type Datagram = {
  readonly payload: Uint8Array;
  readonly port: number;
};

/** Decides what the test server answers to its `index`-th datagram (from 0); undefined: nothing. */
export type Responder = (
  payload: Uint8Array,
  index: number,
  reply: (answer: string | Uint8Array) => void,
) => void;

/** A small UDP server on 127.0.0.1 that records every datagram and answers as the test says. */
export class LoopbackServer {
  readonly socket: dgram.Socket;
  readonly received: Datagram[] = [];

  private constructor(socket: dgram.Socket, responder: Responder | undefined) {
    this.socket = socket;
    socket.on('message', (payload, remote) => {
      const index = this.received.length;
      this.received.push({payload, port: remote.port});
      responder?.(payload, index, (answer) => {
        socket.send(answer, remote.port, remote.address);
      });
    });
  }

  static async open(responder?: Responder): Promise<LoopbackServer> {
    const socket = dgram.createSocket('udp4');
    socket.bind(0, '127.0.0.1');
    await once(socket, 'listening');
    return new LoopbackServer(socket, responder);
  }

  get port(): number {
    return this.socket.address().port;
  }

  ports(): Set<number> {
    return new Set(this.received.map((datagram) => datagram.port));
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.socket.close(() => {
        resolve();
      });
    });
  }
}

/** Answers with the request upper-cased, as the classic pinger server does. */
export const echoUpperCase: Responder = (payload, _index, reply) => {
  reply(text(payload).toUpperCase());
};

/** A port on loopback where nothing listens: bound once to learn a free number, then closed. */
export async function closedPort(): Promise<number> {
  const server = await LoopbackServer.open();
  const {port} = server;
  await server.close();
  return port;
}

function countResources(): {sockets: number; timers: number} {
  const info = process.getActiveResourcesInfo();
  return {
    sockets: info.filter((name) => name === 'UDPWrap').length,
    timers: info.filter((name) => name === 'Timeout').length,
  };
}

/**
 * What keeps the process alive right now, to compare after the code under test has cleaned up.
 * A closed socket leaves the list one turn of the event loop after its close callback, hence
 * the wait.
 */
export function activeResources(): {settled: () => Promise<void>} {
  const before = countResources();
  return {
    async settled() {
      await waitFor(
        () => {
          const now = countResources();
          return now.sockets <= before.sockets && now.timers <= before.timers;
        },
        {
          message: `no more sockets and timers than the ${JSON.stringify(before)} before`,
        },
      );
    },
  };
}
