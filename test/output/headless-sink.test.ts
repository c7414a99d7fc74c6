import assert from 'node:assert/strict';
import test from 'node:test';
import {
  formatEventJson,
  formatEventText,
} from '../../source/output/format-event.js';
import {createHeadlessSink} from '../../source/output/headless-sink.js';
import {chattyEvents} from '../../source/store/types.js';
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
