import {
  parseServerFlags,
  type ServerOptions,
} from '../../source/config/server-options.js';
import {seededRandom} from '../../source/random.js';
import {
  startServer,
  type RunningServer,
} from '../../source/server/start-server.js';
import type {HeartbeatEvent} from '../../source/vocabulary.js';

/** A clock the test moves by hand. */
export class FakeClock {
  now: number;

  constructor(start = Date.UTC(2026, 10, 24, 5, 31, 7)) {
    this.now = start;
  }

  readonly read = () => this.now;

  advance(ms: number): void {
    this.now += ms;
  }
}

export type TestServer = {
  readonly running: RunningServer;
  readonly events: HeartbeatEvent[];
  readonly clock: FakeClock;
  readonly port: number;
};

/** A real server on loopback on a free port, with an injected clock and seeded loss. */
export async function startTestServer(
  overrides: Partial<ServerOptions> = {},
  seed = 1,
): Promise<TestServer> {
  const options: ServerOptions = {
    ...parseServerFlags({loss: '0', idleTimeout: '0'}, {interactive: false}),
    host: '127.0.0.1',
    port: 0,
    explicitPort: true,
    ...overrides,
  };
  const events: HeartbeatEvent[] = [];
  const clock = new FakeClock();
  const running = await startServer(options, {
    clock: clock.read,
    random: seededRandom(seed),
    sink(event) {
      events.push(event);
    },
  });
  return {running, events, clock, port: running.port};
}
