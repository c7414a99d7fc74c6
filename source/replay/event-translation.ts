import {isIP} from 'node:net';
import type {Heartbeat, MalformedReason} from '../vocabulary.js';
import type {HeartbeatStore} from '../store/heartbeat-store.js';
import type {LogRow} from './log-reader.js';
import {ReplayInputError} from './replay-input-error.js';

/**
 * How each recorded event is played back: the store operation that produced it in the live run.
 * This one file is the whole convention between the log and the replay; when the server logs
 * something new, its row is taught here.
 *
 * Rows come in three kinds:
 * - inputs: what reached the server (a datagram and its reply, a reset, a forget) — replayed as
 *   the same store call with the recorded time and values;
 * - consequences: what the store itself decided (`resumed`, `evicted`, `late`, `stopped`) — the
 *   replayed store decides them again from the same inputs and writes its own event. Liveness
 *   moves only when the live server's tick evaluated it, so a `late` or `stopped` row is that
 *   tick, evaluated again at its time;
 * - server events (`start`, `loss`, `idle`, `log-error`, `hook-error`, `stop`) — shown as
 *   recorded, and `summary` rows, which the replay writes afresh from its own store.
 */

/** What a replay calls: the store's own operations, which an engine can offer as commands. */
export type ReplayStore = Pick<
  HeartbeatStore,
  | 'recordHeartbeat'
  | 'recordMalformed'
  | 'recordUnansweredMalformed'
  | 'recordReply'
  | 'recordRefused'
  | 'evaluateLiveness'
  | 'resetCounters'
  | 'forgetStopped'
  | 'get'
>;

/** What the translations may use of the replay that runs them. */
export type TranslationContext = {
  readonly store: ReplayStore;
  /** Shows a server event to the outputs as it was recorded. */
  show(row: LogRow): void;
  /** The session's `start`: its settings. */
  start(row: LogRow): void;
  /** The simulated loss changed. */
  setLoss(row: LogRow): void;
  /** The run shut down: the replay writes its own summary now. */
  finish(row: LogRow): void;
  /** The latest malformed datagram whose reply is still to come: the next row of that client tells it. */
  awaitingReply: {readonly client: string; readonly time: number} | undefined;
  /** The latest time liveness was evaluated at; rows of the same tick need no second scan. */
  evaluatedAt: number;
};

export type Translation = (row: LogRow, context: TranslationContext) => void;

/** Where a client sent from, as its key in the log shows it. */
export type ClientAddress = {
  readonly address: string;
  /** Undefined for a client keyed by address alone (`--client-key host`). */
  readonly port: number | undefined;
};

/**
 * Reads a client key as the store writes it: `192.0.2.7:5000`, `[2001:db8::1]:5000`, or with
 * `--client-key host` the address alone (`192.0.2.7`, `2001:db8::1`, `[2001:db8::1]`).
 */
export function parseClientKey(key: string): ClientAddress | undefined {
  const known = parsedKeys.get(key);
  if (known !== undefined) {
    return known ?? undefined;
  }

  const parsed = readClientKey(key);
  if (parsedKeys.size >= maxParsedKeys) {
    parsedKeys.clear();
  }

  parsedKeys.set(key, parsed ?? null);
  return parsed;
}

/** Keys read before: a client's key comes back on every row, and reading an address is slow. */
const parsedKeys = new Map<string, ClientAddress | null>();
const maxParsedKeys = 10_000;

function readClientKey(key: string): ClientAddress | undefined {
  let address = key;
  let portText: string | undefined;
  if (key.startsWith('[')) {
    const close = key.indexOf(']');
    address = key.slice(1, close);
    const rest = key.slice(close + 1);
    if (close === -1 || (rest !== '' && !rest.startsWith(':'))) {
      return undefined;
    }

    portText = rest === '' ? undefined : rest.slice(1);
  } else if (isIP(key) !== 6) {
    const colon = key.lastIndexOf(':');
    if (colon !== -1) {
      address = key.slice(0, colon);
      portText = key.slice(colon + 1);
    }
  }

  // Zone ids (`fe80::1%eth0`) are part of an address the store keeps.
  if (isIP(address.replace(/%[\w.\-]+$/v, '')) === 0) {
    return undefined;
  }

  if (portText === undefined) {
    return {address, port: undefined};
  }

  const port = Number(portText);
  if (!/^\d{1,5}$/v.test(portText) || port > 65_535) {
    return undefined;
  }

  return {address, port};
}

function clientOf(row: LogRow): ClientAddress & {readonly key: string} {
  const key = row.client ?? '';
  // A client keyed by its name (`--client-key name`) has its address in a column of its own.
  const parsed = parseClientKey(row.address ?? key);
  if (parsed === undefined) {
    throw new ReplayInputError(
      clientProblem(row) ?? 'the row needs a client address',
    );
  }

  return {...parsed, key};
}

/**
 * The port to give the store. A client keyed by address alone (`--client-key host`) is one
 * client whatever port it sent from: the store, made with that key, leaves the port out.
 */
function portOf(client: ClientAddress): number {
  return client.port ?? 0;
}

/** The suffix of a malformed row whose error reply its rate limit held back. */
const unansweredSuffix = ';unanswered';

function malformed(row: LogRow, context: TranslationContext): void {
  const client = clientOf(row);
  let reason = row.detail ?? '';
  const unanswered = reason.endsWith(unansweredSuffix);
  if (unanswered) {
    reason = reason.slice(0, -unansweredSuffix.length);
  }

  // The store keeps the reason only to show it: one this version does not name shows as recorded.
  // eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion
  const recorded = reason as MalformedReason;
  const {store} = context;
  if (unanswered) {
    // The run's rate limit held its error reply back: no reply row follows. The log decides, not
    // the replayed store's rate limit, which never saw which replies were errors.
    store.recordUnansweredMalformed(
      client.address,
      portOf(client),
      recorded,
      row.time,
    );
    context.awaitingReply = undefined;
    return;
  }

  store.recordMalformed(
    client.address,
    portOf(client),
    recorded,
    row.time,
    false,
  );
  context.awaitingReply = {client: client.key, time: row.time};
}

/** `replied` or `dropped`: a heartbeat and its reply, or the reply to the malformed datagram just before. */
function reply(sent: boolean): Translation {
  return (row, context) => {
    const client = clientOf(row);
    const {awaitingReply} = context;
    context.awaitingReply = undefined;
    const {store} = context;
    if (
      awaitingReply?.client === client.key &&
      awaitingReply.time === row.time &&
      row.seq === undefined &&
      row.delayMs === undefined
    ) {
      const record = store.get(client.key);
      if (record !== undefined) {
        store.recordReply(record, sent, row.time);
        return;
      }
    }

    const request: Heartbeat = {
      kind: 'heartbeat',
      label: undefined,
      seq: row.seq,
      timestampMs:
        row.delayMs === undefined ? undefined : timestampOf(row, row.delayMs),
      name: row.name,
    };
    const record = store.recordHeartbeat(
      client.address,
      portOf(client),
      request,
      row.time,
    );
    store.recordReply(record, sent, row.time);
  };
}

/**
 * The client's timestamp that gave the row's delay. The delay is the receive time minus the
 * timestamp, net of the client's time zone (`delay = raw + offset`), so the raw delay is the
 * delay minus the offset: with it the store finds the same time zone and the same delay again.
 * Exact times and whole offsets give both back exactly (every value sits on the same grid of
 * doubles as the receive time).
 */
function timestampOf(row: LogRow, delayMs: number): number {
  return row.time - (delayMs - row.clockOffsetMs);
}

function refused(row: LogRow, context: TranslationContext): void {
  const client = clientOf(row);
  context.store.recordRefused(client.address, portOf(client), row.time);
}

/**
 * A liveness change is the live server's tick: evaluated again at its time. A log cut to the
 * millisecond may show the tick before the deadline it passed, so it is evaluated at the end of
 * that millisecond.
 */
function livenessTick(row: LogRow, context: TranslationContext): void {
  const at = row.exact ? row.time : row.time + 1;
  if (at <= context.evaluatedAt) {
    return;
  }

  context.evaluatedAt = at;
  context.store.evaluateLiveness(at);
}

/** The replayed store makes this event itself, from the inputs before and after it. */
function consequence(): void {
  // Nothing to do: `resumed` comes with the next datagram, `evicted` with the next new client.
}

/** The table: every event a log may hold, and how it is played. */
export const eventTranslations: Readonly<Record<string, Translation>> = {
  start(row, context) {
    context.start(row);
  },
  replied: reply(true),
  dropped: reply(false),
  malformed,
  refused,
  late: livenessTick,
  stopped: livenessTick,
  resumed: consequence,
  evicted: consequence,
  // The next datagram's row says the new address: the replayed store finds the move again.
  moved: consequence,
  loss(row, context) {
    context.setLoss(row);
  },
  reset(row, context) {
    context.store.resetCounters();
    context.show(row);
  },
  forget(row, context) {
    context.store.forgetStopped();
    context.show(row);
  },
  idle(row, context) {
    context.show(row);
  },
  'log-error'(row, context) {
    context.show(row);
  },
  'hook-error'(row, context) {
    context.show(row);
  },
  summary(row, context) {
    context.finish(row);
  },
  stop(row, context) {
    context.finish(row);
    context.show(row);
  },
};

/** Events about one client: their rows must name it. */
const clientEvents: ReadonlySet<string> = new Set([
  'replied',
  'dropped',
  'malformed',
  'refused',
  'late',
  'stopped',
  'resumed',
  'evicted',
  'moved',
  'summary',
]);

function clientProblem(row: LogRow): string | undefined {
  if (row.client === undefined) {
    return clientEvents.has(row.event)
      ? `a ${row.event} row needs a client address`
      : undefined;
  }

  if (row.address !== undefined) {
    // Keyed by name: the key is the client's name, and the address is where it sent from.
    if (row.client !== row.name) {
      return `${JSON.stringify(row.client.slice(0, 60))} has an address but is not the row's name`;
    }

    return parseClientKey(row.address) === undefined
      ? `${JSON.stringify(row.address.slice(0, 60))} is not a client address`
      : undefined;
  }

  return parseClientKey(row.client) === undefined
    ? `${JSON.stringify(row.client.slice(0, 60))} is not a client address`
    : undefined;
}

/** What is wrong with a row before it is played (an event no log holds, a client that is no address), or undefined. */
export function rowProblem(row: LogRow): string | undefined {
  if (!Object.hasOwn(eventTranslations, row.event)) {
    return `${JSON.stringify(row.event.slice(0, 40))} is not an event of the log`;
  }

  return clientProblem(row);
}
