/** Wall-clock milliseconds since the Unix epoch, with sub-millisecond precision where known. Injected everywhere so tests are exact. */
export type Clock = () => number;

const originMs = performance.timeOrigin;

/** The real clock: the process's monotonic high-resolution time anchored to the wall clock at start. */
export const systemClock: Clock = () => originMs + performance.now();
