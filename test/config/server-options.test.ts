import assert from 'node:assert/strict';
import test from 'node:test';
import {FlagError} from '../../source/config/flag-error.js';
import {
  parseServerFlags,
  type RawServerFlags,
} from '../../source/config/server-options.js';

const terminal = {interactive: true};

test('defaults follow the spec', () => {
  const options = parseServerFlags({}, terminal);
  assert.equal(options.port, 12_000);
  assert.equal(options.explicitPort, false);
  assert.equal(options.host, '0.0.0.0');
  assert.equal(options.lossPercent, 40);
  assert.equal(options.idleTimeoutMs, 60_000);
  assert.equal(options.deadAfterMs, undefined);
  assert.equal(options.output, 'tui');
  assert.equal(options.replyMode, 'auto');
  assert.equal(options.maxClients, 100_000);
  assert.equal(options.allow, undefined);
  assert.equal(options.quiet, false);
  assert.equal(options.demoClients, 0);
  assert.equal(options.clientKey, 'address');
});

test('--client-key host keys clients by address alone', () => {
  assert.equal(
    parseServerFlags({clientKey: 'host'}, terminal).clientKey,
    'host',
  );
  assert.equal(
    parseServerFlags({clientKey: 'address'}, terminal).clientKey,
    'address',
  );
});

test('without a terminal the output is text, and an explicit tui says why it is not', () => {
  assert.equal(parseServerFlags({}, {interactive: false}).output, 'text');
  const forced = parseServerFlags({output: 'tui'}, {interactive: false});
  assert.equal(forced.output, 'text');
  assert.match(forced.outputNote ?? '', /needs a terminal/v);
  assert.equal(
    parseServerFlags({output: 'json'}, {interactive: false}).output,
    'json',
  );
});

test('good values are read', () => {
  const options = parseServerFlags(
    {
      port: '2000',
      host: '::',
      loss: '12.5',
      idleTimeout: '0',
      deadAfter: '2',
      reply: 'json',
      maxClients: '10',
      allow: '127.0.0.0/8,::1/128',
      seed: '42',
      quiet: true,
      demo: '',
    },
    terminal,
  );
  assert.equal(options.port, 2000);
  assert.equal(options.explicitPort, true);
  assert.equal(options.host, '::');
  assert.equal(options.lossPercent, 12.5);
  assert.equal(options.idleTimeoutMs, 0);
  assert.equal(options.deadAfterMs, 2000);
  assert.equal(options.replyMode, 'json');
  assert.equal(options.maxClients, 10);
  assert.ok(options.allow?.allows('127.0.0.9'));
  assert.ok(
    options.allow?.allows('::ffff:127.0.0.9'),
    'IPv4-mapped addresses match IPv4 blocks',
  );
  assert.ok(options.allow?.allows('::1'));
  assert.ok(!options.allow?.allows('10.0.0.1'));
  assert.equal(options.seed, 42);
  assert.equal(options.demoClients, 5);
  assert.equal(parseServerFlags({demo: '8'}, terminal).demoClients, 8);
  assert.equal(
    parseServerFlags({host: 'localhost'}, terminal).host,
    '127.0.0.1',
  );
});

const bad: Array<[keyof RawServerFlags, string, string]> = [
  ['port', '80', 'port'],
  ['port', '65536', 'port'],
  ['port', '12000.5', 'port'],
  ['port', 'abc', 'port'],
  ['port', '', 'port'],
  ['port', '0x2ee0', 'port'],
  ['host', 'not a host', 'host'],
  ['host', '999.1.1.1', 'host'],
  ['loss', '-1', 'loss'],
  ['loss', '100.5', 'loss'],
  ['loss', 'NaN', 'loss'],
  ['loss', '1e2', 'loss'],
  ['idleTimeout', '-5', 'idle-timeout'],
  ['idleTimeout', 'soon', 'idle-timeout'],
  ['deadAfter', '0', 'dead-after'],
  ['deadAfter', 'x', 'dead-after'],
  ['output', 'html', 'output'],
  ['reply', 'loud', 'reply'],
  ['clientKey', 'port', 'client-key'],
  ['maxClients', '0', 'max-clients'],
  ['maxClients', '1.5', 'max-clients'],
  ['allow', '10.0.0.0/33', 'allow'],
  ['allow', '10.0.0/8', 'allow'],
  ['allow', 'everyone', 'allow'],
  ['allow', '::1/129', 'allow'],
  ['allow', ',', 'allow'],
  ['allow', '10.0.0.0/8/1', 'allow'],
  ['seed', '-1', 'seed'],
  ['seed', '4294967296', 'seed'],
  ['log', ' ', 'log'],
  ['demo', '0', 'demo'],
  ['demo', 'lots', 'demo'],
];

for (const [flag, value, name] of bad) {
  test(`--${name} ${JSON.stringify(value)} is refused with a message naming the flag and value`, () => {
    assert.throws(
      () => parseServerFlags({[flag]: value}, terminal),
      (error: unknown) => {
        assert.ok(error instanceof FlagError);
        assert.equal(error.flag, name);
        assert.ok(error.message.startsWith(`--${name}: `), error.message);
        assert.ok(error.message.includes(JSON.stringify(value)), error.message);
        assert.match(error.message, /expected /v);
        return true;
      },
    );
  });
}
