import type {Clock} from '../clock.js';
import type {Heartbeat, MalformedReason} from '../protocol/types.js';
import {clientKey} from './client-key.js';
import {ClientState} from './client-state.js';
import {IntervalRings} from './interval-rings.js';
import type {StoreView} from './store-view.js';
import type {
  ClientRecord,
  EventName,
  EventSink,
  Liveness,
  ServerTotals,
} from './types.js';

export const defaultMaxClients = 100_000;

/** The heartbeat rate is counted in buckets of this many milliseconds … */
const rateBucketMs = 100;
/** … over this many whole buckets before the current one. */
const rateWindowBuckets = 30;
const rateRingSize = 32;
/** Ring index of a bucket number: `& mask` is exact for any safe integer, negative ones too. */
const rateRingMask = rateRingSize - 1;

/** Distinct labels shared between clients; more are kept per client. */
const maxSharedLabels = 1024;

const ipv4 = /^\d{1,3}(?:\.\d{1,3}){3}$/v;

/** Clients of one source address: a lone client, or a map by port once a second port appears. */
type AddressEntry = ClientState | Map<number, ClientState>;

type MutableTotals = {-readonly [K in keyof ServerTotals]: ServerTotals[K]};

/** The store's own record behind a `ClientRecord` it handed out. */
function ownRecord(record: ClientRecord): ClientState {
  if (record instanceof ClientState) {
    return record;
  }

  throw new TypeError(`${record.key} is not a record of this store`);
}

export type HeartbeatStoreOptions = {
  readonly clock: Clock;
  /** Most clients tracked; when full, the least recently seen is evicted. Default 100000. */
  readonly maxClients?: number;
  /** Fixed liveness limit (`--dead-after`) in milliseconds; undefined for phi accrual. */
  readonly deadAfterMs?: number;
  /** Receives every event; without it no event object is built. */
  readonly sink?: EventSink;
};

/**
 * Per-client state for the whole server. Every packet is O(1) and allocates nothing it does not
 * keep: clients are found by address then port (no key string is built per packet), kept in a
 * least-recently-seen list threaded through the records (eviction takes the head), and their
 * liveness deadlines sit in one Float64Array that a tick scans without touching the records.
 */
export class HeartbeatStore implements StoreView {
  readonly #maxClients: number;
  readonly #deadAfterMs: number | undefined;
  readonly #sink: EventSink | undefined;
  readonly #createdAt: number;
  #version = 0;
  #lastActivity = Number.NaN;
  readonly #totals: MutableTotals = {
    received: 0,
    replied: 0,
    dropped: 0,
    malformed: 0,
    refused: 0,
    evicted: 0,
  };

  readonly #byState: Record<Liveness, number> = {alive: 0, late: 0, stopped: 0};
  readonly #byAddress = new Map<string, AddressEntry>();
  readonly #rings = new IntervalRings();
  readonly #labels = new Map<string, string>();
  #oldest: ClientState | undefined = undefined;
  #newest: ClientState | undefined = undefined;
  /** Clients by slot, and beside them the time each one's state next changes without a packet. */
  readonly #slots: ClientState[] = [];
  #deadlines = new Float64Array(64);
  readonly #rateBuckets = new Uint32Array(rateRingSize);
  #rateBucket = Number.NaN;

  constructor(options: HeartbeatStoreOptions) {
    this.#maxClients = Math.max(1, options.maxClients ?? defaultMaxClients);
    this.#deadAfterMs = options.deadAfterMs;
    this.#sink = options.sink;
    this.#createdAt = options.clock();
  }

  get version(): number {
    return this.#version;
  }

  get clientCount(): number {
    return this.#slots.length;
  }

  /** The live totals, updated in place: copy what you keep. */
  get totals(): ServerTotals {
    return this.#totals;
  }

  get lastActivity(): number | undefined {
    return Number.isNaN(this.#lastActivity) ? undefined : this.#lastActivity;
  }

  /** A fresh copy of the counts by liveness. */
  countByState(): Readonly<Record<Liveness, number>> {
    const {alive, late, stopped} = this.#byState;
    return {alive, late, stopped};
  }

  *clients(): IterableIterator<ClientRecord> {
    for (
      let client = this.#oldest;
      client !== undefined;
      client = client.newer
    ) {
      yield client;
    }
  }

  get(key: string): ClientRecord | undefined {
    let address: string;
    let portText: string;
    if (key.startsWith('[')) {
      const close = key.indexOf(']:');
      address = key.slice(1, close);
      portText = key.slice(close + 2);
    } else {
      const colon = key.lastIndexOf(':');
      address = key.slice(0, colon);
      portText = key.slice(colon + 1);
    }

    const port = Number(portText);
    if (portText === '' || !Number.isInteger(port)) {
      return undefined;
    }

    // A dual-stack socket reports IPv4 senders as mapped IPv6, which the key shows as plain IPv4.
    const client =
      this.#find(address, port) ??
      (ipv4.test(address) ? this.#find(`::ffff:${address}`, port) : undefined);
    return client?.key === key ? client : undefined;
  }

  heartbeatsPerSecond(now: number): number {
    const bucket = Math.floor(now / rateBucketMs);
    this.#advanceRate(bucket);
    const current = this.#rateBucket;
    let count = 0;
    for (let back = 0; back <= rateWindowBuckets; back++) {
      count += this.#rateBuckets[(current - back) & rateRingMask]!;
    }

    const windowStart = Math.max(
      (current - rateWindowBuckets) * rateBucketMs,
      this.#createdAt,
    );
    const elapsed = now - windowStart;
    return elapsed > 0 ? (count * 1000) / elapsed : 0;
  }

  /** A datagram from outside `--allow`: counted, and no client state is created. */
  recordRefused(address: string, port: number, now: number): void {
    this.#totals.refused++;
    this.#version++;
    if (this.#sink !== undefined) {
      this.#sink({
        time: now,
        event: 'refused',
        client: clientKey(address, port),
        seq: undefined,
        delayMs: undefined,
        detail: undefined,
        state: undefined,
      });
    }
  }

  recordHeartbeat(
    address: string,
    port: number,
    request: Heartbeat,
    now: number,
  ): ClientRecord {
    const client = this.#arrival(address, port, now);
    const silentSince = client.lastSeen;
    const before = this.#arrive(client, now);
    if (request.label !== client.label) {
      client.label = this.#sharedLabel(request.label);
    }

    client.recordHeartbeat(request, now);
    this.#totals.received++;
    this.#countRate(now);
    if (before !== 'alive' && this.#sink !== undefined) {
      this.#emitResumed(
        client,
        before,
        now - silentSince,
        now,
        client.heartbeatSeq,
        client.heartbeatDelayMs,
      );
    }

    return client;
  }

  /** A malformed datagram still shows its sender is running: it is an arrival for liveness too. */
  recordMalformed(
    address: string,
    port: number,
    reason: MalformedReason,
    now: number,
  ): ClientRecord {
    const client = this.#arrival(address, port, now);
    const silentSince = client.lastSeen;
    const before = this.#arrive(client, now);
    client.recordMalformed();
    this.#totals.malformed++;
    if (this.#sink !== undefined) {
      if (before !== 'alive') {
        this.#emitResumed(
          client,
          before,
          now - silentSince,
          now,
          undefined,
          undefined,
        );
      }

      this.#emit('malformed', client, now, undefined, undefined, reason);
    }

    return client;
  }

  /** The fate of the reply to the client's latest heartbeat, after the loss decision. */
  recordReply(record: ClientRecord, sent: boolean, now: number): void {
    const client = ownRecord(record);
    const lostInBetween = client.droppedSinceReply;
    client.recordReply(sent);
    if (sent) {
      this.#totals.replied++;
    } else {
      this.#totals.dropped++;
    }

    this.#version++;
    if (this.#sink !== undefined) {
      this.#emit(
        sent ? 'replied' : 'dropped',
        client,
        now,
        client.heartbeatSeq,
        client.heartbeatDelayMs,
        sent ? `lost_in_between=${lostInBetween}` : undefined,
      );
    }
  }

  /** At most one error reply per client per second; true takes it. */
  mayReplyError(record: ClientRecord, now: number): boolean {
    return ownRecord(record).mayReplyError(now);
  }

  /** Moves clients whose deadline has passed to late or stopped. One comparison per client. */
  evaluateLiveness(now: number): void {
    const deadlines = this.#deadlines;
    const slots = this.#slots;
    // Indexes, not for-of: the scan reads the deadline array and touches a record only when due.
    // eslint-disable-next-line unicorn/no-for-loop
    for (let slot = 0; slot < slots.length; slot++) {
      if (deadlines[slot]! <= now) {
        this.#expire(slots[slot]!, now);
      }
    }
  }

  /** Zeroes every client's counters, statistics and history and the totals; clients and liveness stay. */
  resetCounters(): void {
    for (
      let client = this.#oldest;
      client !== undefined;
      client = client.newer
    ) {
      client.resetCounters();
    }

    const totals = this.#totals;
    totals.received = 0;
    totals.replied = 0;
    totals.dropped = 0;
    totals.malformed = 0;
    totals.refused = 0;
    totals.evicted = 0;
    this.#version++;
  }

  /** Forgets every stopped client; returns how many. */
  forgetStopped(): number {
    let forgotten = 0;
    let client = this.#oldest;
    while (client !== undefined) {
      const next = client.newer;
      if (client.state === 'stopped') {
        this.#remove(client);
        forgotten++;
      }

      client = next;
    }

    if (forgotten > 0) {
      this.#version++;
    }

    return forgotten;
  }

  /** One string per label for all clients (most say `Ping` or `Heartbeat`), not one per client. */
  #sharedLabel(label: string | undefined): string | undefined {
    if (label === undefined) {
      return undefined;
    }

    const shared = this.#labels.get(label);
    if (shared !== undefined) {
      return shared;
    }

    if (this.#labels.size < maxSharedLabels) {
      this.#labels.set(label, label);
    }

    return label;
  }

  #find(address: string, port: number): ClientState | undefined {
    const entry = this.#byAddress.get(address);
    if (entry === undefined) {
      return undefined;
    }

    if (entry instanceof ClientState) {
      return entry.port === port ? entry : undefined;
    }

    return entry.get(port);
  }

  /** The client a datagram comes from, created if new, moved to the most recently seen. */
  #arrival(address: string, port: number, now: number): ClientState {
    let client = this.#find(address, port);
    if (client === undefined) {
      client = this.#create(address, port, now);
    } else if (client !== this.#newest) {
      this.#unlink(client);
      this.#append(client);
    }

    this.#lastActivity = now;
    this.#version++;
    return client;
  }

  #create(address: string, port: number, now: number): ClientState {
    if (this.#slots.length >= this.#maxClients && this.#oldest !== undefined) {
      this.#evict(this.#oldest, now);
    }

    const client = new ClientState(address, port, now);
    const entry = this.#byAddress.get(address);
    if (entry === undefined) {
      this.#byAddress.set(address, client);
    } else if (entry instanceof ClientState) {
      this.#byAddress.set(
        address,
        new Map([
          [entry.port, entry],
          [port, client],
        ]),
      );
    } else {
      entry.set(port, client);
    }

    this.#append(client);
    client.slot = this.#slots.length;
    this.#slots.push(client);
    if (client.slot === this.#deadlines.length) {
      const grown = new Float64Array(this.#deadlines.length * 2);
      grown.set(this.#deadlines);
      this.#deadlines = grown;
    }

    this.#byState.alive++;
    return client;
  }

  #evict(client: ClientState, now: number): void {
    this.#remove(client);
    this.#totals.evicted++;
    if (this.#sink !== undefined) {
      this.#emit(
        'evicted',
        client,
        now,
        undefined,
        undefined,
        `silent_ms=${Math.round(now - client.lastSeen)}`,
      );
    }
  }

  #remove(client: ClientState): void {
    const entry = this.#byAddress.get(client.address);
    if (entry === client) {
      this.#byAddress.delete(client.address);
    } else if (entry instanceof Map) {
      entry.delete(client.port);
      if (entry.size === 0) {
        this.#byAddress.delete(client.address);
      }
    }

    this.#unlink(client);
    // Fill the hole with the last slot so the deadline scan stays dense.
    const last = this.#slots.pop()!;
    if (last !== client) {
      this.#slots[client.slot] = last;
      this.#deadlines[client.slot] = this.#deadlines[last.slot]!;
      last.slot = client.slot;
    }

    client.slot = -1;
    client.liveness.release(this.#rings);
    this.#byState[client.state]--;
  }

  #append(client: ClientState): void {
    client.older = this.#newest;
    client.newer = undefined;
    if (this.#newest === undefined) {
      this.#oldest = client;
    } else {
      this.#newest.newer = client;
    }

    this.#newest = client;
  }

  #unlink(client: ClientState): void {
    const {older, newer} = client;
    if (older === undefined) {
      this.#oldest = newer;
    } else {
      older.newer = newer;
    }

    if (newer === undefined) {
      this.#newest = older;
    } else {
      newer.older = older;
    }

    client.older = undefined;
    client.newer = undefined;
  }

  /** Feeds an arrival to the client's detector and makes it alive; returns its state before. */
  #arrive(client: ClientState, now: number): Liveness {
    const before = client.state;
    const {liveness} = client;
    // NaN for a new client: its first datagram ends no silence.
    liveness.arrive(now - client.lastSeen, before === 'stopped', this.#rings);
    client.lastSeen = now;
    if (before !== 'alive') {
      this.#setState(client, 'alive');
    }

    const deadAfterMs = this.#deadAfterMs;
    this.#deadlines[client.slot] =
      now +
      Math.min(
        liveness.lateAfterMs(deadAfterMs),
        liveness.stoppedAfterMs(deadAfterMs),
      );
    return before;
  }

  #expire(client: ClientState, now: number): void {
    // The same sums as at the arrival, so the same deadlines.
    const deadAfterMs = this.#deadAfterMs;
    const lateAt = client.lastSeen + client.liveness.lateAfterMs(deadAfterMs);
    const stoppedAt =
      client.lastSeen + client.liveness.stoppedAfterMs(deadAfterMs);
    if (now >= stoppedAt) {
      // A tick that comes late still tells the whole story: late first, where late came first.
      if (client.state === 'alive' && lateAt < stoppedAt) {
        this.#changeState(client, 'late', now);
      }

      this.#changeState(client, 'stopped', now);
      this.#deadlines[client.slot] = Number.POSITIVE_INFINITY;
    } else {
      this.#changeState(client, 'late', now);
      this.#deadlines[client.slot] = stoppedAt;
    }
  }

  #changeState(
    client: ClientState,
    state: 'late' | 'stopped',
    now: number,
  ): void {
    this.#setState(client, state);
    this.#version++;
    if (this.#sink !== undefined) {
      this.#emit(
        state,
        client,
        now,
        undefined,
        undefined,
        `silent_ms=${Math.round(now - client.lastSeen)}`,
      );
    }
  }

  #setState(client: ClientState, state: Liveness): void {
    this.#byState[client.state]--;
    this.#byState[state]++;
    client.state = state;
  }

  #emitResumed(
    client: ClientState,
    before: Liveness,
    silenceMs: number,
    now: number,
    seq: number | undefined,
    delayMs: number | undefined,
  ): void {
    this.#emit(
      'resumed',
      client,
      now,
      seq,
      delayMs,
      `after=${before};silent_ms=${Math.round(silenceMs)}`,
    );
  }

  #emit(
    event: EventName,
    client: ClientState,
    now: number,
    seq: number | undefined,
    delayMs: number | undefined,
    detail: string | undefined,
  ): void {
    this.#sink!({
      time: now,
      event,
      client: client.key,
      seq,
      delayMs,
      detail,
      state: client.state,
    });
  }

  #countRate(now: number): void {
    this.#advanceRate(Math.floor(now / rateBucketMs));
    this.#rateBuckets[this.#rateBucket & rateRingMask]!++;
  }

  /** Moves the rate ring on to `bucket`, clearing the buckets it passes (at most the ring). */
  #advanceRate(bucket: number): void {
    const current = this.#rateBucket;
    if (Number.isNaN(current)) {
      this.#rateBucket = bucket;
      return;
    }

    // A clock that steps back counts into the current bucket.
    if (bucket <= current) {
      return;
    }

    const steps = Math.min(bucket - current, rateRingSize);
    for (let step = 1; step <= steps; step++) {
      this.#rateBuckets[(current + step) & rateRingMask] = 0;
    }

    this.#rateBucket = bucket;
  }
}
