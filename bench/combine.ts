import type {PhaseResult} from './generator-protocol.js';
import {median} from './stats.js';

/** A phase with the share of the machine that neither the server nor the generator used. */
export type MeasuredPhase = PhaseResult & {
  /** Cores busy with anything else (other processes, this benchmark's own process, kernel threads). */
  readonly otherCores: number;
};

export function withOtherLoad(result: PhaseResult): MeasuredPhase {
  const {server} = result;
  const otherCores =
    server === undefined
      ? Number.NaN
      : Math.max(
          0,
          server.machineCores - server.cpuCores - result.generatorCpuCores,
        );
  return {...result, otherCores};
}

/** Several short closed-loop segments of one server, taken in turns with the other servers. */
export type Saturation = {
  readonly segments: readonly MeasuredPhase[];
  /** Measured seconds, all segments together. */
  readonly seconds: number;
  readonly replied: number;
  readonly repliesPerSecond: number;
  /** Cores, as averages over the measured time. */
  readonly serverCpuCores: number;
  readonly generatorCpuCores: number;
  /** What a polling generator spent on replies, as a share of the time; NaN when it slept. */
  readonly generatorBusyShare: number;
  readonly otherCores: number;
  readonly machineCores: number;
  /** Medians of the segments' round-trip percentiles, in milliseconds. */
  readonly rttP50: number;
  readonly rttP99: number;
  readonly lost: number;
  readonly stray: number;
  readonly socketDrops: number;
};

/** Adds up the segments: totals over total time, so a long segment weighs more than a short one. */
export function combineSegments(
  segments: readonly MeasuredPhase[],
): Saturation {
  let seconds = 0;
  let replied = 0;
  let serverCpu = 0;
  let generatorCpu = 0;
  let generatorBusy = 0;
  let otherCpu = 0;
  let machineCpu = 0;
  let lost = 0;
  let stray = 0;
  let socketDrops = 0;
  for (const segment of segments) {
    const segmentSeconds = (segment.windowEnd - segment.windowStart) / 1000;
    seconds += segmentSeconds;
    replied += segment.replied;
    serverCpu += (segment.server?.cpuCores ?? Number.NaN) * segmentSeconds;
    generatorCpu += segment.generatorCpuCores * segmentSeconds;
    generatorBusy += segment.generatorBusyShare * segmentSeconds;
    otherCpu += segment.otherCores * segmentSeconds;
    machineCpu += (segment.server?.machineCores ?? Number.NaN) * segmentSeconds;
    lost += segment.lost;
    stray += segment.stray;
    socketDrops += segment.server?.socketDrops ?? 0;
  }

  return {
    segments,
    seconds,
    replied,
    repliesPerSecond: seconds > 0 ? replied / seconds : Number.NaN,
    serverCpuCores: serverCpu / seconds,
    generatorCpuCores: generatorCpu / seconds,
    generatorBusyShare: generatorBusy / seconds,
    otherCores: otherCpu / seconds,
    machineCores: machineCpu / seconds,
    rttP50: median(segments.map((segment) => segment.rtt.p50)),
    rttP99: median(segments.map((segment) => segment.rtt.p99)),
    lost,
    stray,
    socketDrops,
  };
}

/**
 * Ratios of one server's segments to the baseline's taken in the same round: the machine's speed
 * drifts over tens of seconds, and a round is short enough that both saw the same machine.
 */
export function roundRatios(value: Saturation, baseline: Saturation): number[] {
  const rounds = Math.min(value.segments.length, baseline.segments.length);
  const ratios: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const base = baseline.segments[round]!.repliesPerSecond;
    if (base > 0) {
      ratios.push(value.segments[round]!.repliesPerSecond / base);
    }
  }

  return ratios;
}

/** The order in which the servers take their turns in `round`: rotated, so none is always first. */
export function turnOrder<T>(items: readonly T[], round: number): T[] {
  const shift = round % Math.max(1, items.length);
  return [...items.slice(shift), ...items.slice(0, shift)];
}
