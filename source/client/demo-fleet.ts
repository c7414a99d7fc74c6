import dgram from 'node:dgram';
import {isIPv6} from 'node:net';
import {systemClock, type Clock} from '../clock.js';
import type {RandomSource} from '../random.js';
import {demoBehaviourFor} from './demo-behaviours.js';

export type DemoFleetOptions = {
  /** Where the server listens; a wildcard address means this machine. */
  readonly host: string;
  readonly port: number;
  /** How many simulated clients; 5 by default. */
  readonly count?: number;
  readonly random?: RandomSource;
  /** Runs every client this many times faster (tests use it so an outage takes no 8 s). */
  readonly speed?: number;
  /** Stamps the payloads. */
  readonly clock?: Clock;
};

export type DemoFleetCounts = {
  /** Datagrams handed to the network. */
  readonly sent: number;
  /** Replies that came back; the demo reads nothing from them. */
  readonly replies: number;
};

export type DemoFleet = {
  /** What each client does, in start order. */
  readonly behaviours: readonly string[];
  counts(): DemoFleetCounts;
  /** Clears every timer and closes every socket. */
  stop(): Promise<void>;
};

export const defaultDemoCount = 5;

function loopbackFor(host: string): string {
  if (host === '0.0.0.0') {
    return '127.0.0.1';
  }

  return host === '::' ? '::1' : host;
}

/**
 * Simulated clients in this process, each with its own socket, so a newcomer sees a live dashboard
 * at once. They print nothing (the dashboard owns the terminal); replies are only counted.
 */
export function startDemoFleet(options: DemoFleetOptions): DemoFleet {
  const {
    port,
    count = defaultDemoCount,
    random = Math.random,
    speed = 1,
  } = options;
  const clock = options.clock ?? systemClock;
  const host = loopbackFor(options.host);
  const timers = new Set<NodeJS.Timeout>();
  const sockets: dgram.Socket[] = [];
  const behaviours: string[] = [];
  let stopped = false;
  let sent = 0;
  let replies = 0;

  const onReply = () => {
    replies++;
  };

  const launch = (index: number) => {
    const behaviour = demoBehaviourFor(index);
    const ticker = behaviour.create(random);
    const intervalMs = behaviour.intervalMs / speed;
    const socket = dgram.createSocket(isIPv6(host) ? 'udp6' : 'udp4');
    // Port unreachable before the server is up, or a send that fails: the demo carries on.
    socket.on('error', () => undefined);
    socket.on('message', onReply);
    sockets.push(socket);
    behaviours.push(behaviour.name);

    let tick = 0;
    const schedule = (delayMs: number) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (stopped) {
          return;
        }

        const payload = ticker(tick++, clock());
        if (payload !== undefined) {
          try {
            socket.send(payload, port, host, (error) => {
              if (!error) {
                sent++;
              }
            });
          } catch {
            // A host the socket cannot send to: the demo carries on quietly.
          }
        }

        // A little jitter, as real clients have, so the interval spread is not zero.
        schedule(intervalMs * (0.95 + random() * 0.1));
      }, delayMs);
      timers.add(timer);
    };

    // Start at different moments so the clients do not tick in lockstep.
    schedule(random() * intervalMs);
  };

  for (let index = 0; index < count; index++) {
    launch(index);
  }

  return {
    behaviours,
    counts: () => ({sent, replies}),
    async stop() {
      if (stopped) {
        return;
      }

      stopped = true;
      for (const timer of timers) {
        clearTimeout(timer);
      }

      timers.clear();
      await Promise.all(
        sockets.map(
          async (socket) =>
            new Promise<void>((resolve) => {
              socket.close(() => {
                resolve();
              });
            }),
        ),
      );
    },
  };
}
