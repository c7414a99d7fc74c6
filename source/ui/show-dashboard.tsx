import process from 'node:process';
import {render} from 'ink';
import {Dashboard} from './dashboard.js';
import {ErrorBoundary} from './error-boundary.js';
import {KeyByKeyInput} from './key-stream.js';
import type {ReplayControls} from './replay-controls.js';
import type {EngineView} from './use-engine-snapshot.js';

export type DashboardScreen = {
  /** Unmounts and restores the terminal; never hangs (gives up waiting after a second). */
  close(): Promise<void>;
};

export type ShowDashboardOptions = {
  /** `q`, Ctrl+C, `y` at the idle prompt. */
  readonly onQuit: () => void;
  /** `y` at the idle prompt, when it is not quitting (an attached viewer shuts the server down). */
  readonly onShutdown?: () => void;
  /** A component threw: the dashboard is gone, the host shuts down. */
  readonly onCrash: (error: Error) => void;
  /** A replay's clock: the dashboard shows a recorded run, with the replay's keys. */
  readonly replay?: ReplayControls;
};

const exitWaitMs = 1000;

/** Ink's `stdin` option names a ReadStream; it uses only what the key-by-key input has. */
function asInkInput(input: KeyByKeyInput): NodeJS.ReadStream {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- read, raw mode, ref, unref and encoding are there
  return input as unknown as NodeJS.ReadStream;
}

/** Draws the dashboard on the terminal. Loaded with Ink and React only when there is one to draw. */
export function showDashboard(
  engine: EngineView,
  options: ShowDashboardOptions,
): DashboardScreen {
  // Keys that arrive in one read are handed over one at a time, each to whoever listens then.
  const input = process.stdin.isTTY
    ? new KeyByKeyInput(process.stdin)
    : undefined;
  const ink = render(
    <ErrorBoundary onError={options.onCrash}>
      <Dashboard
        engine={engine}
        replay={options.replay}
        input={input}
        onQuit={options.onQuit}
        onShutdown={options.onShutdown}
      />
    </ErrorBoundary>,
    // Frames come from the engine ten times a second; Ink's own limit only has to let them through.
    {
      exitOnCtrlC: false,
      patchConsole: false,
      maxFps: 30,
      stdin: input === undefined ? process.stdin : asInkInput(input),
    },
  );
  let closing: Promise<void> | undefined;
  return {
    async close() {
      closing ??= (async () => {
        ink.unmount();
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          ink.waitUntilExit().catch(() => undefined),
          new Promise<void>((resolve) => {
            timer = setTimeout(resolve, exitWaitMs);
          }),
        ]);
        clearTimeout(timer);
      })();
      return closing;
    },
  };
}
