import assert from 'node:assert/strict';
import {readFile} from 'node:fs/promises';
import path from 'node:path';
import test from 'node:test';
import {fileURLToPath} from 'node:url';
import Xo from 'xo';

/*
The lint config keeps the folder tree true (xo.config.js, `layerZones`): the linter, run as
`npm run lint` runs it, on fixture text put where a layer would import across its bounds.
*/

const root = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
);

/** The layer-rule messages for a fixture linted as if it were the file at `asFile`. */
async function layerErrors(fixture: string, asFile: string): Promise<string[]> {
  const code = await readFile(
    path.join(root, 'test', 'fixtures', 'layers', fixture),
    'utf8',
  );
  const {results} = await Xo.lintText(code, {
    cwd: root,
    // A file the project's tsconfig holds, so the type-aware rules can run on the text.
    filePath: path.join(root, asFile),
  });
  return results
    .flatMap((result) => result.messages)
    .filter((message) => message.ruleId === 'import-x/no-restricted-paths')
    .map((message) => message.message);
}

test('the UI importing the live store fails the lint', async () => {
  const errors = await layerErrors(
    'ui-imports-live-store.txt',
    'source/ui/footer.tsx',
  );
  assert.equal(errors.length, 1, errors.join('\n'));
  assert.match(errors[0]!, /never holds the live store/v);
});

test('the server importing the UI fails the lint', async () => {
  const errors = await layerErrors(
    'server-imports-ui.txt',
    'source/server/loss-simulator.ts',
  );
  assert.equal(errors.length, 1, errors.join('\n'));
  assert.match(errors[0]!, /imports nothing of the engine, the UI/v);
});

test("the UI reading the engine's interface and the vocabulary passes", async () => {
  assert.deepEqual(
    await layerErrors('ui-imports-interface.txt', 'source/ui/footer.tsx'),
    [],
  );
});

test("the protocol importing the store's parts fails the lint", async () => {
  const errors = await layerErrors(
    'protocol-imports-store.txt',
    'source/protocol/format-reply.ts',
  );
  assert.equal(errors.length, 1, errors.join('\n'));
  assert.match(errors[0]!, /imports only the vocabulary below it/v);
});

test('the vocabulary importing a layer fails the lint', async () => {
  const errors = await layerErrors(
    'vocabulary-imports-protocol.txt',
    'source/vocabulary.ts',
  );
  assert.equal(errors.length, 1, errors.join('\n'));
  assert.match(errors[0]!, /bottom of the tree/v);
});
