/**
 * The baseline: a bare node:dgram server that answers every datagram with a fixed short text, the
 * ceiling for any Node server on this machine. It runs as plain `node` (no TypeScript loader), as
 * the built CLI does, and asks for the same receive buffer as the CLI so that kernel drops compare
 * like with like. The port is its first argument.
 */
export const echoServerSource = `
import dgram from 'node:dgram';
const reply = Buffer.from('ok');
const socket = dgram.createSocket({type: 'udp4', recvBufferSize: 8 * 1024 * 1024});
socket.on('message', (_request, remote) => {
  socket.send(reply, remote.port, remote.address);
});
socket.bind(Number(process.argv[1]), '0.0.0.0');
process.on('SIGTERM', () => process.exit(0));
`;

/** The arguments to give `node` to run the baseline on `port`. */
export function echoServerArguments(port: number): string[] {
  return ['--input-type=module', '--eval', echoServerSource, String(port)];
}
