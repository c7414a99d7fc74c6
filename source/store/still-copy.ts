import {livenessStates, type ClientRecord} from '../vocabulary.js';
import {
  ClientColumns,
  ClientState,
  type StillCopyColumns,
} from './client-state.js';
import {ClientTable} from './client-table.js';

/**
 * A still copy of every client, for a frozen view: the store's table of numbers copied slot for
 * slot, and beside it each client's record (whose key never changes) and, one array per field,
 * what of it may change while the copy is read: its address (a named client may move), label,
 * name, fields and state. It holds no object per client: `clientAt` answers with one cursor pointed at the client
 * (read it before asking for another), and `keep` makes a record of the client's own for a
 * reader that holds on to it (a sorted window). So a freeze of 100000 clients leaves the garbage
 * collector a few arrays, not 100000 records that outlive the young generation.
 *
 * Made in steps (`step(count)`, a few hundred slots each, so that no step holds the thread for
 * long): a slot's numbers and identity are copied in the same step, so they agree; a client that
 * arrives after the first step is not in the copy.
 */
export class StillCopy {
  readonly #source: ClientTable;
  readonly #slots: readonly ClientState[];
  readonly #columns: ClientColumns;
  readonly #records: ClientState[] = [];
  readonly #addresses: string[] = [];
  readonly #ports: Uint16Array;
  readonly #labels: Array<string | undefined> = [];
  readonly #names: Array<string | undefined> = [];
  readonly #fields: Array<ClientState['fields']> = [];
  readonly #states: Uint8Array;
  readonly #view: StillCopyColumns;
  readonly #cursor: ClientState;
  readonly #capacity: number;

  constructor(source: ClientTable, slots: readonly ClientState[]) {
    this.#source = source;
    this.#slots = slots;
    this.#capacity = slots.length;
    this.#columns = new ClientColumns(new ClientTable(this.#capacity), true);
    this.#states = new Uint8Array(this.#capacity);
    this.#ports = new Uint16Array(this.#capacity);
    this.#view = {
      records: this.#records,
      addresses: this.#addresses,
      ports: this.#ports,
      labels: this.#labels,
      names: this.#names,
      fields: this.#fields,
      states: this.#states,
    };
    this.#cursor = new ClientState('', 0, Number.NaN, '', this.#columns, 0);
  }

  /** Clients copied so far. */
  get clientCount(): number {
    return this.#records.length;
  }

  /** Copies the next `count` slots; false once every slot there was at the start is copied. */
  step(count: number): boolean {
    const last = Math.min(this.#capacity, this.#slots.length);
    const next = this.#records.length;
    const end = Math.min(last, next + count);
    this.#source.copySlots(next, end - next, this.#columns.table);
    for (let slot = next; slot < end; slot++) {
      const record = this.#slots[slot]!;
      this.#records.push(record);
      this.#addresses.push(record.address);
      this.#ports[slot] = record.port;
      this.#labels.push(record.label);
      this.#names.push(record.name);
      this.#fields.push(record.fields);
      this.#states[slot] = livenessStates.indexOf(record.state);
    }

    return end < last;
  }

  /** The copy of client `index`, through the one cursor: valid until the next call. */
  clientAt(index: number): ClientRecord | undefined {
    const record = this.#records[index];
    if (record === undefined) {
      return undefined;
    }

    this.#cursor.pointAt(this.#view, index, index);
    return this.#cursor;
  }

  /** A record of the copy of client `index` of its own, for a reader that keeps it. */
  keep(index: number): ClientRecord {
    const record = this.#records[index]!;
    const kept = new ClientState(
      this.#addresses[index]!,
      this.#ports[index]!,
      // NaN: the slot is filled already and must not be cleared.
      Number.NaN,
      record.key,
      this.#columns,
      index,
    );
    kept.label = this.#labels[index];
    kept.name = this.#names[index];
    kept.fields = this.#fields[index];
    kept.state = livenessStates[this.#states[index]!]!;
    return kept;
  }
}
