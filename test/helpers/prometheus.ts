import {spawn, spawnSync, type ChildProcess} from 'node:child_process';
import {once} from 'node:events';
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {createServer} from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {waitFor} from './wait-for.js';

/** Why a test that needs a real Prometheus skips, or false when the binary is here. */
export const prometheusMissing =
  spawnSync('prometheus', ['--version']).status === 0
    ? false
    : 'prometheus is not installed (Debian package prometheus; .ci/run installs it where apt-get works)';

/** Why a test that needs promtool skips, or false when it is here. */
export const promtoolMissing =
  spawnSync('promtool', ['--version']).status === 0
    ? false
    : 'promtool is not installed (Debian package prometheus)';

/** A TCP port that was free a moment ago. */
export async function freeTcpPort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise((resolve) => {
    server.close(resolve);
  });
  return port;
}

type QueryResult = {
  readonly status: string;
  readonly data: {
    readonly result: ReadonlyArray<{
      readonly metric: Record<string, string>;
      readonly value: readonly [number, string];
    }>;
  };
};

/** A real Prometheus on loopback that scrapes one target every second, with its own storage. */
export class PrometheusProcess {
  readonly #child: ChildProcess;
  readonly #directory: string;
  readonly url: string;
  log = '';

  private constructor(child: ChildProcess, directory: string, port: number) {
    this.#child = child;
    this.#directory = directory;
    this.url = `http://127.0.0.1:${port}`;
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      this.log = (this.log + chunk).slice(-4000);
    });
  }

  static async start(target: string): Promise<PrometheusProcess> {
    const directory = await mkdtemp(
      path.join(os.tmpdir(), 'udp-heartbeat-prom-'),
    );
    const config = path.join(directory, 'prometheus.yml');
    await writeFile(
      config,
      [
        'global:',
        '  scrape_interval: 1s',
        '  scrape_timeout: 1s',
        'scrape_configs:',
        '  - job_name: udp-heartbeat',
        '    static_configs:',
        `      - targets: ['${target}']`,
        '',
      ].join('\n'),
    );
    const port = await freeTcpPort();
    const child = spawn(
      'prometheus',
      [
        `--config.file=${config}`,
        `--storage.tsdb.path=${path.join(directory, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      {stdio: ['ignore', 'ignore', 'pipe']},
    );
    const prometheus = new PrometheusProcess(child, directory, port);
    await waitFor(
      async () => {
        try {
          const response = await fetch(`${prometheus.url}/-/ready`);
          return response.ok;
        } catch {
          return false;
        }
      },
      {
        timeoutMs: 30_000,
        intervalMs: 100,
        message: `Prometheus to be ready:\n${prometheus.log}`,
      },
    );
    return prometheus;
  }

  /** The value of an instant query's first series, once it has one. */
  async queryValue(expression: string): Promise<number | undefined> {
    const response = await fetch(
      `${this.url}/api/v1/query?query=${encodeURIComponent(expression)}`,
    );
    const body = (await response.json()) as QueryResult;
    const first = body.data.result[0];
    return first === undefined ? undefined : Number(first.value[1]);
  }

  async stop(): Promise<void> {
    if (this.#child.exitCode === null && this.#child.signalCode === null) {
      this.#child.kill('SIGTERM');
      await once(this.#child, 'exit');
    }

    await rm(this.#directory, {recursive: true, force: true});
  }
}
