import assert from 'node:assert/strict';
import test from 'node:test';
import {FlagError} from '../../source/config/flag-error.js';
import {
  parseClientFlags,
  type RawClientFlags,
} from '../../source/client/client-options.js';

test('defaults: 127.0.0.1:12000, every second, timeout 1 s, seed format, one client, no count', () => {
  assert.deepEqual(parseClientFlags({}), {
    host: '127.0.0.1',
    port: 12_000,
    intervalSeconds: 1,
    count: undefined,
    timeoutSeconds: 1,
    format: 'seed',
    clients: 1,
  });
});

test('good values are read as numbers and words', () => {
  assert.deepEqual(
    parseClientFlags({
      host: ' example.org ',
      port: '1',
      interval: '0.001',
      count: '3',
      timeout: '60',
      format: 'heartbeat',
      clients: '1000',
    }),
    {
      host: 'example.org',
      port: 1,
      intervalSeconds: 0.001,
      count: 3,
      timeoutSeconds: 60,
      format: 'heartbeat',
      clients: 1000,
    },
  );
  assert.equal(
    parseClientFlags({port: '65535', interval: '3600'}).port,
    65_535,
  );
  assert.equal(parseClientFlags({format: 'ping'}).format, 'ping');
});

test('an IPv6 address may be written in brackets', () => {
  assert.equal(parseClientFlags({host: '[::1]'}).host, '::1');
  assert.equal(parseClientFlags({host: '::1'}).host, '::1');
});

const bad: Array<[keyof RawClientFlags, string]> = [
  ['port', '0'],
  ['port', '65536'],
  ['port', '12000.5'],
  ['port', '-1'],
  ['port', 'abc'],
  ['port', ''],
  ['port', '1e3'],
  ['interval', '0'],
  ['interval', '-1'],
  ['interval', '0.0009'],
  ['interval', '3601'],
  ['interval', 'fast'],
  ['interval', 'Infinity'],
  ['interval', 'NaN'],
  ['count', '0'],
  ['count', '-3'],
  ['count', '2.5'],
  ['count', '9007199254740992'],
  ['count', 'forever'],
  ['count', ''],
  ['timeout', '0'],
  ['timeout', '-0.5'],
  ['timeout', '61'],
  ['timeout', 'soon'],
  ['format', 'json'],
  ['format', 'Seed'],
  ['format', ''],
  ['clients', '0'],
  ['clients', '1001'],
  ['clients', '1.5'],
  ['clients', 'many'],
  ['host', ''],
  ['host', '   '],
  ['host', '[]'],
  ['host', 'two words'],
];

for (const [flag, value] of bad) {
  test(`--${flag} ${JSON.stringify(value)} is a FlagError naming the flag and the value`, () => {
    assert.throws(
      () => parseClientFlags({[flag]: value}),
      (error: unknown) => {
        assert.ok(error instanceof FlagError);
        assert.equal(error.flag, flag);
        assert.equal(error.value, value);
        assert.match(error.message, new RegExp(`^--${flag}: `, 'v'));
        assert.ok(error.message.includes(JSON.stringify(value)), error.message);
        return true;
      },
    );
  });
}

test('the message says what is allowed', () => {
  assert.throws(() => parseClientFlags({port: '0'}), /from 1 to 65535/v);
  assert.throws(
    () => parseClientFlags({interval: '0'}),
    /from 0\.001 to 3600/v,
  );
  assert.throws(() => parseClientFlags({timeout: '99'}), /from 0\.001 to 60/v);
  assert.throws(
    () => parseClientFlags({format: 'x'}),
    /seed, ping, heartbeat/v,
  );
  assert.throws(() => parseClientFlags({clients: '0'}), /from 1 to 1000/v);
  assert.throws(() => parseClientFlags({count: '0'}), /1 or more/v);
});
