import type {Clock} from '../clock.js';
import {
  type Heartbeat,
  type MalformedReason,
  type ClientRecord,
  type EventName,
  type EventSink,
  type Liveness,
  type ServerTotals,
} from '../vocabulary.js';
import {clientKey, hostKey, type ClientKeyMode} from './client-key.js';
import {ClientColumns, ClientState} from './client-state.js';
import {ClientTable} from './client-table.js';
import {StillCopy} from './still-copy.js';
import {DelayHistogram} from './delay-histogram.js';
import {DetailRings} from './detail-rings.js';
import {HeartbeatRate} from './heartbeat-rate.js';
import {IntervalRings} from './interval-rings.js';
import type {StoreView} from './store-view.js';

export const defaultMaxClients = 100_000;

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
  /**
   * `--client-key`: `address` (the default) keys clients by address and port, `host` by address
   * alone, `name` by the name their heartbeats carry (by address and port those without one).
   */
  readonly clientKey?: ClientKeyMode;
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
  /** `--client-key host`: every port of an address is one client, found under port 0. */
  readonly #byHost: boolean;
  /** `--client-key name`: clients whose heartbeats carry a name, by name; undefined otherwise. */
  readonly #byName: Map<string, ClientState> | undefined;
  readonly #rate: HeartbeatRate;
  #version = 0;
  #lastActivity = Number.NaN;
  readonly #totals: MutableTotals = {
    received: 0,
    replied: 0,
    dropped: 0,
    malformed: 0,
    unanswered: 0,
    refused: 0,
    evicted: 0,
  };

  /** What earlier resets cleared from the totals, so the run's totals survive them. */
  readonly #clearedTotals: MutableTotals & {lost: number} = {
    received: 0,
    replied: 0,
    dropped: 0,
    malformed: 0,
    unanswered: 0,
    refused: 0,
    evicted: 0,
    lost: 0,
  };

  /** Sequence numbers lost since the last reset, over every client (forgotten ones too). */
  #lost = 0;
  /** Sequence numbers ever found missing: never lowered by a late arrival or a reset (metrics). */
  #gapsFound = 0;
  readonly #histogram = new DelayHistogram();
  readonly #detail = new DetailRings();
  readonly #byState: Record<Liveness, number> = {alive: 0, late: 0, stopped: 0};
  readonly #byAddress = new Map<string, AddressEntry>();
  readonly #rings = new IntervalRings();
  readonly #labels = new Map<string, string>();
  #oldest: ClientState | undefined = undefined;
  #newest: ClientState | undefined = undefined;
  /** Clients by slot, and beside them the time each one's state next changes without a packet. */
  readonly #slots: ClientState[] = [];
  /** Every client's numbers, by slot, and the cursors that read them. */
  readonly #columns = new ClientColumns(new ClientTable());
  #deadlines = new Float64Array(64);

  constructor(options: HeartbeatStoreOptions) {
    this.#maxClients = Math.max(1, options.maxClients ?? defaultMaxClients);
    this.#deadAfterMs = options.deadAfterMs;
    this.#sink = options.sink;
    this.#byHost = options.clientKey === 'host';
    this.#byName = options.clientKey === 'name' ? new Map() : undefined;
    this.#rate = new HeartbeatRate(options.clock());
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

  /** Sequence numbers lost since the last reset, over every client. */
  get lostTotal(): number {
    return this.#lost;
  }

  /** The totals since the start, across resets, with the sequence numbers lost: a fresh copy. */
  runTotals(): ServerTotals & {
    readonly lost: number;
    readonly gapsFound: number;
  } {
    const cleared = this.#clearedTotals;
    const totals = this.#totals;
    return {
      received: cleared.received + totals.received,
      replied: cleared.replied + totals.replied,
      dropped: cleared.dropped + totals.dropped,
      malformed: cleared.malformed + totals.malformed,
      unanswered: cleared.unanswered + totals.unanswered,
      refused: cleared.refused + totals.refused,
      evicted: cleared.evicted + totals.evicted,
      lost: cleared.lost + this.#lost,
      gapsFound: this.#gapsFound,
    };
  }

  /**
   * Bytes of the typed arrays the store keeps for its clients (rings, deadlines, per-client
   * numbers): a deterministic measure of its memory, where the heap's own figures move with GC.
   */
  typedArrayBytes(): number {
    return (
      this.#deadlines.byteLength +
      this.#columns.table.byteLength +
      this.#rings.byteLength +
      this.#detail.byteLength
    );
  }

  /** Every delay since the start, bucketed (a plain copy). */
  delayHistogram(): ReturnType<DelayHistogram['read']> {
    return this.#histogram.read();
  }

  /**
   * The client in position `index` (0 to clientCount - 1), in no particular order: for readers that
   * walk every client in slices. A position stays with its client until a client leaves, when the
   * last one moves into the hole.
   */
  clientAt(index: number): ClientRecord | undefined {
    return this.#slots[index];
  }

  /** The `count` most recently seen clients, newest first. */
  recent(count: number): ClientRecord[] {
    const result: ClientRecord[] = [];
    for (
      let client = this.#newest;
      client !== undefined && result.length < count;
      client = client.older
    ) {
      result.push(client);
    }

    return result;
  }

  /**
   * A still copy of every client, made in steps (`step(count)` copies the next `count` slots and
   * says whether more remain), read by index like the store (see `StillCopy`).
   */
  stillCopy(): StillCopy {
    return new StillCopy(this.#columns.table, this.#slots);
  }

  /** Whether the record is still one of this store's clients (it was not forgotten or evicted). */
  tracks(record: ClientRecord): boolean {
    return record instanceof ClientState && record.slot >= 0;
  }

  /** A client's recent delays, intervals and state changes, oldest first, for its detail view. */
  detailOf(record: ClientRecord):
    | {
        delaysMs: number[];
        intervalsMs: number[];
        stateChanges: Array<{time: number; state: Liveness}>;
      }
    | undefined {
    if (!(record instanceof ClientState) || record.slot < 0) {
      return undefined;
    }

    return {
      delaysMs: this.#detail.delays(record.slot),
      intervalsMs: record.liveness.intervals(this.#rings),
      stateChanges: this.#detail.stateChanges(record.slot),
    };
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
    const named = this.#byName?.get(key);
    if (named !== undefined) {
      return named;
    }

    if (this.#byHost) {
      const address =
        key.startsWith('[') && key.endsWith(']') ? key.slice(1, -1) : key;
      const client =
        this.#find(address, 0) ??
        (ipv4.test(address) ? this.#find(`::ffff:${address}`, 0) : undefined);
      return client?.key === key ? client : undefined;
    }

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
    return this.#rate.perSecond(now);
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
    const {name} = request;
    const client =
      name !== undefined && this.#byName !== undefined
        ? this.#namedClientFor(name, address, port, now)
        : this.#clientFor(address, port, now);
    if (request.label !== client.label) {
      client.label = this.#sharedLabel(request.label);
    }

    if (name !== undefined && name !== client.name) {
      client.name = name;
    }

    if (request.fields !== undefined) {
      client.fields = request.fields;
    }

    const lostBefore = client.lost;
    client.recordHeartbeat(request, now);
    const lostNow = client.lost - lostBefore;
    this.#lost += lostNow;
    if (lostNow > 0) {
      this.#gapsFound += lostNow;
    }

    if (request.timestampMs !== undefined && client.delayLastMs !== undefined) {
      this.#histogram.observe(client.delayLastMs);
      this.#detail.pushDelay(client.slot, client.delayLastMs);
    }

    this.#totals.received++;
    this.#rate.count(now);
    this.#arrive(client, now, true);
    return client;
  }

  /**
   * A datagram the server could not read. It still shows its sender is running: it is received,
   * and an arrival for liveness. `errorReply` says its reply would be an error, which is
   * rate-limited: one per client per second.
   * @returns The client, whose reply's fate `recordReply` then records; undefined when the error
   * reply is held back, which counts as unanswered (the `malformed` event's detail then ends
   * with `;unanswered`, and no reply event follows).
   */
  recordMalformed(
    address: string,
    port: number,
    reason: MalformedReason,
    now: number,
    errorReply: boolean,
  ): ClientRecord | undefined {
    return this.#recordMalformed(
      address,
      port,
      reason,
      now,
      errorReply ? 'rate limit' : 'answered',
    );
  }

  /**
   * A malformed datagram whose error reply is known to have been held back, as a replayed log
   * says: counted unanswered whatever the rate limit would decide now.
   */
  recordUnansweredMalformed(
    address: string,
    port: number,
    reason: MalformedReason,
    now: number,
  ): void {
    this.#recordMalformed(address, port, reason, now, 'held back');
  }

  #recordMalformed(
    address: string,
    port: number,
    reason: MalformedReason,
    now: number,
    reply: 'answered' | 'rate limit' | 'held back',
  ): ClientRecord | undefined {
    const client = this.#clientFor(address, port, now);
    client.recordMalformed();
    const totals = this.#totals;
    totals.received++;
    totals.malformed++;
    this.#arrive(client, now, false);
    const heldBack =
      reply === 'held back' ||
      (reply === 'rate limit' && !client.mayReplyError(now));
    if (heldBack) {
      client.recordUnanswered();
      totals.unanswered++;
    }

    if (this.#sink !== undefined) {
      this.#emit(
        'malformed',
        client,
        now,
        undefined,
        undefined,
        heldBack ? `${reason};unanswered` : reason,
      );
    }

    return heldBack ? undefined : client;
  }

  /** The fate of the reply to the client's latest datagram (of any kind), after the loss decision. */
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
    const cleared = this.#clearedTotals;
    for (const name of [
      'received',
      'replied',
      'dropped',
      'malformed',
      'unanswered',
      'refused',
      'evicted',
    ] as const) {
      cleared[name] += this.#totals[name];
    }

    cleared.lost += this.#lost;
    this.#lost = 0;
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
    totals.unanswered = 0;
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
  #clientFor(address: string, sourcePort: number, now: number): ClientState {
    const port = this.#byHost ? 0 : sourcePort;
    const client = this.#find(address, port);
    return client === undefined
      ? this.#arriving(this.#create(address, port, now), now)
      : this.#arriving(client, now);
  }

  /** The client a datagram comes from becomes the most recently seen. */
  #arriving(client: ClientState, now: number): ClientState {
    if (client !== this.#newest) {
      this.#unlink(client);
      this.#append(client);
    }

    this.#lastActivity = now;
    this.#version++;
    return client;
  }

  /**
   * Under `--client-key name`: the client of that name, created if new, moved to the most
   * recently seen. One whose address or port changed keeps its row and says so: `moved`.
   */
  #namedClientFor(
    name: string,
    address: string,
    port: number,
    now: number,
  ): ClientState {
    const client = this.#byName!.get(name);
    if (client === undefined) {
      return this.#arriving(this.#create(address, port, now, name), now);
    }

    if (client.address !== address || client.port !== port) {
      const from = clientKey(client.address, client.port);
      client.address = address;
      client.port = port;
      if (this.#sink !== undefined) {
        this.#emit(
          'moved',
          client,
          now,
          undefined,
          undefined,
          `from=${from};to=${clientKey(address, port)}`,
        );
      }
    }

    return this.#arriving(client, now);
  }

  /** A new client; `name` keys it by name (`--client-key name`) rather than by address. */
  #create(
    address: string,
    port: number,
    now: number,
    name?: string,
  ): ClientState {
    if (this.#slots.length >= this.#maxClients && this.#oldest !== undefined) {
      this.#evict(this.#oldest, now);
    }

    const slot = this.#slots.length;
    const key =
      name ?? (this.#byHost ? hostKey(address) : clientKey(address, port));
    const client = new ClientState(
      address,
      port,
      now,
      key,
      this.#columns,
      slot,
    );
    if (name === undefined) {
      this.#index(client);
    } else {
      client.name = name;
      this.#byName!.set(name, client);
    }

    this.#append(client);
    this.#slots.push(client);
    if (client.slot === this.#deadlines.length) {
      const grown = new Float64Array(this.#deadlines.length * 2);
      grown.set(this.#deadlines);
      this.#deadlines = grown;
    }

    this.#detail.clear(client.slot);
    this.#detail.pushState(client.slot, now, 'alive');
    this.#byState.alive++;
    return client;
  }

  /** Files a client keyed by address under its address and port. */
  #index(client: ClientState): void {
    const {address, port} = client;
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
    if (this.#byName?.get(client.key) === client) {
      this.#byName.delete(client.key);
    } else if (entry === client) {
      this.#byAddress.delete(client.address);
    } else if (entry instanceof Map) {
      entry.delete(client.port);
      if (entry.size === 0) {
        this.#byAddress.delete(client.address);
      }
    }

    this.#unlink(client);
    const {slot} = client;
    this.#detail.release(slot);
    client.liveness.release(this.#rings);
    client.detach();
    // Fill the hole with the last slot so the deadline scan stays dense.
    const last = this.#slots.pop()!;
    if (last !== client) {
      const lastSlot = last.slot;
      this.#slots[slot] = last;
      this.#deadlines[slot] = this.#deadlines[lastSlot]!;
      this.#detail.move(lastSlot, slot);
      this.#columns.table.copy(lastSlot, slot);
      last.moveTo(slot);
    }

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

  /**
   * Feeds a datagram's arrival to the client's detector, sets its next deadline and makes it
   * alive: `resumed` if it was late or stopped, with the heartbeat's seq and delay if it is one.
   */
  #arrive(client: ClientState, now: number, isHeartbeat: boolean): void {
    const before = client.state;
    // Read only when the silence ends a state (its event says how long): never for an alive one.
    const previousSeen = before === 'alive' ? 0 : client.lastSeen;
    // Also sets lastSeen and the deadline, with no double boxed on the way.
    client.liveness.arriveAt(
      now,
      before === 'stopped',
      this.#rings,
      this.#deadAfterMs,
      this.#deadlines,
      client.slot,
    );
    if (before === 'alive') {
      return;
    }

    this.#setState(client, 'alive');
    this.#detail.pushState(client.slot, now, 'alive');
    if (this.#sink !== undefined) {
      const silence = now - previousSeen;
      this.#emit(
        'resumed',
        client,
        now,
        isHeartbeat ? client.heartbeatSeq : undefined,
        isHeartbeat ? client.heartbeatDelayMs : undefined,
        `after=${before};silent_ms=${Math.round(silence)}`,
        {previousState: before, silentMs: Math.round(silence)},
      );
    }
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
    const previousState = client.state;
    this.#setState(client, state);
    this.#detail.pushState(client.slot, now, state);
    this.#version++;
    if (this.#sink !== undefined) {
      const silentMs = Math.round(now - client.lastSeen);
      this.#emit(
        state,
        client,
        now,
        undefined,
        undefined,
        `silent_ms=${silentMs}`,
        {previousState, silentMs},
      );
    }
  }

  #setState(client: ClientState, state: Liveness): void {
    this.#byState[client.state]--;
    this.#byState[state]++;
    client.state = state;
  }

  #emit(
    event: EventName,
    client: ClientState,
    now: number,
    seq: number | undefined,
    delayMs: number | undefined,
    detail: string | undefined,
    change?: {readonly previousState: Liveness; readonly silentMs: number},
  ): void {
    const {clockOffsetMs, name} = client;
    if (name !== undefined) {
      // A named client: the outputs show its name, and where the key is that name, its address.
      this.#sink!({
        time: now,
        event,
        client: client.key,
        seq,
        delayMs,
        detail,
        state: client.state,
        ...change,
        ...(clockOffsetMs === undefined || delayMs === undefined
          ? {}
          : {clockOffsetMs}),
        name,
        ...(client.key === name
          ? {address: clientKey(client.address, client.port)}
          : {}),
      });
      return;
    }

    if (clockOffsetMs === undefined || delayMs === undefined) {
      this.#sink!({
        time: now,
        event,
        client: client.key,
        seq,
        delayMs,
        detail,
        state: client.state,
        ...change,
      });
      return;
    }

    // A delay net of the client's time zone says which: a replay needs it to rebuild the delay.
    this.#sink!({
      time: now,
      event,
      client: client.key,
      seq,
      delayMs,
      detail,
      state: client.state,
      ...change,
      clockOffsetMs,
    });
  }
}
