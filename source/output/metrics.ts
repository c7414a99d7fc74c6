import {collectDefaultMetrics, Counter, Gauge, Registry} from 'prom-client';
import {livenessStates, type Liveness} from '../vocabulary.js';

/** Counts since the server started (never reset by `r`), as Prometheus counters want them. */
export type MetricsTotals = {
  readonly received: number;
  readonly replied: number;
  readonly dropped: number;
  readonly lost: number;
  readonly malformed: number;
  readonly refused: number;
  readonly evicted: number;
  readonly unanswered: number;
  readonly alertsDropped: number;
  readonly hookErrors: number;
};

/**
 * Delays as the engine keeps them: fixed upper bounds in seconds, a count per bucket (not
 * cumulative; one more count than bounds, the last for delays above every bound), sum and count.
 */
export type DelayHistogram = {
  readonly boundsSeconds: readonly number[];
  readonly counts: readonly number[];
  readonly sumSeconds: number;
  readonly count: number;
};

export type ClientMetrics = {
  readonly client: string;
  /** The name its heartbeats give it, if any: its series then carry a `name` label too. */
  readonly name: string | undefined;
  readonly state: Liveness;
  readonly received: number;
  /** Loss as the client sees it, 0-1; undefined with nothing received. */
  readonly lossRatio: number | undefined;
  /** Latest delay in seconds, if a heartbeat carried a timestamp. */
  readonly delaySeconds: number | undefined;
  /** Milliseconds since the epoch. */
  readonly lastSeen: number;
};

/** What one scrape reads: plain data from the engine's latest snapshot. */
export type MetricsReading = {
  readonly clientsByState: Readonly<Record<Liveness, number>>;
  readonly totals: MetricsTotals;
  /** Simulated loss, 0-1. */
  readonly lossRatio: number;
  readonly delay: DelayHistogram;
  /** The most recently seen clients, when `--metrics-clients` asks for them. */
  readonly clients: readonly ClientMetrics[];
};

const prefix = 'udp_heartbeat_';

/** prom-client's default gauges that are named like counters. */
const nonCounterTotals = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
];

/** One sample as a registered metric's `get()` hands it to the registry. */
type Sample = {
  readonly metricName: string;
  readonly labels: Readonly<Record<string, string | number>>;
  readonly value: number;
};

type CounterSpec = {
  readonly name: string;
  readonly help: string;
  readonly read: (totals: MetricsTotals) => number;
};

const counterSpecs: readonly CounterSpec[] = [
  {
    name: 'heartbeats_received_total',
    help: 'Datagrams received from allowed clients, malformed ones included.',
    read: (totals) => totals.received,
  },
  {
    name: 'replies_total',
    help: 'Replies sent (after the simulated loss).',
    read: (totals) => totals.replied,
  },
  {
    name: 'simulated_drops_total',
    help: 'Replies the loss simulation dropped.',
    read: (totals) => totals.dropped,
  },
  {
    name: 'lost_total',
    help: 'Sequence numbers found missing (gaps in a client sequence), never taken back.',
    read: (totals) => totals.lost,
  },
  {
    name: 'malformed_total',
    help: 'Datagrams the server could not read.',
    read: (totals) => totals.malformed,
  },
  {
    name: 'refused_total',
    help: 'Datagrams from outside --allow, never answered.',
    read: (totals) => totals.refused,
  },
  {
    name: 'evicted_total',
    help: 'Clients forgotten because --max-clients was reached.',
    read: (totals) => totals.evicted,
  },
  {
    name: 'unanswered_total',
    help: 'Error replies held back by their rate limit.',
    read: (totals) => totals.unanswered,
  },
  {
    name: 'alerts_dropped_total',
    help: 'Alert hooks not run because their queue was full.',
    read: (totals) => totals.alertsDropped,
  },
  {
    name: 'hook_errors_total',
    help: 'Alert hooks that failed (exit status, time limit, HTTP error).',
    read: (totals) => totals.hookErrors,
  },
];

/**
 * The delay histogram as prom-client exposes histograms, from bucket counts the engine keeps: the
 * engine observes each delay where it is measured (one bucket increment), and a scrape only reads.
 * prom-client's own Histogram can only observe values one by one, so this supplies the same
 * `get()` shape a registered metric gives the registry, which writes the exposition.
 */
class SnapshotHistogram {
  readonly name: string;
  readonly help: string;
  readonly type: string;
  readonly aggregator: string;
  readonly #read: () => DelayHistogram;

  constructor(name: string, help: string, read: () => DelayHistogram) {
    this.name = name;
    this.help = help;
    this.type = 'histogram';
    this.aggregator = 'sum';
    this.#read = read;
  }

  async get() {
    const {boundsSeconds, counts, count, sumSeconds} = this.#read();
    const values: Sample[] = [];
    let cumulative = 0;
    for (const [index, bound] of boundsSeconds.entries()) {
      cumulative += counts[index] ?? 0;
      values.push({
        metricName: `${this.name}_bucket`,
        labels: {le: bound},
        value: cumulative,
      });
    }

    values.push(
      {metricName: `${this.name}_bucket`, labels: {le: '+Inf'}, value: count},
      {metricName: `${this.name}_sum`, labels: {}, value: sumSeconds},
      {metricName: `${this.name}_count`, labels: {}, value: count},
    );
    return {
      name: this.name,
      help: this.help,
      type: this.type,
      values,
      aggregator: 'sum',
    };
  }

  // The registry's other readers (JSON, merging) call these on every metric.
  async getForPromString() {
    return this.get();
  }

  reset(): void {
    // The engine owns the counts.
  }
}

/**
 * A Prometheus registry whose every value is read from `read()` at scrape time: nothing here runs
 * per packet. Counters are set to the engine's totals since start, which only grow.
 */
export function createMetricsRegistry(
  read: () => MetricsReading,
  options: {readonly processMetrics?: boolean} = {},
): Registry {
  const registry = new Registry();
  if (options.processMetrics ?? true) {
    // Unprefixed, as every Node.js exporter names them, so stock dashboards find them.
    collectDefaultMetrics({register: registry});
    // Gauges whose names end in `_total`, against the naming rules (promtool rejects them).
    for (const name of nonCounterTotals) {
      registry.removeSingleMetric(name);
    }
  }

  const add = (metric: Gauge | Counter) => {
    registry.registerMetric(metric);
  };

  add(
    new Gauge({
      name: `${prefix}clients`,
      help: 'Clients tracked, by liveness state.',
      labelNames: ['state'],
      registers: [],
      collect() {
        const byState = read().clientsByState;
        for (const state of livenessStates) {
          this.set({state}, byState[state]);
        }
      },
    }),
  );
  add(
    new Gauge({
      name: `${prefix}simulated_loss_ratio`,
      help: 'The simulated loss setting, 0-1.',
      registers: [],
      collect() {
        this.set(read().lossRatio);
      },
    }),
  );
  for (const spec of counterSpecs) {
    add(
      new Counter({
        name: `${prefix}${spec.name}`,
        help: spec.help,
        registers: [],
        collect() {
          this.reset();
          this.inc(spec.read(read().totals));
        },
      }),
    );
  }

  const delay = new SnapshotHistogram(
    `${prefix}delay_seconds`,
    'One-way delay of heartbeats that carry a timestamp (server receive time minus client time, net of a detected clock zone).',
    () => read().delay,
  );
  // The registry asks a metric only for its name and `get()`; this one is no prom-client class.
  // eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion
  registry.registerMetric(delay as unknown as Counter);
  registerClientSeries(add, read);
  return registry;
}

/** A client's labels: its key, and its name where it has one. */
function clientLabels(client: ClientMetrics): Record<string, string> {
  return client.name === undefined
    ? {client: client.client}
    : {client: client.client, name: client.name};
}

/** Per-client series, present only for the clients the reading lists (`--metrics-clients N`). */
function registerClientSeries(
  add: (metric: Gauge) => void,
  read: () => MetricsReading,
): void {
  add(
    new Gauge({
      name: `${prefix}client_state`,
      help: 'One series per recently seen client and state: 1 for its current state, else 0.',
      labelNames: ['client', 'name', 'state'],
      registers: [],
      collect() {
        this.reset();
        for (const client of read().clients) {
          for (const state of livenessStates) {
            this.set(
              {...clientLabels(client), state},
              client.state === state ? 1 : 0,
            );
          }
        }
      },
    }),
  );
  const perClient = (
    name: string,
    help: string,
    value: (client: ClientMetrics) => number | undefined,
  ) => {
    add(
      new Gauge({
        name: `${prefix}${name}`,
        help,
        labelNames: ['client', 'name'],
        registers: [],
        collect() {
          this.reset();
          for (const client of read().clients) {
            const current = value(client);
            if (current !== undefined) {
              this.set(clientLabels(client), current);
            }
          }
        },
      }),
    );
  };

  perClient(
    'client_heartbeats_received',
    'Datagrams received from a recently seen client since counters were last reset.',
    (client) => client.received,
  );
  perClient(
    'client_loss_ratio',
    'Loss as a recently seen client sees it: (dropped + lost) / (received + lost).',
    (client) => client.lossRatio,
  );
  perClient(
    'client_delay_seconds',
    'Latest one-way delay of a recently seen client.',
    (client) => client.delaySeconds,
  );
  perClient(
    'client_last_seen_timestamp_seconds',
    'When a recently seen client was last heard, in seconds since the epoch.',
    (client) => client.lastSeen / 1000,
  );
}
