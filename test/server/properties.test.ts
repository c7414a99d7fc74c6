import assert from 'node:assert/strict';
import type dgram from 'node:dgram';
import test from 'node:test';
import fc from 'fast-check';
import {replyModes} from '../../source/protocol/types.js';
import {clientKeyModes} from '../../source/store/client-key.js';
import {seededRandom} from '../../source/random.js';
import {HeartbeatServer} from '../../source/server/heartbeat-server.js';
import {LossSimulator} from '../../source/server/loss-simulator.js';
import {HeartbeatStore} from '../../source/store/heartbeat-store.js';
import type {HeartbeatEvent} from '../../source/vocabulary.js';

type Sent = {readonly reply: Buffer; readonly port: number};

/**
 * A socket that keeps what the server sends, so that a property can run thousands of datagrams
 * through the whole receive path (parse, count, loss, reply) in a second. The loopback tests
 * check the same path over real UDP.
 */
function recordingSocket(sent: Sent[]): dgram.Socket {
  const socket = {
    on() {
      return socket;
    },
    send(reply: string | Buffer, port: number) {
      sent.push({
        reply: typeof reply === 'string' ? Buffer.from(reply) : reply,
        port,
      });
    },
  };
  return socket as unknown as dgram.Socket;
}

// Status lines of a few figures: the seed line, the JSON object and the logfmt line.
const seedOrJson =
  /^(?:Packet delivery delay = |\{"seq":|(?:seq=\d+ )?(?:delay_ms=\S+ )?lost_in_between=\d+ state=)/v;

/** The largest reply docs/protocol.md allows for a request of `requestBytes`. */
function allowedBytes(reply: Buffer, requestBytes: number): number {
  const echo = Math.min(requestBytes, 1024);
  return Math.max(echo, seedOrJson.test(reply.toString('latin1')) ? 256 : 64);
}

// Datagrams of every kind: random bytes, near-heartbeats, binary structs, over-long ones.
const datagram = fc.oneof(
  fc.uint8Array({maxLength: 80}),
  fc.uint8Array({minLength: 1000, maxLength: 1100}),
  fc
    .array(
      fc.constantFrom(
        'Ping',
        'hello',
        'Привет',
        '7',
        '-3',
        '1795504759123',
        '1795504759',
        '07:19:16',
        '2026-11-24',
        '{"id":"a","seq":1}',
        'seq=2',
        'id=b',
        '3,1795504759',
        '05:31:07.5',
        'Mon Apr 14 12:00:00 2025',
        '\u0000',
        '\t',
        ' ',
      ),
      {maxLength: 6},
    )
    .map((tokens) => new TextEncoder().encode(tokens.join(' '))),
);

/**
 * The events of one datagram: a reply event alone for a heartbeat; for a malformed one, its
 * `malformed` event and then one reply event, or a detail ending in `;unanswered` and no more.
 */
function assertEventConvention(events: readonly HeartbeatEvent[]): void {
  const names = events
    .filter(({event}) => ['malformed', 'replied', 'dropped'].includes(event))
    .map(({event, detail}) =>
      event === 'malformed' && detail?.endsWith(';unanswered')
        ? 'unanswered'
        : event,
    );
  const text = names.join(' ');
  assert.match(
    text,
    /^(?:malformed )?(?:replied|dropped)$|^unanswered$/v,
    text,
  );
}

test('any datagrams in any reply mode: a reply within its cap or none, never a throw, and replied + dropped + unanswered = received', () => {
  fc.assert(
    fc.property(
      fc.constantFrom(...replyModes),
      fc.constantFrom(...clientKeyModes),
      fc.constantFrom(0, 30, 100),
      fc.array(
        fc.record({
          payload: datagram,
          port: fc.integer({min: 5000, max: 5003}),
          afterMs: fc.integer({min: 0, max: 1500}),
        }),
        {minLength: 1, maxLength: 60},
      ),
      (replyMode, clientKey, lossPercent, datagrams) => {
        let now = Date.UTC(2026, 10, 24, 5, 31, 7);
        const events: HeartbeatEvent[] = [];
        const clock = () => now;
        const store = new HeartbeatStore({
          clock,
          sink(event) {
            events.push(event);
          },
          clientKey,
        });
        const sent: Sent[] = [];
        const server = new HeartbeatServer({
          socket: recordingSocket(sent),
          store,
          loss: new LossSimulator(lossPercent, seededRandom(7)),
          clock,
          replyMode,
          allow: undefined,
        });
        for (const {payload, port, afterMs} of datagrams) {
          now += afterMs;
          const before = sent.length;
          const firstEvent = events.length;
          server.handleDatagram(Buffer.from(payload), '192.0.2.7', port);
          assertEventConvention(events.slice(firstEvent));
          assert.ok(sent.length - before <= 1, 'at most one reply');
          const answer = sent[before];
          if (answer !== undefined) {
            assert.equal(answer.port, port, 'to the sender');
            assert.ok(
              answer.reply.length <= allowedBytes(answer.reply, payload.length),
              `a reply of ${answer.reply.length} bytes to ${payload.length}`,
            );
          }
        }

        const {totals} = store;
        assert.equal(totals.received, datagrams.length);
        assert.equal(
          totals.replied + totals.dropped + totals.unanswered,
          totals.received,
        );
        assert.equal(totals.replied, sent.length);
        for (const client of store.clients()) {
          assert.equal(
            client.replied + client.dropped + client.unanswered,
            client.received,
            client.key,
          );
        }
      },
    ),
    {numRuns: 300},
  );
});
