import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {test} from 'node:test';
import {promtoolMissing} from '../helpers/prometheus.js';

const docs = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'docs',
  'prometheus',
);

test(
  'the documented scrape config and alert rules are valid',
  {skip: promtoolMissing},
  () => {
    for (const args of [
      ['check', 'config', path.join(docs, 'prometheus.yml')],
      ['check', 'rules', path.join(docs, 'alerts.yml')],
    ]) {
      const check = spawnSync('promtool', args, {encoding: 'utf8'});
      assert.equal(check.status, 0, check.stdout + check.stderr);
      assert.match(check.stdout, /SUCCESS/v);
    }
  },
);
