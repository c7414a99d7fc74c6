/*
Start-up as a user meets it: how long after launch a headless server has bound its socket (its
`start` line, written once the socket is bound), and how long after launch `udp-heartbeat client`
has sent its first heartbeat (when a socket here receives it). Each against `node -e 0` (launch to
exit) measured in the same run, launch by launch in turn, so that a busy machine slows all three
alike. Medians of a few launches.
*/
import {spawn} from 'node:child_process';
import dgram from 'node:dgram';
import {once} from 'node:events';
import process from 'node:process';
import {median} from './stats.js';

export type StartupResult = {
  readonly headlessBindMs: number;
  readonly clientFirstHeartbeatMs: number;
  /** `node -e 0`, launch to exit: what Node itself costs before any of the program runs. */
  readonly nodeBaselineMs: number;
  readonly launches: number;
};

async function nodeBaselineMs(): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, ['-e', '0'], {stdio: 'ignore'});
  await once(child, 'exit');
  return performance.now() - started;
}

async function freePort(): Promise<number> {
  const socket = dgram.createSocket('udp4');
  socket.bind(0, '127.0.0.1');
  await once(socket, 'listening');
  const {port} = socket.address();
  await new Promise<void>((resolve) => {
    socket.close(() => {
      resolve();
    });
  });
  return port;
}

async function headlessBindMs(cli: string): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [cli, '--output', 'text', '--port', String(port), '--idle-timeout', '0'],
    {stdio: ['ignore', 'pipe', 'ignore']},
  );
  let output = '';
  const bound = await new Promise<number>((resolve, reject) => {
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      output += chunk;
      if (output.includes(' start ')) {
        resolve(performance.now() - started);
      }
    });
    child.once('exit', () => {
      reject(new Error(`the server exited before binding: ${output}`));
    });
  });
  child.kill('SIGTERM');
  await once(child, 'exit');
  return bound;
}

async function clientFirstHeartbeatMs(cli: string): Promise<number> {
  const socket = dgram.createSocket('udp4');
  socket.bind(0, '127.0.0.1');
  await once(socket, 'listening');
  const {port} = socket.address();
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [cli, 'client', '--port', String(port), '--count', '1', '--timeout', '0.2'],
    {stdio: 'ignore'},
  );
  const [, elapsed] = await Promise.all([
    once(child, 'exit'),
    new Promise<number>((resolve) => {
      socket.once('message', () => {
        resolve(performance.now() - started);
      });
    }),
  ]);
  socket.close();
  return elapsed;
}

export async function measureStartup(
  cli: string,
  launches = 5,
): Promise<StartupResult> {
  const binds: number[] = [];
  const firsts: number[] = [];
  const bases: number[] = [];
  for (let launch = 0; launch < launches; launch++) {
    bases.push(await nodeBaselineMs());
    binds.push(await headlessBindMs(cli));
    firsts.push(await clientFirstHeartbeatMs(cli));
  }

  return {
    headlessBindMs: median(binds),
    clientFirstHeartbeatMs: median(firsts),
    nodeBaselineMs: median(bases),
    launches,
  };
}
