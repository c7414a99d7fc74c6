import assert from 'node:assert/strict';
import test from 'node:test';
import {type Heartbeat, historyLength} from '../../source/vocabulary.js';
import {ClientState} from '../../source/store/client-state.js';

const start = 1_764_000_000_000;

function heartbeat(
  seq?: number,
  timestampMs?: number,
  label?: string,
): Heartbeat {
  return {kind: 'heartbeat', label, seq, timestampMs};
}

function newClient() {
  const client = new ClientState('192.0.2.7', 5000, start);
  client.lastSeen = start;
  return client;
}

test('a new client has its key and nothing counted', () => {
  const client = new ClientState('::ffff:192.0.2.7', 5000, start);
  assert.equal(client.key, '192.0.2.7:5000');
  assert.equal(client.address, '::ffff:192.0.2.7');
  assert.equal(client.port, 5000);
  assert.equal(client.firstSeen, start);
  assert.equal(client.state, 'alive');
  assert.equal(client.received, 0);
  assert.equal(client.lastSeq, undefined);
  assert.equal(client.lastHeartbeat, undefined);
  assert.equal(client.delayLastMs, undefined);
  assert.equal(client.delayAvgMs, undefined);
  assert.equal(client.jitterMs, undefined);
  assert.equal(client.intervalMeanMs, undefined);
  assert.equal(client.intervalStdDevMs, undefined);
  assert.equal(client.lossPercent, undefined);
  assert.deepEqual(client.history(), []);
});

test('delay last/min/avg/max and RFC 3550 jitter over a small series', () => {
  const client = newClient();
  const delays = [10, 12, 9, 15];
  let now = start;
  for (const [index, delay] of delays.entries()) {
    now += 1000;
    client.recordHeartbeat(heartbeat(index, now - delay), now);
    if (index === 0) {
      // Jitter is a change between two delays: none yet.
      assert.equal(client.jitterMs, undefined);
    }
  }

  assert.equal(client.delayLastMs, 15);
  assert.equal(client.delayMinMs, 9);
  assert.equal(client.delayMaxMs, 15);
  assert.equal(client.delayAvgMs, 11.5);
  // J += (|D| - J) / 16 with D = 2, 3, 6: 0.125, 0.3046875, 0.66064453125 (exact in binary).
  assert.equal(client.jitterMs, 0.660_644_531_25);
  assert.equal(client.lastHeartbeat, now);
  assert.equal(client.heartbeatDelayMs, 15);
});

test('a heartbeat without a timestamp leaves the delays alone and has no delay of its own', () => {
  const client = newClient();
  client.recordHeartbeat(heartbeat(1, start + 1000 - 4), start + 1000);
  client.recordHeartbeat(heartbeat(2), start + 2000);
  assert.equal(client.delayLastMs, 4);
  assert.equal(client.delayAvgMs, 4);
  assert.equal(client.heartbeatDelayMs, undefined);
  assert.equal(client.heartbeatSeq, 2);
  assert.equal(client.received, 2);
});

test('a negative delay (client clock ahead) is kept as it is', () => {
  const client = newClient();
  client.recordHeartbeat(heartbeat(1, start + 1500), start + 1000);
  assert.equal(client.delayLastMs, -500);
  assert.equal(client.delayMinMs, -500);
});

test('a heartbeat without a sequence number is received but not analysed', () => {
  const client = newClient();
  client.recordHeartbeat(heartbeat(5), start + 100);
  client.recordHeartbeat(heartbeat(), start + 200);
  client.recordHeartbeat(heartbeat(), start + 300);
  client.recordHeartbeat(heartbeat(6), start + 400);
  assert.equal(client.received, 4);
  assert.equal(client.lost, 0);
  assert.equal(client.duplicates, 0);
  assert.equal(client.lastSeq, 6);
  client.recordHeartbeat(heartbeat(), start + 500);
  assert.equal(client.heartbeatSeq, undefined);
  assert.equal(client.lastSeq, 6);
});

test('loss as the client sees it: (dropped + lost) / (received + lost)', () => {
  const client = newClient();
  const sent = [1, 2, 3, 4, 5, 8, 9, 10, 11, 12];
  for (const [index, seq] of sent.entries()) {
    client.recordHeartbeat(heartbeat(seq), start + index);
    client.recordReply(index % 3 !== 0);
  }

  assert.equal(client.received, 10);
  assert.equal(client.lost, 2);
  assert.equal(client.dropped, 4);
  assert.equal(client.replied, 6);
  assert.equal(client.lossPercent, ((4 + 2) * 100) / (10 + 2));
});

test('droppedSinceReply counts drops since the last reply sent', () => {
  const client = newClient();
  for (const sent of [false, false, false]) {
    client.recordReply(sent);
  }

  assert.equal(client.droppedSinceReply, 3);
  client.recordReply(true);
  assert.equal(client.droppedSinceReply, 0);
  client.recordReply(false);
  assert.equal(client.droppedSinceReply, 1);
});

test('the history strip keeps outcomes oldest first, lost ones where the gap was seen', () => {
  const client = newClient();
  client.recordHeartbeat(heartbeat(1), start);
  client.recordReply(true);
  client.recordHeartbeat(heartbeat(2), start);
  client.recordReply(false);
  client.recordHeartbeat(heartbeat(5), start);
  client.recordReply(true);
  // A malformed datagram is one outcome, whether its reply went out, was dropped or held back.
  client.recordMalformed();
  client.recordReply(true);
  client.recordMalformed();
  client.recordReply(false);
  client.recordMalformed();
  client.recordUnanswered();
  client.recordHeartbeat(heartbeat(6), start);
  client.recordReply(false);
  assert.deepEqual(client.history(), [
    'replied',
    'dropped',
    'lost',
    'lost',
    'replied',
    'malformed',
    'malformed',
    'malformed',
    'dropped',
  ]);
  assert.equal(client.received, 7);
  assert.equal(client.replied + client.dropped + client.unanswered, 7);
});

const hourMs = 3_600_000;

test('a delay within 10 s of a quarter hour is a time zone: delays are net of it', () => {
  const client = newClient();
  assert.equal(client.clockOffsetMs, undefined);
  // A client in UTC, a server 5:30 ahead: its local times are 5:30 behind.
  const offset = 5.5 * hourMs;
  client.recordHeartbeat(heartbeat(1, start - offset - 0.4), start);
  assert.equal(client.clockOffsetMs, -offset);
  assert.ok(Math.abs(client.delayLastMs! - 0.4) < 1e-3);
  client.recordHeartbeat(heartbeat(2, start - offset + 9000), start + 1000);
  assert.equal(client.clockOffsetMs, -offset);
  assert.ok(Math.abs(client.delayLastMs! - -8000) < 1e-6);
  // A heartbeat minutes late stays minutes late: no quarter hour is within 10 s of it.
  client.recordHeartbeat(heartbeat(3, start - offset - 180_000), start + 2000);
  assert.equal(client.clockOffsetMs, -offset);
  assert.ok(Math.abs(client.delayLastMs! - 182_000) < 1e-6);
  assert.ok(Math.abs(client.delayMinMs! - -8000) < 1e-6);
  assert.ok(Math.abs(client.delayMaxMs! - 182_000) < 1e-6);
  // The client's clock moves to the server's zone: that is a zone too.
  client.recordHeartbeat(heartbeat(4, start + 3000 - 2), start + 3000);
  assert.equal(client.clockOffsetMs, undefined);
  assert.ok(Math.abs(client.delayLastMs! - 2) < 1e-6);
  // The offset survives a reset of the counters: it belongs to the client, not the run.
  client.recordHeartbeat(
    heartbeat(5, start + 4000 + 9.75 * hourMs),
    start + 4000,
  );
  client.resetCounters();
  assert.equal(client.clockOffsetMs, 9.75 * hourMs);
});

test('time zone offsets: whole quarter hours up to 14 h, within 10 s, either way', () => {
  const delayOf = (rawDelayMs: number) => {
    const client = newClient();
    client.recordHeartbeat(heartbeat(1, start - rawDelayMs), start);
    return {offset: client.clockOffsetMs, delay: client.delayLastMs!};
  };

  assert.deepEqual(delayOf(14 * hourMs + 10_000), {
    offset: -14 * hourMs,
    delay: 10_000,
  });
  assert.deepEqual(delayOf(-14 * hourMs - 10_000), {
    offset: 14 * hourMs,
    delay: -10_000,
  });
  assert.deepEqual(delayOf(14.25 * hourMs), {
    offset: undefined,
    delay: 14.25 * hourMs,
  });
  assert.deepEqual(delayOf(0.25 * hourMs - 10_001), {
    offset: undefined,
    delay: 0.25 * hourMs - 10_001,
  });
  assert.deepEqual(delayOf(0.75 * hourMs + 5000), {
    offset: -0.75 * hourMs,
    delay: 5000,
  });
  assert.deepEqual(delayOf(-9999), {offset: undefined, delay: -9999});
  assert.deepEqual(delayOf(7 * hourMs + 20 * 60_000), {
    offset: undefined,
    delay: 7 * hourMs + 20 * 60_000,
  });
});

test('the history strip keeps the last 24 outcomes, and a huge gap fills it with losses', () => {
  const client = newClient();
  const expected: string[] = [];
  for (let seq = 1; seq <= 40; seq++) {
    client.recordHeartbeat(heartbeat(seq), start);
    const sent = seq % 3 !== 0;
    client.recordReply(sent);
    expected.push(sent ? 'replied' : 'dropped');
  }

  assert.equal(historyLength, 24);
  assert.deepEqual(client.history(), expected.slice(-24));
  client.recordHeartbeat(heartbeat(9e15), start);
  client.recordReply(true);
  assert.deepEqual(client.history(), [
    ...Array.from({length: 23}, () => 'lost'),
    'replied',
  ]);
});

test('at most one error reply per second', () => {
  const client = newClient();
  assert.equal(client.mayReplyError(start), true);
  assert.equal(client.mayReplyError(start + 1), false);
  assert.equal(client.mayReplyError(start + 999.9), false);
  assert.equal(client.mayReplyError(start + 1000), true);
  assert.equal(client.mayReplyError(start + 1500), false);
  assert.equal(client.mayReplyError(start + 2000), true);
});

test('resetting zeroes counters, delays and history but keeps identity and sequence position', () => {
  const client = newClient();
  client.recordHeartbeat(heartbeat(1, start), start + 5);
  client.recordHeartbeat(heartbeat(4, start), start + 9);
  client.recordReply(false);
  client.recordMalformed();
  client.recordUnanswered();
  client.resetCounters();
  assert.equal(client.received, 0);
  assert.equal(client.unanswered, 0);
  assert.equal(client.dropped, 0);
  assert.equal(client.malformed, 0);
  assert.equal(client.lost, 0);
  assert.equal(client.droppedSinceReply, 0);
  assert.equal(client.delayLastMs, undefined);
  assert.equal(client.delayMinMs, undefined);
  assert.equal(client.delayAvgMs, undefined);
  assert.equal(client.jitterMs, undefined);
  assert.equal(client.heartbeatDelayMs, undefined);
  assert.equal(client.lossPercent, undefined);
  assert.deepEqual(client.history(), []);
  assert.equal(client.lastSeq, 4);
  assert.equal(client.key, '192.0.2.7:5000');
  client.recordHeartbeat(heartbeat(5, start), start + 20);
  assert.equal(client.lost, 0);
  assert.equal(client.delayLastMs, 20);
  assert.equal(client.jitterMs, undefined);
});
