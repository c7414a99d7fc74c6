/*
The engine's thread, when the dashboard is on: started by worker-engine.ts, it runs the same engine
as the headless server and speaks to the host only in messages (worker-messages.ts).
*/
import process from 'node:process';
import {parentPort, workerData} from 'node:worker_threads';
import {parseAllowList} from '../server/allow-list.js';
import {BindError} from '../server/bind-socket.js';
import {faultInjected} from '../fault-injection.js';
import {LogOpenError} from './csv-log.js';
import {startEngine, type StartedEngine} from './start-engine.js';
import type {
  EngineMessage,
  HostMessage,
  StartError,
  WorkerOptions,
} from './worker-messages.js';

const port = parentPort!;
// What worker-engine.ts passes: its type is the contract between the two files.
// eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion
const {allowText, session, query, ...flags} = workerData as WorkerOptions;

function post(message: EngineMessage): void {
  port.postMessage(message);
}

function startError(error: unknown): StartError {
  if (error instanceof BindError) {
    return {kind: 'bind', message: error.message};
  }

  if (error instanceof LogOpenError) {
    return {kind: 'log', path: error.path, message: error.message};
  }

  return {
    kind: 'other',
    message: error instanceof Error ? error.message : String(error),
  };
}

let started: StartedEngine | undefined;

// Whatever throws on this thread: close the socket, flush the log, tell the host, end the thread.
let failing = false;
process.on('uncaughtException', (error) => {
  if (failing) {
    return;
  }

  failing = true;
  const message = error instanceof Error ? error.message : String(error);
  const finish = () => {
    post({type: 'failed', message});
    process.exit(70);
  };

  if (started === undefined) {
    finish();
    return;
  }

  // The log is flushed by the engine's stop; the summary rows go in it as at any other shutdown.
  started.core.stop(started.close).then(finish, finish);
});

try {
  started = await startEngine(
    {
      ...flags,
      allow: allowText === undefined ? undefined : parseAllowList(allowText),
    },
    {session, query},
  );
} catch (error) {
  post({type: 'start-error', error: startError(error)});
  process.exit(0);
}

const {core, close} = started;
core.onSnapshot((snapshot) => {
  post({type: 'snapshot', snapshot});
});
core.onEvents((events) => {
  post({type: 'events', events});
});
port.on('message', (message: HostMessage) => {
  if (message.type === 'command') {
    core.apply(message.command);
    return;
  }

  core.stop(close).then((final) => {
    post({type: 'stopped', final});
    port.close();
  });
});
post({type: 'ready', info: core.info, snapshot: core.latest()});

if (faultInjected('engine')) {
  // Tests: the engine's thread dies once it has seen a few heartbeats.
  const timer = setInterval(() => {
    if (core.store.totals.received >= 3) {
      clearInterval(timer);
      throw new Error('injected engine fault');
    }
  }, 50);
}
