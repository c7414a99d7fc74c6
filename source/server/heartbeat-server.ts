import type dgram from 'node:dgram';
import type {Clock} from '../clock.js';
import {parseRequest} from '../protocol/parse-request.js';
import {
  echoReply,
  errorForm,
  errorReply,
  jsonErrorReply,
  jsonReply,
  logfmtErrorReply,
  logfmtReply,
  replyKind,
  seedReply,
  type ReplyKind,
} from '../protocol/format-reply.js';
import type {ParsedRequest, ReplyMode} from '../protocol/types.js';
import type {HeartbeatStore} from '../store/heartbeat-store.js';
import type {ClientRecord} from '../vocabulary.js';
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

  /**
   * Handles one datagram; public so the benchmark and tests can drive it without a socket.
   * Every datagram from an allowed source is received; every reply decided for it, of whatever
   * kind, is either sent or dropped by the simulation, and an error reply held back by its rate
   * limit is unanswered (docs/protocol.md, "Counting").
   */
  handleDatagram(payload: Buffer, address: string, port: number): void {
    const {store, clock, allow, replyMode, loss} = this.#options;
    const now = clock();
    if (allow !== undefined && !allow.allows(address)) {
      store.recordRefused(address, port, now);
      return;
    }

    const request = parseRequest(payload, now);
    const kind = replyKind(replyMode, request);
    let client: ClientRecord | undefined;
    if (request.kind === 'heartbeat') {
      client = store.recordHeartbeat(address, port, request, now);
    } else {
      client = store.recordMalformed(
        address,
        port,
        request.reason,
        now,
        kind === 'error',
      );
      if (client === undefined) {
        return;
      }
    }

    const dropped = loss.shouldDrop();
    // Built before the reply is counted: a seed or JSON reply names the drops before this one.
    const reply = dropped
      ? undefined
      : this.#reply(kind, request, payload, client);
    store.recordReply(client, !dropped, now);
    if (reply !== undefined) {
      this.#options.socket.send(reply, port, address, this.#onSent);
    }
  }

  #reply(
    kind: ReplyKind,
    request: ParsedRequest,
    payload: Buffer,
    client: ClientRecord,
  ): string | Buffer {
    if (request.kind === 'malformed') {
      if (kind === 'echo') {
        return echoReply(payload, request.binary);
      }

      switch (errorForm(this.#options.replyMode, request)) {
        case 'json': {
          return jsonErrorReply(request.reason);
        }

        case 'logfmt': {
          return logfmtErrorReply(request.reason);
        }

        case 'text': {
          return errorReply(request.reason);
        }
      }
    }

    const delayMs =
      request.timestampMs === undefined ? undefined : client.delayLastMs;
    switch (kind) {
      case 'seed': {
        return seedReply(delayMs, client.droppedSinceReply);
      }

      case 'json': {
        return jsonReply(
          request.seq,
          delayMs,
          client.droppedSinceReply,
          client.state,
        );
      }

      case 'logfmt': {
        return logfmtReply(
          request.seq,
          delayMs,
          client.droppedSinceReply,
          client.state,
        );
      }

      case 'echo': {
        return echoReply(payload, false);
      }

      case 'error': {
        // A heartbeat is never answered with an error; were one, the reason would be unknown.
        return errorReply('malformed');
      }
    }
  }
}
