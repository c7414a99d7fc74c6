import {once} from 'node:events';
import {connect, type Socket} from 'node:net';
import {
  controlProtocolVersion,
  encodeFrame,
  FrameReader,
  maxServiceFrameBytes,
  type ControlStatus,
  type ServiceMessage,
  type ViewerMessage,
} from '../../source/control/control-protocol.js';
import {waitFor} from './wait-for.js';

/** A raw connection to a control socket: frames in and out as the tests choose, and what came back. */
export class ControlPeer {
  readonly socket: Socket;
  readonly received: ServiceMessage[] = [];
  closed = false;
  readonly #reader = new FrameReader(maxServiceFrameBytes);

  private constructor(socket: Socket, {read = true} = {}) {
    this.socket = socket;
    socket.on('close', () => {
      this.closed = true;
    });
    socket.on('error', () => undefined);
    if (read) {
      socket.on('data', (chunk: Buffer) => {
        for (const message of this.#reader.push(chunk)) {
          this.received.push(message as ServiceMessage);
        }
      });
    }
  }

  /** Connects; with `read: false` nothing is ever read from the socket (a stalled viewer). */
  static async open(
    path: string,
    options?: {read?: boolean},
  ): Promise<ControlPeer> {
    const socket = connect(path);
    await once(socket, 'connect');
    if (options?.read === false) {
      socket.pause();
    }

    return new ControlPeer(socket, options);
  }

  /** Connects and says hello in this version. */
  static async greeted(path: string): Promise<ControlPeer> {
    const peer = await ControlPeer.open(path);
    await peer.waitFor('hello');
    peer.send({type: 'hello', version: controlProtocolVersion});
    return peer;
  }

  send(message: ViewerMessage): void {
    this.socket.write(encodeFrame(message));
  }

  async waitFor<T extends ServiceMessage['type']>(
    type: T,
    timeoutMs = 10_000,
  ): Promise<Extract<ServiceMessage, {type: T}>> {
    return waitFor(
      () =>
        this.received.find(
          (message): message is Extract<ServiceMessage, {type: T}> =>
            message.type === type,
        ),
      {timeoutMs, message: `a ${type} message on the control socket`},
    );
  }

  /** The service's counters, asked afresh. */
  async status(): Promise<ControlStatus> {
    const before = this.received.length;
    this.send({type: 'status'});
    const reply = await waitFor(
      () =>
        this.received
          .slice(before)
          .find(
            (message): message is Extract<ServiceMessage, {type: 'status'}> =>
              message.type === 'status',
          ),
      {timeoutMs: 10_000, message: 'a status reply'},
    );
    return reply.status;
  }

  /** The service's counters, asked on a connection of its own. */
  static async status(path: string): Promise<ControlStatus> {
    const peer = await ControlPeer.greeted(path);
    try {
      return await peer.status();
    } finally {
      peer.close();
    }
  }

  async waitClosed(timeoutMs = 10_000): Promise<void> {
    await waitFor(() => this.closed, {
      timeoutMs,
      message: 'the socket to close',
    });
  }

  close(): void {
    this.socket.destroy();
  }
}
