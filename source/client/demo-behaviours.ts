import type {RandomSource} from '../random.js';
import {buildPayload} from './payload.js';

/** What a simulated client sends at its tick number `tick` (0, 1, 2 …); undefined keeps silent. */
export type DemoTicker = (
  tick: number,
  nowMs: number,
) => string | Uint8Array | undefined;

export type DemoBehaviour = {
  /** What it shows on the dashboard, for a reader of this code and of the tests. */
  readonly name: string;
  /** Milliseconds between ticks at normal speed. */
  readonly intervalMs: number;
  /** A fresh client of this kind, drawing its surprises from `random`. */
  readonly create: (random: RandomSource) => DemoTicker;
};

/** A whole number from `min` to `max`. */
function between(random: RandomSource, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/** Python's `time.ctime()` in local time: `Mon Apr 14 12:00:00 2025`, the day padded with a space. */
function ctime(nowMs: number): string {
  // Date's own text is fixed by the language: `Mon Apr 14 2025 12:00:00 GMT+0000 (…)`, local time.
  const [weekday, month, day, year, time] = new Date(Math.floor(nowMs))
    .toString()
    .split(' ');
  return `${weekday!} ${month!} ${String(Number(day)).padStart(2, ' ')} ${time!} ${year!}`;
}

/**
 * Datagrams a broken seed-format client sends, which the server cannot read and answers with an
 * error: an impossible date, a negative number, a fraction, more than 1024 bytes. Without a label: after one, the server
 * reads anything as free text.
 */
export const malformedSamples: ReadonlyArray<string | Uint8Array> = [
  '7\t2026-13-45 25:61:00',
  '-1 now',
  '1.5 soon',
  `8\t${'9'.repeat(1100)}`,
];

/** `HH:MM:SS` of the local time, as `strftime('%H:%M:%S')` writes it. */
function timeOfDay(nowMs: number): string {
  const date = new Date(Math.floor(nowMs));
  return [date.getHours(), date.getMinutes(), date.getSeconds()]
    .map((part) => String(part).padStart(2, '0'))
    .join(':');
}

const steady: DemoBehaviour = {
  name: 'steady 1 Hz, seed format',
  intervalMs: 1000,
  create: () => (tick, nowMs) => buildPayload('seed', tick + 1, nowMs),
};

const fast: DemoBehaviour = {
  name: 'fast 10 Hz, Ping format',
  intervalMs: 100,
  create: () => (tick, nowMs) => buildPayload('ping', tick + 1, nowMs),
};

/** Active for ~12 s, silent for ~8 s (long enough to be `stopped`), then starts over from seq 1. */
const intermittent: DemoBehaviour = {
  name: 'goes silent ~8 s every ~20 s, then restarts',
  intervalMs: 1000,
  create(random) {
    let seq = 0;
    let activeLeft = between(random, 11, 13);
    let silentLeft = 0;
    return (_tick, nowMs) => {
      if (silentLeft > 0) {
        silentLeft--;
        if (silentLeft === 0) {
          seq = 0;
          activeLeft = between(random, 11, 13);
        }

        return undefined;
      }

      activeLeft--;
      if (activeLeft === 0) {
        silentLeft = between(random, 7, 9);
      }

      seq++;
      return buildPayload('heartbeat', seq, nowMs);
    };
  },
};

/** Now and then the network eats 1–3 heartbeats: the server sees a gap and counts them lost. */
const gappy: DemoBehaviour = {
  name: 'skips sequence numbers now and then',
  intervalMs: 500,
  create(random) {
    let seq = 0;
    return (tick, nowMs) => {
      seq += tick > 0 && random() < 0.15 ? between(random, 2, 4) : 1;
      return buildPayload('seed', seq, nowMs);
    };
  },
};

/** Now and then a datagram the protocol rejects; the heartbeats around it are fine. */
const faulty: DemoBehaviour = {
  name: 'sends a malformed datagram now and then',
  intervalMs: 1000,
  create(random) {
    let seq = 0;
    let nextSample = 0;
    return (tick, nowMs) => {
      if (tick > 0 && random() < 0.2) {
        const sample = malformedSamples[nextSample % malformedSamples.length]!;
        nextSample++;
        return sample;
      }

      seq++;
      return buildPayload('heartbeat', seq, nowMs);
    };
  },
};

/** A JavaScript client: `seq Date.now()`. */
const javascript: DemoBehaviour = {
  name: 'JavaScript client, millisecond timestamps, every 2 s',
  intervalMs: 2000,
  create: () => (tick, nowMs) => `${tick + 1} ${Math.floor(nowMs)}`,
};

/** A keep-alive with neither number nor time. */
const keepAlive: DemoBehaviour = {
  name: 'bare keep-alive every 3 s',
  intervalMs: 3000,
  create: () => () => 'PyHB',
};

const ctimeClient: DemoBehaviour = {
  name: 'ctime() timestamps every 1.5 s',
  intervalMs: 1500,
  create: () => (tick, nowMs) => `Ping ${tick + 1} ${ctime(nowMs)}`,
};

/** A Java pinger that sends free text after its label: echoed, upper-cased. */
const freeText: DemoBehaviour = {
  name: 'Java pinger, free text after its label, every 2 s',
  intervalMs: 2000,
  create: () => () => 'Ping Java Udp Client',
};

/** `System.currentTimeMillis()` alone after the label: a time, not a sequence number. */
const millisecondsAlone: DemoBehaviour = {
  name: 'Java pinger, a lone millisecond time, every 1.2 s',
  intervalMs: 1200,
  create: () => (_tick, nowMs) => `PING ${Math.floor(nowMs)}`,
};

/** A binary pinger: magic, sequence number and send time in a struct, echoed byte for byte. */
const binary: DemoBehaviour = {
  name: 'binary pinger, a struct echoed byte for byte, every 1 s',
  intervalMs: 1000,
  create: () => (tick, nowMs) => {
    const struct = new Uint8Array(16);
    const view = new DataView(struct.buffer);
    view.setUint32(0, 0xfe_ed_be_ef);
    view.setUint32(4, tick + 1);
    view.setFloat64(8, nowMs);
    return struct;
  },
};

/** A sequence number and `strftime('%H:%M:%S')`. */
const timeOfDayClient: DemoBehaviour = {
  name: 'time of day timestamps every 1 s',
  intervalMs: 1000,
  create: () => (tick, nowMs) => `${tick + 1} ${timeOfDay(nowMs)}`,
};

/** In the order the fleet starts them: the first five show every state and column. */
export const demoBehaviours: readonly DemoBehaviour[] = [
  steady,
  fast,
  intermittent,
  gappy,
  faulty,
  javascript,
  keepAlive,
  ctimeClient,
  freeText,
  millisecondsAlone,
  binary,
  timeOfDayClient,
];

/** Later rounds run the same kinds at other rates, so a big fleet is not in lockstep. */
const rateFactors = [1, 1.5, 0.75, 2, 1.25];

/** The behaviour of the fleet's client number `index` (from 0). */
export function demoBehaviourFor(index: number): DemoBehaviour {
  const base = demoBehaviours[index % demoBehaviours.length]!;
  const round = Math.floor(index / demoBehaviours.length);
  if (round === 0) {
    return base;
  }

  const factor = rateFactors[round % rateFactors.length]!;
  return {...base, intervalMs: base.intervalMs * factor};
}
