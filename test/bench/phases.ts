import {withOtherLoad, type MeasuredPhase} from '../../bench/combine.js';
import type {PhaseResult} from '../../bench/generator-protocol.js';

/** A phase of one second from t = 0, with plausible figures; `overrides` sets what a test cares about. */
export function phase(
  overrides: Partial<PhaseResult> & {
    readonly serverCpu?: number;
    readonly machineCores?: number;
    readonly socketDrops?: number;
  } = {},
): MeasuredPhase {
  const {
    serverCpu = 1,
    machineCores = 1.5,
    socketDrops = 0,
    ...rest
  } = overrides;
  const result: PhaseResult = {
    windowStart: 0,
    windowEnd: 1000,
    offered: 20_000,
    sent: 20_000,
    replied: 20_000,
    lost: 0,
    stray: 0,
    sendErrors: 0,
    repliesPerSecond: 20_000,
    rtt: {count: 20_000, p50: 0.5, p99: 2, max: 3},
    generatorCpuCores: 0.5,
    generatorBusyShare: Number.NaN,
    generatorMaxLagMs: 0,
    server: {
      seconds: 1,
      cpuCores: serverCpu,
      rssBytes: 50 * 1024 * 1024,
      socketDrops,
      rcvbufErrors: socketDrops,
      machineCores,
    },
    ...rest,
  };
  return withOtherLoad(result);
}
