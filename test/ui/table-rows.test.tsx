import assert from 'node:assert/strict';
import test from 'node:test';
import {isValidElement, type ReactElement, type ReactNode} from 'react';

// chalk decides when first imported whether to colour; a test's stdout is not a terminal.
process.env.FORCE_COLOR = '1';
const {HeartbeatTable} = await import('../../source/ui/heartbeat-table.js');

/** Select Graphic Rendition: the escape sequences that set colour, bold and inverse. */
// eslint-disable-next-line no-control-regex
const sgr = /\u001B\[[\d;]*m/gv;

function elementsOf(node: ReactNode): ReactElement[] {
  if (Array.isArray(node)) {
    return node.flatMap((child: ReactNode) => elementsOf(child));
  }

  return isValidElement(node) ? [node] : [];
}

test('each table line is one memoised element holding one string, with one colour span at most: the state', () => {
  const data = [
    {client: '  10.0.0.1:1', state: 'alive', history: '.x?!'},
    {client: '> 10.0.0.2:1', state: 'late', history: '....'},
    {client: '  10.0.0.3:1', state: 'stopped', history: '??'},
  ];
  // ink-table's own types name React's old global JSX: its props type does not resolve.
  // eslint-disable-next-line @typescript-eslint/no-unsafe-argument
  const table = new HeartbeatTable({
    data,
    columns: [
      {key: 'client', align: 'left'},
      {key: 'state', align: 'left'},
      {key: 'history', align: 'left'},
    ],
    kinds: ['client', 'state', 'history'],
    selected: 1,
  } as unknown as HeartbeatTable['props']);
  const box = table.render() as ReactElement<{children: ReactNode}>;
  const lines = elementsOf(box.props.children);
  assert.equal(lines.length, 1 + data.length, 'a heading and a line a row');
  for (const line of lines) {
    const props = line.props as Record<string, unknown>;
    assert.deepEqual(Object.keys(props), ['line'], 'one prop: the line');
    assert.equal(typeof props.line, 'string');
  }

  const texts = lines.map((line) => (line.props as {line: string}).line);
  const [heading, alive, late, stopped] = texts;
  // eslint-disable-next-line no-control-regex
  assert.match(heading!, /^\u001B\[7m\u001B\[1m client +state +history/v);
  for (const [row, state] of [
    [alive!, 'alive'],
    [stopped!, 'stopped'],
  ] as const) {
    // One span: the codes that open the state's style, the state, the codes that close it.
    const spans = row.split(sgr).filter((part) => part !== '');
    assert.deepEqual(
      spans.map((part) => part.trim()),
      [row.split(sgr)[0]!.trim(), state, row.split(sgr).at(-1)!.trim()],
      JSON.stringify(row),
    );
    assert.ok(row.includes(state === 'alive' ? '.x?!' : '??'), 'marks');
    assert.doesNotMatch(
      row.replaceAll(sgr, ''),
      /[^\u0020-\u007E]/v,
      'plain printable characters',
    );
  }

  // The selected line: inverse video over the whole line, and the > marker for no colour at all.
  // eslint-disable-next-line no-control-regex
  assert.match(late!, /^\u001B\[7m > 10\.0\.0\.2:1/v);
  assert.equal(
    late!.replaceAll(sgr, ''),
    ' > 10.0.0.2:1  late     ....    ',
    'the same words without colour',
  );
});
