import {once} from 'node:events';
import {Worker} from 'node:worker_threads';
import {demoBehaviourFor} from './demo-behaviours.js';
import {
  defaultDemoCount,
  type DemoFleet,
  type DemoFleetCounts,
} from './demo-fleet.js';

/** What the demo's thread is started with: plain data, as a worker takes it. */
export type DemoThreadData = {
  readonly host: string;
  readonly port: number;
  readonly count: number;
};

/** What the demo's thread reports: its counts now and then, and once more when stopped. */
export type DemoThreadMessage = DemoFleetCounts & {
  readonly type: 'counts' | 'stopped';
};

/** How long `stop` waits for the thread to close its sockets before it ends the thread. */
const stopWaitMs = 1000;

/**
 * The demo's simulated clients (`startDemoFleet`) on a worker thread of their own, so that the
 * dashboard's frames on the main thread never delay their heartbeats (a frame late enough would
 * make a 10 Hz client late, or stopped, and fire the alert hooks for nothing). The thread holds no
 * handle that keeps the process alive; a failure in it ends the demo quietly, never the server.
 */
export function startDemoThread(options: {
  readonly host: string;
  readonly port: number;
  readonly count?: number;
}): DemoFleet {
  const count = options.count ?? defaultDemoCount;
  const data: DemoThreadData = {host: options.host, port: options.port, count};
  // The worker's module sits beside this one.
  const worker = new Worker(new URL('demo-worker.js', import.meta.url), {
    workerData: data,
  });
  worker.unref();
  let counts: DemoFleetCounts = {sent: 0, replies: 0};
  let exited = false;
  worker.on('message', (message: DemoThreadMessage) => {
    counts = {sent: message.sent, replies: message.replies};
  });
  worker.on('error', () => undefined);
  worker.on('exit', () => {
    exited = true;
  });
  let stopping: Promise<void> | undefined;
  return {
    behaviours: Array.from(
      {length: count},
      (_, index) => demoBehaviourFor(index).name,
    ),
    counts: () => counts,
    async stop() {
      stopping ??= (async () => {
        if (exited) {
          return;
        }

        const exit = once(worker, 'exit');
        worker.postMessage('stop');
        const timer = setTimeout(() => {
          void worker.terminate();
        }, stopWaitMs);
        await exit;
        clearTimeout(timer);
      })();
      return stopping;
    },
  };
}
