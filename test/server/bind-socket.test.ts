import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import {once} from 'node:events';
import test from 'node:test';
import {BindError, bindSocket} from '../../source/server/bind-socket.js';

async function occupy(port = 0): Promise<dgram.Socket> {
  const socket = dgram.createSocket('udp4');
  socket.bind(port, '127.0.0.1');
  await once(socket, 'listening');
  return socket;
}

/** Two neighbouring free ports: a busy one and the next one after it. */
async function busyPortWithFreeNext(): Promise<{
  busy: dgram.Socket;
  port: number;
}> {
  for (;;) {
    const busy = await occupy();
    const {port} = busy.address();
    if (port < 65_535) {
      try {
        const probe = await occupy(port + 1);
        probe.close();
        return {busy, port};
      } catch {
        // The next port is taken too: try another pair.
      }
    }

    busy.close();
  }
}

test('a busy default port moves on to the next free one', async () => {
  const {busy, port} = await busyPortWithFreeNext();
  try {
    const bound = await bindSocket({
      host: '127.0.0.1',
      port,
      explicitPort: false,
    });
    assert.equal(bound.port, port + 1);
    bound.socket.close();
  } finally {
    busy.close();
  }
});

test('a busy port the user named is an error that names the port', async () => {
  const busy = await occupy();
  const {port} = busy.address();
  try {
    await assert.rejects(
      bindSocket({host: '127.0.0.1', port, explicitPort: true}),
      (error: unknown) => {
        assert.ok(error instanceof BindError);
        assert.match(
          error.message,
          new RegExp(`port ${port} is already in use`, 'v'),
        );
        assert.match(error.message, /pick another/v);
        return true;
      },
    );
  } finally {
    busy.close();
  }
});

test('an address that is not on this machine is a clear error', async () => {
  await assert.rejects(
    bindSocket({host: '192.0.2.123', port: 0, explicitPort: true}),
    (error: unknown) => {
      assert.ok(error instanceof BindError);
      assert.match(error.message, /no such address on this machine/v);
      return true;
    },
  );
});

test('IPv6 any-address also takes IPv4', async () => {
  const bound = await bindSocket({host: '::', port: 0, explicitPort: true});
  try {
    const message = once(bound.socket, 'message');
    const client = dgram.createSocket('udp4');
    client.send('1', bound.port, '127.0.0.1');
    const [payload, remote] = (await message) as [Buffer, dgram.RemoteInfo];
    assert.equal(payload.toString(), '1');
    assert.match(remote.address, /127\.0\.0\.1$/v);
    client.close();
  } finally {
    bound.socket.close();
  }
});
