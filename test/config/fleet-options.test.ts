import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {
  parseAlertOn,
  parseFleetFlags,
  parseMetricsAddress,
  parseWebhook,
} from '../../source/config/fleet-options.js';
import {FlagError} from '../../source/config/flag-error.js';

function rejects(run: () => unknown, flag: string, value: string): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof FlagError, String(error));
    assert.equal(error.flag, flag);
    assert.equal(error.value, value);
    assert.match(error.message, new RegExp(`^--${flag}: `, 'v'));
    return true;
  });
}

describe('--metrics', () => {
  test('a port alone listens on loopback; a host may be named, IPv6 in brackets', () => {
    assert.deepEqual(parseMetricsAddress('9464'), {
      host: '127.0.0.1',
      port: 9464,
    });
    assert.deepEqual(parseMetricsAddress('0.0.0.0:9100'), {
      host: '0.0.0.0',
      port: 9100,
    });
    assert.deepEqual(parseMetricsAddress('localhost:9100'), {
      host: '127.0.0.1',
      port: 9100,
    });
    assert.deepEqual(parseMetricsAddress('[::1]:9100'), {
      host: '::1',
      port: 9100,
    });
    assert.deepEqual(parseMetricsAddress('[::]:9100'), {
      host: '::',
      port: 9100,
    });
  });

  for (const bad of [
    '',
    'abc',
    '0',
    '65536',
    '9464.5',
    '1e3',
    '-1',
    ':9464',
    '127.0.0.1:',
    'example.com:9464',
    '::1:9464',
    '[::1]',
    '[nonsense]:9464',
    '300.1.1.1:9464',
    '127.0.0.1:9464:1',
  ]) {
    test(`rejects ${JSON.stringify(bad)}`, () => {
      rejects(() => parseMetricsAddress(bad), 'metrics', bad);
    });
  }
});

describe('--alert-on', () => {
  test('any of late, stopped and resumed', () => {
    assert.deepEqual([...parseAlertOn('late')], ['late']);
    assert.deepEqual(
      [...parseAlertOn('Stopped, resumed,late')],
      ['stopped', 'resumed', 'late'],
    );
    assert.deepEqual(parseFleetFlags({}).alertOn, ['stopped', 'resumed']);
  });

  for (const bad of ['', ',', 'dead', 'stopped,alive', 'replied']) {
    test(`rejects ${JSON.stringify(bad)}`, () => {
      rejects(() => parseAlertOn(bad), 'alert-on', bad);
    });
  }
});

describe('--webhook', () => {
  test('http and https URLs', () => {
    assert.equal(
      parseWebhook('http://127.0.0.1:8080/hook').href,
      'http://127.0.0.1:8080/hook',
    );
    assert.equal(
      parseWebhook('https://hooks.example/x?y=1').host,
      'hooks.example',
    );
  });

  for (const bad of [
    '',
    'hooks.example/x',
    'ftp://x/y',
    'file:///etc/passwd',
    'http://',
    'mailto:ops@example.com',
  ]) {
    test(`rejects ${JSON.stringify(bad)}`, () => {
      rejects(() => parseWebhook(bad), 'webhook', bad);
    });
  }
});

describe('the fleet flags together', () => {
  test('--metrics-clients takes a count, and only beside --metrics', () => {
    assert.equal(
      parseFleetFlags({metrics: '9464', metricsClients: '20'}).metricsClients,
      20,
    );
    assert.equal(parseFleetFlags({}).metricsClients, 0);
    rejects(
      () => parseFleetFlags({metricsClients: '20'}),
      'metrics-clients',
      '20',
    );
    rejects(
      () => parseFleetFlags({metrics: '9464', metricsClients: '-1'}),
      'metrics-clients',
      '-1',
    );
    rejects(
      () => parseFleetFlags({metrics: '9464', metricsClients: '100001'}),
      'metrics-clients',
      '100001',
    );
  });

  test('--hook-timeout in seconds, 10 by default', () => {
    assert.equal(parseFleetFlags({}).hookTimeoutMs, 10_000);
    assert.equal(parseFleetFlags({hookTimeout: '2.5'}).hookTimeoutMs, 2500);
    for (const bad of ['0', '601', 'soon', '']) {
      rejects(() => parseFleetFlags({hookTimeout: bad}), 'hook-timeout', bad);
    }
  });

  test('an empty --on-change is an error, not a command that does nothing', () => {
    rejects(() => parseFleetFlags({onChange: '  '}), 'on-change', '  ');
    assert.equal(parseFleetFlags({onChange: 'true'}).onChange, 'true');
  });
});
