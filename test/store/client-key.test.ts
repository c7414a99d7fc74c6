import assert from 'node:assert/strict';
import test from 'node:test';
import {clientKey, displayAddress} from '../../source/store/client-key.js';

test('IPv4 keys are address:port', () => {
  assert.equal(clientKey('192.0.2.7', 5000), '192.0.2.7:5000');
  assert.equal(clientKey('127.0.0.1', 1), '127.0.0.1:1');
});

test('IPv6 keys put the address in brackets', () => {
  assert.equal(clientKey('2001:db8::1', 5000), '[2001:db8::1]:5000');
  assert.equal(clientKey('::1', 65_535), '[::1]:65535');
  assert.equal(clientKey('fe80::1%eth0', 9), '[fe80::1%eth0]:9');
});

test('IPv4-mapped IPv6 is shown as plain IPv4, in any case and spelling', () => {
  assert.equal(displayAddress('::ffff:192.0.2.7'), '192.0.2.7');
  assert.equal(displayAddress('::FFFF:192.0.2.7'), '192.0.2.7');
  assert.equal(displayAddress('0:0:0:0:0:ffff:10.0.0.1'), '10.0.0.1');
  assert.equal(clientKey('::ffff:127.0.0.1', 40_000), '127.0.0.1:40000');
});

test('other addresses are left as they are', () => {
  assert.equal(displayAddress('192.0.2.7'), '192.0.2.7');
  assert.equal(displayAddress('::1'), '::1');
  assert.equal(displayAddress('::ffff:1'), '::ffff:1');
  assert.equal(displayAddress('::fffe:192.0.2.7'), '::fffe:192.0.2.7');
  assert.equal(
    displayAddress('2001:db8::ffff:192.0.2.7'),
    '2001:db8::ffff:192.0.2.7',
  );
  assert.equal(displayAddress(''), '');
});
