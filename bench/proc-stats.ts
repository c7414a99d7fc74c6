/*
What the kernel says about a process and about UDP, read from /proc (Linux). The parsers are pure,
so they are tested on captured text; the readers are one synchronous read each, cheap enough to
call at the edges of a measured window without disturbing it.
*/
import {execFileSync} from 'node:child_process';
import {readFileSync} from 'node:fs';

/** CPU time of a process in clock ticks (utime + stime), from the text of /proc/PID/stat. */
export function parseCpuTicks(statText: string): number {
  // The command name may hold spaces and parentheses: the fields start after the last `)`.
  const fields = statText
    .slice(statText.lastIndexOf(')') + 2)
    .trim()
    .split(' ');
  // Fields 14 (utime) and 15 (stime), counted from 1 with the pid and name as 1 and 2.
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) {
    throw new TypeError('unreadable /proc/PID/stat');
  }

  return utime + stime;
}

/** A `Vm…` figure of /proc/PID/status in bytes (VmRSS, VmHWM), or undefined when absent. */
export function parseStatusBytes(
  statusText: string,
  field: string,
): number | undefined {
  const match = new RegExp(String.raw`^${field}:\s+(\d+) kB$`, 'mv').exec(
    statusText,
  );
  return match ? Number(match[1]) * 1024 : undefined;
}

/** The `Udp:` counters of /proc/net/snmp by name (InDatagrams, RcvbufErrors …). */
export function parseUdpCounters(snmpText: string): Record<string, number> {
  const lines = snmpText.split('\n').filter((line) => line.startsWith('Udp: '));
  const counters: Record<string, number> = {};
  if (lines.length < 2) {
    return counters;
  }

  const names = lines[0]!.split(/\s+/v).slice(1);
  const values = lines[1]!.split(/\s+/v).slice(1);
  for (const [index, name] of names.entries()) {
    counters[name] = Number(values[index]);
  }

  return counters;
}

/** Drops and queued bytes of the UDP sockets bound to one local port. */
export type SocketCounters = {
  /** Datagrams the kernel dropped for these sockets (a full receive buffer, mostly). */
  readonly drops: number;
  /** Bytes waiting in their receive queues. */
  readonly queuedBytes: number;
  /** How many sockets matched. */
  readonly sockets: number;
};

/** Sums the `drops` and `rx_queue` columns of /proc/net/udp (or udp6) rows whose local port is `port`. */
export function parseSocketCounters(
  udpText: string,
  port: number,
): SocketCounters {
  let drops = 0;
  let queuedBytes = 0;
  let sockets = 0;
  for (const line of udpText.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/v);
    if (fields.length < 13) {
      continue;
    }

    const localPort = Number.parseInt(fields[1]!.split(':')[1] ?? '', 16);
    if (localPort !== port) {
      continue;
    }

    sockets++;
    queuedBytes += Number.parseInt(fields[4]!.split(':')[1] ?? '0', 16);
    drops += Number(fields.at(-1));
  }

  return {drops, queuedBytes, sockets};
}

/** Busy and total CPU time of the whole machine in clock ticks, from the first line of /proc/stat. */
export function parseMachineTicks(statText: string): {
  busy: number;
  total: number;
} {
  const line = statText.split('\n', 1)[0] ?? '';
  // user nice system idle iowait irq softirq steal …: idle and iowait are the only idle ones.
  const ticks = line.trim().split(/\s+/v).slice(1, 9).map(Number);
  const total = ticks.reduce((sum, value) => sum + value, 0);
  return {busy: total - (ticks[3] ?? 0) - (ticks[4] ?? 0), total};
}

let ticksPerSecond: number | undefined;

/** USER_HZ, the unit of /proc/PID/stat times (100 nearly everywhere). */
export function clockTicksPerSecond(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond =
        Number(execFileSync('getconf', ['CLK_TCK'], {encoding: 'utf8'})) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }

  return ticksPerSecond;
}

/** The server's figures at one instant, and the system's UDP counters beside them. */
export type ProcSample = {
  /** Wall-clock milliseconds since the epoch. */
  readonly time: number;
  /** CPU seconds the process has used so far (user + system). */
  readonly cpuSeconds: number;
  readonly rssBytes: number;
  /** Drops of the server's own socket (its port), from /proc/net/udp and udp6. */
  readonly socketDrops: number;
  /** The whole system's UDP receive-buffer errors, from /proc/net/snmp. */
  readonly rcvbufErrors: number;
  /** CPU seconds the whole machine has been busy, all cores together. */
  readonly machineBusySeconds: number;
};

function readOr(path: string, fallback: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return fallback;
  }
}

/**
 * Reads one sample of process `pid` listening on UDP `port`; CPU and RSS are NaN once it is gone.
 * The kernel writes /proc/net/udp afresh for every read, a line per socket: with 10000 sockets open
 * that takes a good part of a second, so socket drops are read only when `sockets` is true (before
 * and after a phase, never at the edge of a measured window); they are NaN otherwise.
 */
export function sampleProcess(
  pid: number,
  port: number,
  {sockets}: {readonly sockets: boolean},
): ProcSample {
  const time = performance.timeOrigin + performance.now();
  const stat = readOr(`/proc/${pid}/stat`, '');
  const status = readOr(`/proc/${pid}/status`, '');
  const udp4 = sockets
    ? parseSocketCounters(readOr('/proc/net/udp', ''), port)
    : {drops: Number.NaN};
  const udp6 = sockets
    ? parseSocketCounters(readOr('/proc/net/udp6', ''), port)
    : {drops: 0};
  const snmp = parseUdpCounters(readOr('/proc/net/snmp', ''));
  return {
    time,
    cpuSeconds:
      stat === '' ? Number.NaN : parseCpuTicks(stat) / clockTicksPerSecond(),
    rssBytes: parseStatusBytes(status, 'VmRSS') ?? Number.NaN,
    socketDrops: udp4.drops + udp6.drops,
    rcvbufErrors: snmp.RcvbufErrors ?? Number.NaN,
    machineBusySeconds:
      parseMachineTicks(readOr('/proc/stat', '')).busy / clockTicksPerSecond(),
  };
}

/** What changed between two samples of the same process. */
export type ProcDelta = {
  readonly seconds: number;
  /** CPU used over the window as a share of one core (1 = one core flat out). */
  readonly cpuCores: number;
  readonly rssBytes: number;
  readonly socketDrops: number;
  readonly rcvbufErrors: number;
  /** The whole machine's busy CPU over the window, in cores. */
  readonly machineCores: number;
};

export function procDelta(before: ProcSample, after: ProcSample): ProcDelta {
  const seconds = (after.time - before.time) / 1000;
  return {
    seconds,
    cpuCores: (after.cpuSeconds - before.cpuSeconds) / seconds,
    rssBytes: after.rssBytes,
    socketDrops: after.socketDrops - before.socketDrops,
    rcvbufErrors: after.rcvbufErrors - before.rcvbufErrors,
    machineCores:
      (after.machineBusySeconds - before.machineBusySeconds) / seconds,
  };
}
