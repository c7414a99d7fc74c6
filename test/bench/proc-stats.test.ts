import test from 'node:test';
import assert from 'node:assert/strict';
import {
  parseCpuTicks,
  parseMachineTicks,
  parseSocketCounters,
  parseStatusBytes,
  parseUdpCounters,
  procDelta,
  type ProcSample,
} from '../../bench/proc-stats.js';

test('parseCpuTicks adds utime and stime, even when the name holds spaces and parentheses', () => {
  const stat =
    '4242 (node (a) b) S 1 4242 4242 0 -1 4194560 2000 0 0 0 1234 567 0 0 20 0 11 0 100 1000000 5000 18446744073709551615';
  assert.equal(parseCpuTicks(stat), 1234 + 567);
  assert.throws(() => parseCpuTicks('4242 (x) S 1'), TypeError);
});

test('parseStatusBytes reads a kB figure of /proc/PID/status in bytes', () => {
  const status =
    'Name:\tnode\nVmHWM:\t  204800 kB\nVmRSS:\t  102400 kB\nThreads:\t11\n';
  assert.equal(parseStatusBytes(status, 'VmRSS'), 102_400 * 1024);
  assert.equal(parseStatusBytes(status, 'VmHWM'), 204_800 * 1024);
  assert.equal(parseStatusBytes(status, 'VmSwap'), undefined);
});

test('parseUdpCounters pairs the names and values of the Udp lines', () => {
  const snmp = [
    'Ip: Forwarding DefaultTTL',
    'Ip: 1 64',
    'Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors IgnoredMulti MemErrors',
    'Udp: 51602 7166 3 58783 3 0 0 0 0',
    'UdpLite: InDatagrams NoPorts',
    'UdpLite: 0 0',
  ].join('\n');
  const counters = parseUdpCounters(snmp);
  assert.equal(counters.RcvbufErrors, 3);
  assert.equal(counters.InDatagrams, 51_602);
  assert.deepEqual(parseUdpCounters(''), {});
});

test('parseSocketCounters sums drops and queued bytes of the sockets on one local port', () => {
  const udp = [
    '   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops',
    // 0.0.0.0:12000, 0x100 bytes queued, 7 drops.
    ' 1234: 00000000:2EE0 00000000:0000 07 00000000:00000100 00:00000000 00000000     0        0 1001 2 0000000000000000 7',
    // A client connected to 12000 from 40000: its local port is not 12000.
    ' 1235: 0100007F:9C40 0100007F:2EE0 01 00000000:00000000 00:00000000 00000000     0        0 1002 2 0000000000000000 5',
    // Another socket on 12000 (another address).
    ' 1236: 0200007F:2EE0 00000000:0000 07 00000000:00000010 00:00000000 00000000     0        0 1003 2 0000000000000000 1',
  ].join('\n');
  assert.deepEqual(parseSocketCounters(udp, 12_000), {
    drops: 8,
    queuedBytes: 256 + 16,
    sockets: 2,
  });
  assert.deepEqual(parseSocketCounters(udp, 40_000), {
    drops: 5,
    queuedBytes: 0,
    sockets: 1,
  });
  assert.deepEqual(parseSocketCounters(udp, 1), {
    drops: 0,
    queuedBytes: 0,
    sockets: 0,
  });
});

test('parseMachineTicks counts everything but idle and iowait as busy', () => {
  assert.deepEqual(
    parseMachineTicks('cpu  100 5 50 1000 20 1 2 3 0 0\ncpu0 1 2 3 4\n'),
    {busy: 100 + 5 + 50 + 1 + 2 + 3, total: 1181},
  );
});

test('procDelta turns two samples into cores, drops and the last RSS', () => {
  const before: ProcSample = {
    time: 1000,
    cpuSeconds: 10,
    rssBytes: 1,
    socketDrops: 4,
    rcvbufErrors: 10,
    machineBusySeconds: 100,
  };
  const after: ProcSample = {
    time: 3000,
    cpuSeconds: 11.5,
    rssBytes: 2,
    socketDrops: 6,
    rcvbufErrors: 13,
    machineBusySeconds: 103,
  };
  assert.deepEqual(procDelta(before, after), {
    seconds: 2,
    cpuCores: 0.75,
    rssBytes: 2,
    socketDrops: 2,
    rcvbufErrors: 3,
    machineCores: 1.5,
  });
});
