import type {Clock} from '../clock.js';
import type {StoreView} from '../store/store-view.js';

/** What the dashboard reads. It never touches the socket. */
export type DashboardSource = {
  readonly store: StoreView;
  readonly clock: Clock;
  /** Where the server listens, as shown: `0.0.0.0:12000`, `[::]:12000`. */
  readonly listening: string;
  readonly startedAt: number;
  /** The simulated loss in percent, now. */
  loss(): number;
  /** True once the loss has been changed while running (the header highlights it). */
  lossChanged(): boolean;
  readonly logFile: string | undefined;
  /** The latest log write error, if any (shown in the header). */
  logError(): string | undefined;
  /** Milliseconds of silence while the idle prompt should show; undefined when it should not. */
  idleSilenceMs(): number | undefined;
};

/** What the dashboard's keys may do: commands on the server and store, nothing else. */
export type DashboardController = {
  setLoss(percent: number): void;
  resetCounters(): void;
  forgetStopped(): void;
  /** Hide the idle prompt until another full idle period passes. */
  dismissIdle(): void;
  /** Shut down (`q`, Ctrl+C, `y` at the idle prompt). */
  quit(): void;
};
