import type dgram from 'node:dgram';
import type {Clock} from '../clock.js';
import {parseRequest} from '../protocol/parse-request.js';
import {
  echoReply,
  errorReply,
  jsonReply,
  resolveReplyMode,
  seedReply,
} from '../protocol/format-reply.js';
import {maxRequestBytes, type ReplyMode} from '../protocol/types.js';
import type {HeartbeatStore} from '../store/heartbeat-store.js';
import type {AllowList} from './allow-list.js';
import type {LossSimulator} from './loss-simulator.js';

export type HeartbeatServerOptions = {
  readonly socket: dgram.Socket;
  readonly store: HeartbeatStore;
  readonly loss: LossSimulator;
  readonly clock: Clock;
  readonly replyMode: ReplyMode;
  /** Undefined: everyone may send. */
  readonly allow: AllowList | undefined;
};

/**
 * The receive path: parse, record, decide the loss, reply. Everything a datagram holds is
 * handled here without throwing: whatever goes wrong is counted, never raised.
 */
export class HeartbeatServer {
  /** Replies the socket failed to send (a client that vanished, a full send buffer). */
  sendErrors = 0;
  /** Datagrams whose handling failed unexpectedly; counted so one bad packet never stops the server. */
  internalErrors = 0;
  readonly #options: HeartbeatServerOptions;
  readonly #onSent = (error: Error | null) => {
    if (error) {
      this.sendErrors++;
    }
  };

  constructor(options: HeartbeatServerOptions) {
    this.#options = options;
    options.socket.on('message', (payload, remote) => {
      try {
        this.handleDatagram(payload, remote.address, remote.port);
      } catch {
        this.internalErrors++;
      }
    });
    // A send to a vanished client can surface as a socket error: count it, keep serving.
    options.socket.on('error', () => {
      this.sendErrors++;
    });
  }

  /** Handles one datagram; public so the benchmark and tests can drive it without a socket. */
  handleDatagram(payload: Buffer, address: string, port: number): void {
    const {store, clock, allow, replyMode, loss} = this.#options;
    const now = clock();
    if (allow !== undefined && !allow.allows(address)) {
      store.recordRefused(address, port, now);
      return;
    }

    const request = parseRequest(payload);
    if (request.kind === 'malformed') {
      const client = store.recordMalformed(address, port, request.reason, now);
      // Echo mode answers anything up to the size limit, as the classic pinger server does.
      if (replyMode === 'echo' && payload.length <= maxRequestBytes) {
        this.#send(
          echoReply(payload, request.isText),
          address,
          port,
          loss.shouldDrop(),
        );
      } else if (store.mayReplyError(client, now)) {
        this.#send(
          errorReply(request.reason),
          address,
          port,
          loss.shouldDrop(),
        );
      }

      return;
    }

    const client = store.recordHeartbeat(address, port, request, now);
    const dropped = loss.shouldDrop();
    let reply: string | Buffer | undefined;
    if (!dropped) {
      const mode = resolveReplyMode(replyMode, request.label);
      const delayMs =
        request.timestampMs === undefined ? undefined : client.delayLastMs;
      if (mode === 'seed') {
        reply = seedReply(delayMs, client.droppedSinceReply);
      } else if (mode === 'json') {
        reply = jsonReply(
          request.seq,
          delayMs,
          client.droppedSinceReply,
          client.state,
        );
      } else {
        reply = echoReply(payload, true);
      }
    }

    store.recordReply(client, !dropped, now);
    if (reply !== undefined) {
      this.#send(reply, address, port, false);
    }
  }

  #send(
    reply: string | Buffer,
    address: string,
    port: number,
    dropped: boolean,
  ): void {
    if (dropped) {
      return;
    }

    this.#options.socket.send(reply, port, address, this.#onSent);
  }
}
