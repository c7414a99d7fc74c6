/*
What watches the server from outside the dashboard: the Prometheus endpoint and the alert hooks.
Both live on the host's thread and read the engine through its interface only: the latest snapshot
for a scrape, the notable events for the hooks, and a `hook-error` command back.
*/
import type {ServerOptions} from '../config/server-options.js';
import type {EngineHandle} from '../engine/types.js';
import {formatIsoTime} from '../output/format-time.js';
import type {MetricsServer} from '../output/metrics-server.js';

export type FleetWatch = {
  /** Starts feeding the hooks and answering scrapes from this engine. */
  attach(engine: EngineHandle): void;
  /** Lets running hooks finish (briefly), then stops the endpoint. */
  close(): Promise<void>;
};

/**
 * Binds `--metrics` first, so a bad or busy address fails before anything is served
 * (MetricsListenError). prom-client loads only when metrics are asked for, the hooks only when
 * one is.
 */
export async function startFleetWatch(
  options: ServerOptions,
  session: string,
): Promise<FleetWatch> {
  let engine: EngineHandle | undefined;
  // The hooks load only when one is asked for, as prom-client does below.
  const hookModule =
    options.onChange === undefined && options.webhook === undefined
      ? undefined
      : await import('./alert-hooks.js');
  const hooks =
    hookModule === undefined
      ? undefined
      : new hookModule.AlertHooks({
          command: options.onChange,
          webhook:
            options.webhook === undefined
              ? undefined
              : new URL(options.webhook),
          alertOn: new Set(options.alertOn),
          session,
          timeoutMs: options.hookTimeoutMs,
          formatTime: formatIsoTime,
          now: () => Date.now(),
          onError(message) {
            engine?.send({type: 'hook-error', detail: message});
          },
        });

  let metrics: MetricsServer | undefined;
  if (options.metrics !== undefined) {
    const [{createMetricsRegistry}, {startMetricsServer}, {metricsReading}] =
      await Promise.all([
        import('../output/metrics.js'),
        import('../output/metrics-server.js'),
        import('../output/metrics-reading.js'),
      ]);
    metrics = await startMetricsServer(
      options.metrics,
      createMetricsRegistry(() => {
        if (engine === undefined) {
          throw new Error('the server is still starting');
        }

        return metricsReading(engine.getSnapshot(), hooks?.status());
      }),
    );
  }

  return {
    attach(started) {
      engine = started;
      if (hooks !== undefined) {
        started.onEvents((events) => {
          hooks.setMuted(started.getSnapshot().muted);
          for (const event of events) {
            hooks.handle(event);
          }
        });
      }
    },
    async close() {
      await hooks?.close(1000);
      await metrics?.close();
    },
  };
}
