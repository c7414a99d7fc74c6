import {setTimeout as delay} from 'node:timers/promises';
import {stripVTControlCharacters} from 'node:util';
import {render} from 'ink-testing-library';
import {Dashboard} from '../../source/ui/dashboard.js';
import type {ReplayControls} from '../../source/ui/replay-controls.js';
import {waitFor} from '../helpers/wait-for.js';
import {FakeEngine} from './fake-engine.js';
import {
  FakeClock,
  FakeStore,
  fakeSource,
  recordingController,
  type FakeRecord,
  type FakeSource,
  type RecordingController,
} from './fake-store.js';

/** Escape sequences a terminal sends for the keys the dashboard knows. */
export const keys = {
  up: '\u001B[A',
  down: '\u001B[B',
  pageUp: '\u001B[5~',
  pageDown: '\u001B[6~',
  home: '\u001B[H',
  end: '\u001B[F',
  escape: '\u001B',
  enter: '\r',
  backspace: '\u007F',
  ctrlC: '\u0003',
} as const;

export type DashboardHarness = {
  readonly clock: FakeClock;
  readonly store: FakeStore;
  readonly source: FakeSource;
  readonly controller: RecordingController;
  readonly engine: FakeEngine;
  readonly app: ReturnType<typeof render>;
  /** The last frame, without colours. */
  frame(): string;
  /** The table's data lines (those with a client in them), in order. */
  rowLines(): string[];
  /** Types a key, after the few milliseconds a newly mounted input needs to subscribe. */
  press(key: string): Promise<void>;
  /** Types each character of `text` as its own key. */
  type(text: string): Promise<void>;
  /** Polls the last frame until `condition` holds, or fails with `message` after a deadline. */
  until(
    condition: (frame: string) => boolean,
    message: string,
  ): Promise<string>;
  /** Waits until `count` more snapshots have been published and the dashboard has read them. */
  frames(count: number): Promise<void>;
  /** How many times the source was read for a frame. */
  ticks(): number;
  unmount(): void;
};

export type HarnessOptions = {
  readonly records?: readonly FakeRecord[];
  /** Lines given to the dashboard (40 unless told), or `terminal` for what stdout reports. */
  readonly rows?: number | 'terminal';
  /** Columns of the fake terminal: ink-testing-library's stdout has 100. */
  readonly columns?: number;
  readonly frameIntervalMs?: number;
  readonly logFile?: string;
  /** A replay's clock: the dashboard then shows a replay. */
  readonly replay?: ReplayControls;
};

/** A dashboard over a fake store, clock and controller, ready for keys once its first frame is drawn. */
export async function renderDashboard(
  options: HarnessOptions = {},
): Promise<DashboardHarness> {
  const clock = new FakeClock();
  const store = new FakeStore();
  if (options.records) {
    store.add(...options.records);
  }

  const source = fakeSource(store, clock, {logFile: options.logFile});
  let reads = 0;
  const readIdle = source.idleSilenceMs;
  source.idleSilenceMs = () => {
    reads++;
    return readIdle();
  };

  const controller = recordingController(source);
  const engine = new FakeEngine(
    source,
    clock,
    controller,
    options.frameIntervalMs ?? 20,
  );
  const app = render(
    <Dashboard
      engine={engine}
      rows={options.rows === 'terminal' ? undefined : (options.rows ?? 40)}
      replay={options.replay}
      onQuit={() => {
        controller.quit();
      }}
    />,
  );
  if (options.columns !== undefined) {
    // Ink lays out to stdout's width, so the fake terminal itself must change size, as a real one does.
    Object.defineProperty(app.stdout, 'columns', {
      value: options.columns,
      configurable: true,
    });
    app.stdout.emit('resize');
  }

  const frame = () => stripVTControlCharacters(app.lastFrame() ?? '');
  const until = async (
    condition: (frame: string) => boolean,
    message: string,
  ) => {
    try {
      return await waitFor(
        () => {
          const text = frame();
          return condition(text) ? text : undefined;
        },
        {message},
      );
    } catch (error) {
      // The frame at the deadline, not at the call, is the one that explains the failure.
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`${reason}; last frame:\n${frame()}`, {cause: error});
    }
  };

  const harness: DashboardHarness = {
    clock,
    store,
    source,
    controller,
    engine,
    app,
    frame,
    rowLines: () =>
      frame()
        .split('\n')
        .filter((line) => /^ [> ] \S/v.test(line)),
    async press(key) {
      await delay(5);
      app.stdin.write(key);
    },
    async type(text) {
      for (const char of text) {
        await harness.press(char);
      }
    },
    until,
    async frames(count) {
      const target = reads + count;
      await waitFor(() => reads >= target, {message: `${count} frames`});
      // The dashboard reads a snapshot as it is published, and draws it in a task after that only
      // if it changes the screen: a snapshot that changes nothing is never drawn.
      await new Promise((resolve) => {
        setImmediate(resolve);
      });
      await new Promise((resolve) => {
        setImmediate(resolve);
      });
    },
    ticks: () => reads,
    unmount() {
      app.unmount();
      app.cleanup();
    },
  };
  await until((text) => text.includes('udp-heartbeat'), 'the first frame');
  // A frame drawn after the first tick: the dashboard's effects (input, resize) are in place by then.
  await harness.frames(1);
  return harness;
}
