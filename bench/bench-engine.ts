/*
What the in-process bench phases share (frame-time, dashboard-frames, engine-budgets): an engine
with no socket, and a terminal for Ink that keeps nothing it is given.
*/
import {EventEmitter} from 'node:events';
import type {Clock} from '../source/clock.js';
import {EngineCore} from '../source/engine/engine-core.js';
import {seededRandom} from '../source/random.js';
import type {Heartbeat} from '../source/vocabulary.js';

/**
 * An engine of up to `clients` clients, no loss, no idle prompt, address keys, its datagrams fed
 * to its store by the caller: the transport it is given receives nothing and sends nowhere.
 */
export function benchEngine(clients: number, clock: Clock): EngineCore {
  const transport = {on: () => transport, send: () => undefined};
  return new EngineCore({
    // eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- the server only calls on() and send()
    transport: transport as unknown as ConstructorParameters<
      typeof EngineCore
    >[0]['transport'],
    settings: {
      maxClients: clients,
      deadAfterMs: undefined,
      lossPercent: 0,
      replyMode: 'auto',
      clientKey: 'address',
      allow: undefined,
      idleTimeoutMs: 0,
    },
    clock,
    random: seededRandom(1),
    info: {
      listening: '0.0.0.0:12000',
      listeningNote: '0.0.0.0:12000',
      port: 12_000,
      requestedPort: 12_000,
      session: 'bench',
      seed: 1,
      logFile: undefined,
    },
  });
}

/** Distinct, plausible addresses: 10.x.y.z, four clients per address. */
export function addressOf(index: number): string {
  const host = Math.floor(index / 4);
  return `10.${(host >> 16) & 255}.${(host >> 8) & 255}.${host & 255}`;
}

/** The port of client `index` at its address. */
export function portOf(index: number): number {
  return 40_000 + (index % 4) * 7 + (index % 1013);
}

/** A labelled heartbeat with a sequence number and a send time, as a pinger sends it. */
export function heartbeat(seq: number, timestampMs: number): Heartbeat {
  return {kind: 'heartbeat', label: 'Ping', seq, timestampMs};
}

/** Ink's stdout: a terminal of a fixed size that remembers nothing it is given. */
// eslint-disable-next-line unicorn/prefer-event-target -- Ink listens with `on('resize')`, as on a stream
export class FakeTerminal extends EventEmitter {
  readonly columns: number;
  readonly rows: number;
  readonly #onWrite: (chunk: string) => void;

  constructor(columns: number, rows: number, onWrite: (chunk: string) => void) {
    super();
    this.columns = columns;
    this.rows = rows;
    this.#onWrite = onWrite;
  }

  get isTTY(): boolean {
    return true;
  }

  write(chunk: string | Uint8Array): boolean {
    this.#onWrite(typeof chunk === 'string' ? chunk : '');
    return true;
  }
}
