/*
The test script's reporter: Node's spec reporter, then the names of the tests that failed, each with
its file, as the very last lines, so that a red run says why where it ends.
*/
import path from 'node:path';
import process from 'node:process';
import {Readable} from 'node:stream';
import {spec as Spec} from 'node:test/reporters';

/** @param {AsyncIterable<{type: string; data: any}>} source */
export default async function* failedLast(source) {
  /** @type {string[]} */
  const failed = [];
  async function* watch() {
    for await (const event of source) {
      // A suite fails when a test in it does: name the tests, not their suites.
      if (
        event.type === 'test:fail' &&
        event.data.details?.type !== 'suite' &&
        event.data.details?.error?.failureType !== 'subtestsFailed'
      ) {
        const file = event.data.file
          ? path.relative(process.cwd(), event.data.file)
          : '';
        failed.push(`${file}${file ? ': ' : ''}${event.data.name}`);
      }

      yield event;
    }
  }

  for await (const chunk of Readable.from(watch()).pipe(new Spec())) {
    yield chunk;
  }

  yield failed.length === 0
    ? '\nno test failed\n'
    : `\n${failed.length} failed:\n${failed.map((name) => `  ✖ ${name}\n`).join('')}`;
}
