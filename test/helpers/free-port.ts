import dgram from 'node:dgram';
import {once} from 'node:events';

/** A UDP port that was free a moment ago, for starting the CLI on a port of its own. */
export async function freePort(): Promise<number> {
  const socket = dgram.createSocket('udp4');
  socket.bind(0, '0.0.0.0');
  await once(socket, 'listening');
  const {port} = socket.address();
  await new Promise<void>((resolve) => {
    socket.close(() => {
      resolve();
    });
  });
  return port;
}
