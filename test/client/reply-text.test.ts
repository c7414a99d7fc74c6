import assert from 'node:assert/strict';
import test from 'node:test';
import {
  formatLossPercent,
  formatRtt,
  HeartbeatTally,
  statisticsLines,
} from '../../source/client/heartbeat-statistics.js';
import {
  printableReply,
  sequenceInReply,
} from '../../source/client/reply-text.js';

const bytes = (text: string) => Buffer.from(text, 'utf8');

test('a reply is shown as it is when it is plain text', () => {
  const seed =
    'Packet delivery delay = 0:00:00.000412, Number of packets lost in between = 0';
  assert.equal(printableReply(bytes(seed)), seed);
  assert.equal(printableReply(bytes('ÉCHO ☃')), 'ÉCHO ☃');
});

test('control, bidi and separator characters are escaped, never sent to the terminal', () => {
  assert.equal(printableReply(bytes('A\tB\r\n')), String.raw`A\tB\r\n`);
  assert.equal(
    printableReply(bytes('\u001B[2Jx\u0000')),
    String.raw`\x1b[2Jx\x00`,
  );
  assert.equal(
    printableReply(bytes('a\u202Eb\u2028')),
    String.raw`a\u{202e}b\u{2028}`,
  );
  assert.equal(printableReply(bytes('\u007F\u0085')), String.raw`\x7f\x85`);
});

test(
  String.raw`a reply that is not UTF-8 is shown as ASCII with the other bytes as \xNN`,
  () => {
    assert.equal(
      printableReply(Uint8Array.from([0x48, 0x49, 0xff, 0x00, 0x0a])),
      String.raw`HI\xff\x00\x0a`,
    );
  },
);

test('a long reply is cut with an ellipsis, never in the middle of an escape', () => {
  const long = printableReply(bytes('x'.repeat(1024)));
  assert.equal(long, `${'x'.repeat(100)}…`);
  const escapes = printableReply(bytes('\u0000'.repeat(40)), 10);
  assert.equal(escapes, `${String.raw`\x00`.repeat(2)}…`);
  assert.equal(printableReply(bytes('x'.repeat(10)), 10), 'x'.repeat(10));
});

test('the sequence number a reply names: echoes and JSON; seed replies name none', () => {
  assert.equal(sequenceInReply(bytes('PING 5 1795498267.123456')), 5);
  assert.equal(sequenceInReply(bytes('HEARTBEAT 12 1795498267.000000')), 12);
  assert.equal(sequenceInReply(bytes('7\t2026-11-24 05:31:07.123456')), 7);
  assert.equal(
    sequenceInReply(
      bytes('{"seq":9,"delay_ms":0.4,"lost_in_between":0,"state":"alive"}'),
    ),
    9,
  );
  assert.equal(
    sequenceInReply(bytes('{"seq":null,"delay_ms":null}')),
    undefined,
  );
  assert.equal(sequenceInReply(bytes('{"seq":')), undefined);
  assert.equal(sequenceInReply(bytes('null')), undefined);
  assert.equal(
    sequenceInReply(
      bytes(
        'Packet delivery delay = unknown, Number of packets lost in between = 3',
      ),
    ),
    undefined,
  );
  assert.equal(sequenceInReply(bytes('ERROR bad timestamp')), undefined);
  assert.equal(sequenceInReply(bytes('')), undefined);
  assert.equal(sequenceInReply(Uint8Array.from([0xff, 0xfe])), undefined);
});

test('statistics: counts, loss and rtt as ping prints them', () => {
  const tally = new HeartbeatTally();
  tally.sent = 4;
  tally.recordReply(1);
  tally.recordReply(3);
  const totals = tally.totals();
  assert.deepEqual(totals, {
    sent: 4,
    received: 2,
    awaiting: 0,
    lossPercent: 50,
    rtt: {min: 1, avg: 2, max: 3, mdev: 1},
  });
  assert.deepEqual(statisticsLines(totals), [
    '4 sent, 2 received, 50% loss',
    'rtt min/avg/max/mdev = 1.000/2.000/3.000/1.000 ms',
  ]);
});

test('statistics: nothing received has no rtt line; awaiting replies are not loss', () => {
  const tally = new HeartbeatTally();
  tally.sent = 3;
  tally.awaiting = 1;
  const totals = tally.totals();
  assert.equal(totals.lossPercent, 100);
  assert.equal(totals.rtt, undefined);
  assert.deepEqual(statisticsLines(totals), [
    '3 sent, 0 received, 100% loss, 1 still awaiting a reply',
  ]);
  assert.equal(new HeartbeatTally().totals().lossPercent, 0);
});

test('statistics of several clients add up', () => {
  const first = new HeartbeatTally();
  first.sent = 2;
  first.recordReply(2);
  const second = new HeartbeatTally();
  second.sent = 1;
  second.recordReply(4);
  const overall = new HeartbeatTally();
  overall.add(first);
  overall.add(second);
  const totals = overall.totals();
  assert.equal(totals.sent, 3);
  assert.equal(totals.received, 2);
  assert.equal(formatLossPercent(totals.lossPercent), '33.3%');
  assert.equal(formatLossPercent((9 / 22) * 100), '40.9%');
  assert.deepEqual(totals.rtt, {min: 2, avg: 3, max: 4, mdev: 1});
});

test('round-trip times on a line keep three significant digits or so, as ping', () => {
  assert.equal(formatRtt(0.0421), '0.042');
  assert.equal(formatRtt(1.234), '1.23');
  assert.equal(formatRtt(12.34), '12.3');
  assert.equal(formatRtt(123.4), '123');
});
