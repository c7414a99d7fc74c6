/*
Resident memory with many tracked clients: the headless server, measured idle, then after one
heartbeat from each of `clients` distinct sources. Ephemeral ports run out near 28000 per address,
so the sources are explicit ports on several loopback addresses (Linux routes all of 127/8 to lo).
*/
import {setTimeout as delay} from 'node:timers/promises';
import type {GeneratorClient} from './generator-client.js';
import type {SprayResult} from './generator-protocol.js';
import {sampleProcess} from './proc-stats.js';
import {startAndWait, type Paths} from './scenario.js';

export type MemoryResult = {
  /** Distinct sources whose heartbeat was answered: clients the server tracks. */
  readonly clients: number;
  readonly idleRssBytes: number;
  /** Shortly after the last heartbeat. */
  readonly rssAfterBytes: number;
  /** After the clients have gone late and stopped (their state changes printed). */
  readonly rssSettledBytes: number;
  /** (the larger of the two) − idle, per client. */
  readonly perClientBytes: number;
  readonly spray: SprayResult;
  readonly sourceAddresses: readonly string[];
};

/** 127.0.0.2 … : enough addresses for `clients` sources of `portsPerAddress` ports each, and one spare. */
export function loopbackSources(
  clients: number,
  portsPerAddress: number,
): string[] {
  const count = Math.ceil(clients / portsPerAddress) + 1;
  return Array.from({length: count}, (_, index) => `127.0.0.${index + 2}`);
}

export async function measureMemory(
  generator: GeneratorClient,
  paths: Paths,
  {clients, settleMs}: {readonly clients: number; readonly settleMs: number},
  log: (line: string) => void,
): Promise<MemoryResult> {
  const server = await startAndWait('headless', paths);
  try {
    await generator.watch([server.pid]);
    // Let the freshly started process settle before calling it idle.
    await delay(1000);
    const idle = sampleProcess(server.pid, server.port, {sockets: false});
    // Below the ephemeral range, so that no port is taken by a socket of the moment.
    const firstPort = 20_000;
    const lastPort = 31_999;
    const sourceAddresses = loopbackSources(clients, lastPort - firstPort + 1);
    log(`  ${clients} clients from ${sourceAddresses.length} addresses`);
    const spray = await generator.spray({
      host: '127.0.0.1',
      port: server.port,
      count: clients,
      sourceAddresses,
      firstPort,
      lastPort,
      concurrency: 256,
      timeoutMs: 2000,
    });
    await delay(1000);
    const after = sampleProcess(server.pid, server.port, {sockets: false});
    await delay(settleMs);
    const settled = sampleProcess(server.pid, server.port, {sockets: false});
    if (!server.isAlive()) {
      throw new Error(`the server exited\n${server.tail().slice(-800)}`);
    }

    const peak = Math.max(after.rssBytes, settled.rssBytes);
    return {
      clients: spray.answered,
      idleRssBytes: idle.rssBytes,
      rssAfterBytes: after.rssBytes,
      rssSettledBytes: settled.rssBytes,
      perClientBytes: (peak - idle.rssBytes) / Math.max(1, spray.answered),
      spray,
      sourceAddresses,
    };
  } finally {
    await server.stop(15_000);
    await generator.watch([]).catch(() => undefined);
  }
}
