/*
Viewers attached to a server's control socket, for the ten-viewer latency figure: each connects as
`udp-heartbeat attach` does, asks for a view of its own (a different sort, a terminal's rows) and
decodes every snapshot it is sent, as a dashboard would before drawing it. They do not draw: ten
Ink dashboards on a two-core machine would measure the machine's cores, not what viewers cost the
server. Prints `ready` once every viewer has its first snapshot; runs until killed.
*/
import {connect} from 'node:net';
import process from 'node:process';
import {setTimeout as delay} from 'node:timers/promises';
import {parseArgs} from 'node:util';
import {
  controlProtocolVersion,
  encodeFrame,
  FrameReader,
  maxServiceFrameBytes,
} from '../source/control/control-protocol.js';
import {sortColumns} from '../source/engine/types.js';

const {values} = parseArgs({
  options: {
    socket: {type: 'string'},
    viewers: {type: 'string', default: '10'},
    rows: {type: 'string', default: '40'},
  },
});
const socketPath = values.socket;
if (socketPath === undefined) {
  process.stderr.write('control-viewers: --socket PATH is required\n');
  process.exit(2);
}

const viewers = Number(values.viewers);
const rows = Number(values.rows);
const counts = {ready: 0, snapshots: 0};

/** Counts a snapshot; the first of each viewer counts it as ready. */
function received(first: boolean): void {
  counts.snapshots++;
  if (first) {
    counts.ready++;
    if (counts.ready === viewers) {
      process.stdout.write('ready\n');
    }
  }
}

function isSnapshot(message: unknown): boolean {
  return (
    typeof message === 'object' &&
    message !== null &&
    (message as {type?: unknown}).type === 'snapshot'
  );
}

async function attachOne(index: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      await new Promise<void>((resolve, reject) => {
        const socket = connect(socketPath!);
        const reader = new FrameReader(maxServiceFrameBytes);
        let first = true;
        socket.once('connect', () => {
          socket.write(
            encodeFrame({type: 'hello', version: controlProtocolVersion}),
          );
          socket.write(
            encodeFrame({
              type: 'view',
              query: {
                sort: sortColumns[index % sortColumns.length]!,
                descending: index % 2 === 1,
                filter: '',
                start: 0,
                count: rows,
              },
            }),
          );
          resolve();
        });
        socket.once('error', reject);
        socket.on('data', (chunk: Buffer) => {
          for (const message of reader.push(chunk)) {
            if (isSnapshot(message)) {
              received(first);
              first = false;
            }
          }
        });
      });
      return;
    } catch (error) {
      if (Date.now() > deadline) {
        throw error;
      }

      await delay(50);
    }
  }
}

await Promise.all(
  Array.from({length: viewers}, async (_, index) => attachOne(index)),
);
process.on('SIGTERM', () => {
  process.stderr.write(`control-viewers: ${counts.snapshots} snapshots\n`);
  process.exit(0);
});
