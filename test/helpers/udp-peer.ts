import dgram from 'node:dgram';
import {once} from 'node:events';
import {waitFor} from './wait-for.js';

/** A client socket on loopback that records every reply it gets. */
export class UdpPeer {
  readonly socket: dgram.Socket;
  readonly replies: Buffer[] = [];

  private constructor(socket: dgram.Socket) {
    this.socket = socket;
    socket.on('message', (message) => {
      this.replies.push(message);
    });
    // Port-unreachable on loopback surfaces as an error; the tests look at replies instead.
    socket.on('error', () => undefined);
  }

  static async open(type: 'udp4' | 'udp6' = 'udp4'): Promise<UdpPeer> {
    const socket = dgram.createSocket(type);
    socket.bind(0, type === 'udp4' ? '127.0.0.1' : '::1');
    await once(socket, 'listening');
    return new UdpPeer(socket);
  }

  get port(): number {
    return this.socket.address().port;
  }

  async send(
    payload: string | Uint8Array,
    port: number,
    host = '127.0.0.1',
  ): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.socket.send(payload, port, host, (error) => {
        if (error) {
          reject(error);
        } else {
          resolve();
        }
      });
    });
  }

  /** Sends and waits for the next reply. */
  async request(
    payload: string | Uint8Array,
    port: number,
    host = '127.0.0.1',
  ): Promise<string> {
    const before = this.replies.length;
    await this.send(payload, port, host);
    const reply = await waitFor(() => this.replies[before], {
      message: 'a reply',
    });
    return reply.toString('utf8');
  }

  texts(): string[] {
    return this.replies.map((reply) => reply.toString('utf8'));
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.socket.close(() => {
        resolve();
      });
    });
  }
}
