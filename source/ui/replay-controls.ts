/** Where a replay's clock is, as its dashboard shows it. */
export type ReplayStatus = {
  /** Times faster than recorded; 0 as fast as it can. */
  readonly speed: number;
  readonly paused: boolean;
  /** The log has been played to its end: the screen shows how the run ended. */
  readonly ended: boolean;
};

/** What a replay's dashboard may do to the replay: its clock, never the recording. */
export type ReplayControls = {
  /** For `useSyncExternalStore`: called when the status changes. */
  subscribe(listener: () => void): () => void;
  getStatus(): ReplayStatus;
  togglePause(): void;
  /** Doubles or halves the speed. */
  changeSpeed(faster: boolean): void;
};

/** `x1`, `x0.5`, `max`. */
export function formatSpeed(speed: number): string {
  return speed === 0 ? 'max' : `x${Number(speed.toPrecision(3))}`;
}

function pad(value: number, length = 2): string {
  return String(value).padStart(length, '0');
}

/** The recorded time in the header: local date and time to the millisecond. */
export function formatRecordedTime(time: number): string {
  if (!Number.isFinite(time)) {
    return '-';
  }

  const date = new Date(time);
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}
