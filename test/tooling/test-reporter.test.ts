import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {once} from 'node:events';
import path from 'node:path';
import process from 'node:process';
import test from 'node:test';
import {fileURLToPath} from 'node:url';

const root = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
);

test('the test script ends its output with the names of the tests that failed', async () => {
  // A run of its own, not a child of this one: without the variable that ties it to this runner.
  const {NODE_TEST_CONTEXT: _, ...env} = process.env;
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--test',
      '--test-reporter=./scripts/test-reporter.js',
      'test/fixtures/reporter/one-fails.ts',
    ],
    {cwd: root, env, stdio: ['ignore', 'pipe', 'inherit']},
  );
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  const [code] = (await once(child, 'close')) as [number];
  assert.equal(code, 1, 'the run fails');
  const lines = stdout.trimEnd().split('\n');
  assert.deepEqual(lines.slice(-3), [
    '2 failed:',
    '  ✖ test/fixtures/reporter/one-fails.ts: this one fails',
    '  ✖ test/fixtures/reporter/one-fails.ts: fails inside a suite',
  ]);
  assert.match(stdout, /this one passes/v, 'the spec report comes first');
});
