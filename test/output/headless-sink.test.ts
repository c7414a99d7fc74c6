import assert from 'node:assert/strict';
import test from 'node:test';
import {
  formatEventJson,
  formatEventText,
} from '../../source/output/format-event.js';
import {
  createHeadlessSink,
  skippedLineFor,
} from '../../source/output/headless-sink.js';
import {formatIsoTime} from '../../source/output/format-time.js';
import {chattyEvents} from '../../source/vocabulary.js';
import {allEvents, makeEvent, parseJsonObject} from './records.js';

function run(format: 'text' | 'json', quiet: boolean): string[] {
  const lines: string[] = [];
  const sink = createHeadlessSink({
    format,
    quiet,
    session: 'feedc0de',
    writer: {
      write(line) {
        lines.push(line);
      },
    },
  });
  for (const name of allEvents) {
    sink(makeEvent({event: name, client: '127.0.0.1:5000', seq: 1}));
  }

  return lines;
}

test('text: one formatted line per event, in order', () => {
  assert.deepEqual(
    run('text', false),
    allEvents.map((name) =>
      formatEventText(
        makeEvent({event: name, client: '127.0.0.1:5000', seq: 1}),
      ),
    ),
  );
});

test('json: one object per event carrying the session', () => {
  const lines = run('json', false);
  assert.deepEqual(
    lines,
    allEvents.map((name) =>
      formatEventJson(
        makeEvent({event: name, client: '127.0.0.1:5000', seq: 1}),
        'feedc0de',
      ),
    ),
  );
  for (const line of lines) {
    assert.equal(parseJsonObject(line).session, 'feedc0de');
  }
});

test('quiet drops replied and dropped, and keeps every state change and the summary', () => {
  const kept = allEvents.filter((name) => !chattyEvents.has(name));
  assert.ok(kept.includes('summary'));
  assert.ok(!kept.includes('replied') && !kept.includes('dropped'));
  for (const format of ['text', 'json'] as const) {
    const lines = run(format, true);
    assert.equal(lines.length, kept.length, format);
    for (const [index, name] of kept.entries()) {
      assert.match(
        lines[index]!,
        new RegExp(format === 'json' ? `"event":"${name}"` : `  ${name} `, 'v'),
      );
    }
  }
});

test('the skipped-output notice is an event line in the same format', () => {
  const time = Date.UTC(2026, 10, 24, 6, 31, 7, 123);
  const json = parseJsonObject(
    skippedLineFor('json', 'feedc0de', () => time)(42),
  );
  assert.deepEqual(json, {
    v: 2,
    session: 'feedc0de',
    time: formatIsoTime(time),
    event: 'log-error',
    client: null,
    seq: null,
    delay_ms: null,
    detail: {output_skipped: 42, reason: 'output could not keep up'},
    state: null,
  });
  assert.equal(
    skippedLineFor('text', 'feedc0de', () => time)(3),
    `${formatIsoTime(time)}  log-error   output_skipped=3;reason=output could not keep up`,
  );
});
