import assert from 'node:assert/strict';
import {existsSync} from 'node:fs';
import {mkdtemp, readFile, rm} from 'node:fs/promises';
import http from 'node:http';
import {once} from 'node:events';
import type {AddressInfo, Socket} from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, test} from 'node:test';
import {
  AlertHooks,
  type AlertHooksOptions,
} from '../../source/alerts/alert-hooks.js';
import {formatIsoTime} from '../../source/output/format-time.js';
import type {HeartbeatEvent} from '../../source/vocabulary.js';
import {waitFor} from '../helpers/wait-for.js';

function stateChange(
  event: 'late' | 'stopped' | 'resumed',
  client = '127.0.0.1:40000',
  extra: Partial<HeartbeatEvent> = {},
): HeartbeatEvent {
  return {
    time: Date.UTC(2026, 11, 1, 9, 30, 0, 250),
    event,
    client,
    seq: undefined,
    delayMs: undefined,
    detail: undefined,
    state: event === 'resumed' ? 'alive' : event,
    silentMs: 3250,
    ...extra,
  };
}

let directory: string;
let hooks: AlertHooks | undefined;
const errors: string[] = [];

beforeEach(async () => {
  directory = await mkdtemp(path.join(os.tmpdir(), 'udp-heartbeat-hooks-'));
  errors.length = 0;
});

afterEach(async () => {
  await hooks?.close(0);
  hooks = undefined;
  await rm(directory, {recursive: true, force: true});
});

function makeHooks(options: Partial<AlertHooksOptions>): AlertHooks {
  hooks = new AlertHooks({
    command: undefined,
    webhook: undefined,
    alertOn: new Set(['stopped', 'resumed']),
    session: 'session-1',
    onError(message) {
      errors.push(message);
    },
    formatTime: formatIsoTime,
    now: () => Date.now(),
    ...options,
  });
  return hooks;
}

describe('--on-change', () => {
  test('runs the command through the shell with the alert in its environment', async () => {
    const out = path.join(directory, 'env.txt');
    const hooks = makeHooks({
      command: `env | grep '^HEARTBEAT_' | sort > "${out}"`,
    });
    hooks.handle(
      stateChange('stopped', '[2001:db8::1]:5000', {previousState: 'late'}),
    );
    // The shell creates the file before it writes to it: read it once the command has finished.
    await waitFor(() => hooks.status().delivered === 1, {
      message: 'the command to finish',
    });
    const text = await readFile(out, 'utf8');
    assert.deepEqual(text.trim().split('\n'), [
      'HEARTBEAT_CLIENT=[2001:db8::1]:5000',
      'HEARTBEAT_EVENT=stopped',
      'HEARTBEAT_PREVIOUS_STATE=late',
      'HEARTBEAT_SESSION=session-1',
      'HEARTBEAT_SILENT_MS=3250',
      'HEARTBEAT_STATE=stopped',
      `HEARTBEAT_TIME=${formatIsoTime(Date.UTC(2026, 11, 1, 9, 30, 0, 250))}`,
    ]);
    assert.deepEqual(errors, []);
  });

  test('what a client controls reaches the command as data, never as shell text', async () => {
    const out = path.join(directory, 'client.txt');
    const marker = path.join(directory, 'pwned');
    const hostile = `1.2.3.4:5"; touch ${marker}; echo "$(touch ${marker})\`touch ${marker}\``;
    const hooks = makeHooks({
      command: `printf '%s' "$HEARTBEAT_CLIENT" > "${out}"`,
    });
    hooks.handle(stateChange('stopped', hostile));
    await waitFor(() => hooks.status().delivered === 1);
    assert.equal(await readFile(out, 'utf8'), hostile);
    assert.equal(existsSync(marker), false);
  });

  test('a named client: its name is HEARTBEAT_NAME, data and never shell text', async () => {
    const out = path.join(directory, 'name.txt');
    const marker = path.join(directory, 'pwned');
    // What a name may hold: no control character, but every shell metacharacter.
    const hostile = `boiler"; touch ${marker}; $(touch ${marker})`;
    const hooks = makeHooks({
      command: `printf '%s|%s' "$HEARTBEAT_NAME" "$HEARTBEAT_CLIENT" > "${out}"`,
    });
    hooks.handle(stateChange('stopped', '127.0.0.1:40000', {name: hostile}));
    await waitFor(() => hooks.status().delivered === 1);
    assert.equal(await readFile(out, 'utf8'), `${hostile}|127.0.0.1:40000`);
    assert.equal(existsSync(marker), false);
  });

  test('only the states --alert-on names fire, and none while muted', async () => {
    const out = path.join(directory, 'events.txt');
    const hooks = makeHooks({
      command: `echo "$HEARTBEAT_EVENT" >> "${out}"`,
      alertOn: new Set(['late']),
    });
    hooks.handle(stateChange('stopped'));
    hooks.handle(stateChange('resumed'));
    hooks.setMuted(true);
    hooks.handle(stateChange('late', '127.0.0.1:1'));
    assert.equal(hooks.status().queued + hooks.status().running, 0);
    hooks.setMuted(false);
    hooks.handle(stateChange('late', '127.0.0.1:2'));
    hooks.handle({...stateChange('late'), event: 'replied'});
    await waitFor(() => hooks.status().delivered === 1);
    assert.equal(await readFile(out, 'utf8'), 'late\n');
  });

  test('a failing command is a hook error with its exit status and last words', async () => {
    const hooks = makeHooks({command: 'echo "no route to pager" >&2; exit 3'});
    hooks.handle(stateChange('stopped'));
    await waitFor(() => errors.length === 1);
    assert.match(
      errors[0]!,
      /^--on-change for 127\.0\.0\.1:40000 stopped: exit status 3 \(no route to pager\)$/v,
    );
    assert.equal(hooks.status().failed, 1);
  });

  test('a command that hangs is stopped at its time limit, with whatever it started', async () => {
    const pidFile = path.join(directory, 'pid');
    const hooks = makeHooks({
      command: `sleep 30 & echo $! > "${pidFile}"; wait`,
      timeoutMs: 300,
    });
    hooks.handle(stateChange('stopped'));
    await waitFor(() => errors.length === 1, {timeoutMs: 5000});
    assert.match(errors[0]!, /still running after 0\.3 s, stopped$/v);
    const pid = Number(await readFile(pidFile, 'utf8'));
    await waitFor(
      () => {
        try {
          process.kill(pid, 0);
          return false;
        } catch {
          return true;
        }
      },
      {message: 'the sleep the command started to be killed'},
    );
  });

  test('the queue stays bounded under a thousand state changes, and the overflow is counted', async () => {
    let now = 0;
    const hooks = makeHooks({
      command: 'sleep 30',
      concurrency: 4,
      queueLimit: 16,
      now: () => now,
    });
    for (let index = 0; index < 1000; index++) {
      now += 10;
      hooks.handle(stateChange('stopped', `127.0.0.1:${1000 + index}`));
    }

    const status = hooks.status();
    assert.equal(status.running, 4);
    assert.equal(status.queued, 16);
    assert.equal(status.dropped, 1000 - 4 - 16);
    // 980 drops over 9.8 s of the injected clock: reported once a second, not 980 times.
    assert.equal(errors.length, 10);
    assert.match(
      errors[0]!,
      /^alert queue full \(16 waiting\): 1 hook run\(s\) dropped so far$/v,
    );
    await hooks.close(0);
    assert.equal(hooks.status().running, 0);
  });
});

describe('--webhook', () => {
  let server: http.Server;
  let url: URL;
  const received: Array<{body: string; type: string | undefined}> = [];
  let answer: (response: http.ServerResponse) => void;
  const sockets = new Set<Socket>();

  beforeEach(async () => {
    received.length = 0;
    answer = (response) => {
      response.writeHead(204).end();
    };

    server = http.createServer((request, response) => {
      let body = '';
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => {
        body += chunk;
      });
      request.on('end', () => {
        received.push({body, type: request.headers['content-type']});
        answer(response);
      });
    });
    server.on('connection', (socket) => {
      sockets.add(socket);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = new URL(
      `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook?token=secret`,
    );
  });

  afterEach(async () => {
    for (const socket of sockets) {
      socket.destroy();
    }

    await new Promise((resolve) => {
      server.close(resolve);
    });
  });

  test('posts the alert as one JSON object', async () => {
    const hooks = makeHooks({webhook: url});
    hooks.handle(
      stateChange('resumed', '10.0.0.7:6000', {previousState: 'stopped'}),
    );
    await waitFor(() => hooks.status().delivered === 1);
    assert.equal(received.length, 1);
    assert.equal(received[0]!.type, 'application/json');
    assert.deepEqual(JSON.parse(received[0]!.body), {
      event: 'resumed',
      client: '10.0.0.7:6000',
      state: 'alive',
      previous_state: 'stopped',
      silent_ms: 3250,
      time: formatIsoTime(Date.UTC(2026, 11, 1, 9, 30, 0, 250)),
      session: 'session-1',
    });
  });

  test('a named client has its name in the body', async () => {
    const hooks = makeHooks({webhook: url});
    hooks.handle(stateChange('stopped', 'pump-3', {name: 'pump-3'}));
    await waitFor(() => hooks.status().delivered === 1);
    const body = JSON.parse(received[0]!.body) as Record<string, unknown>;
    assert.equal(body.client, 'pump-3');
    assert.equal(body.name, 'pump-3');
  });

  test('retries with back-off and succeeds on a later try', async () => {
    let calls = 0;
    answer = (response) => {
      calls++;
      response.writeHead(calls < 3 ? 503 : 200).end('ok');
    };

    const hooks = makeHooks({webhook: url, retryDelayMs: 20});
    hooks.handle(stateChange('stopped'));
    await waitFor(() => hooks.status().delivered === 1);
    assert.equal(received.length, 3);
    assert.deepEqual(errors, []);
  });

  test('three failed tries are one hook error that names the status but not the URL secrets', async () => {
    answer = (response) => {
      response.writeHead(500).end();
    };

    const hooks = makeHooks({webhook: url, retryDelayMs: 10});
    hooks.handle(stateChange('stopped'));
    await waitFor(() => errors.length === 1);
    assert.equal(received.length, 3);
    assert.equal(
      errors[0],
      `--webhook ${url.origin} for 127.0.0.1:40000 stopped: HTTP 500 (3 tries)`,
    );
    assert.doesNotMatch(errors[0] ?? '', /secret/v);
  });

  test('a webhook nobody answers times out on every try', async () => {
    answer = () => {
      // Never answers.
    };

    const hooks = makeHooks({webhook: url, retryDelayMs: 10, timeoutMs: 150});
    hooks.handle(stateChange('stopped'));
    await waitFor(() => errors.length === 1, {timeoutMs: 5000});
    assert.match(errors[0]!, /: no answer within 0\.15 s \(3 tries\)$/v);
  });

  test('a webhook where nothing listens is a hook error, not a crash', async () => {
    const closed = new URL(url);
    await new Promise((resolve) => {
      server.close(resolve);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const hooks = makeHooks({webhook: closed, retryDelayMs: 10});
    hooks.handle(stateChange('stopped'));
    await waitFor(() => errors.length === 1);
    assert.match(errors[0]!, /: ECONNREFUSED \(3 tries\)$/v);
  });
});
