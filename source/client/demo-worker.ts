/*
The demo's simulated clients on a thread of their own (see demo-thread.ts): a frame of the dashboard
on the main thread never holds a demo heartbeat back into a false late or stopped.
*/
import {parentPort, workerData} from 'node:worker_threads';
import {startDemoFleet} from './demo-fleet.js';
import type {DemoThreadData, DemoThreadMessage} from './demo-thread.js';

// eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- demo-thread.ts sends this type
const options = workerData as DemoThreadData;
const fleet = startDemoFleet(options);
const post = (message: DemoThreadMessage) => {
  parentPort?.postMessage(message);
};

const reporter = setInterval(() => {
  post({type: 'counts', ...fleet.counts()});
}, 250);

async function stop(): Promise<void> {
  clearInterval(reporter);
  await fleet.stop();
  post({type: 'stopped', ...fleet.counts()});
  parentPort?.close();
}

parentPort?.on('message', (message: unknown) => {
  if (message === 'stop') {
    void stop();
  }
});
