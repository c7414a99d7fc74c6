/*
What start-up rests on, without timing it (bench/startup.ts times it): the built CLI is a bundle,
a headless server loads neither the dashboard (Ink, React) nor the metrics (prom-client, node:http)
before it says it is bound, the client loads none of them, and the bundle keeps source maps that
lead back to the TypeScript.
*/
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import dgram from 'node:dgram';
import {once} from 'node:events';
import {existsSync} from 'node:fs';
import {mkdtemp, readdir, readFile, rm} from 'node:fs/promises';
import nodeModule, {SourceMap, type SourceMapPayload} from 'node:module';
import {tmpdir} from 'node:os';
import path from 'node:path';
import test from 'node:test';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {CliProcess, cliPath, runCli} from '../helpers/cli-process.js';
import {freePort} from '../helpers/free-port.js';
import {UdpPeer} from '../helpers/udp-peer.js';

const root = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
);
const dist = path.join(root, 'dist');
const recorder = path.join(root, 'test', 'fixtures', 'record-loads.js');
/** The recorder hooks module loading in the process itself, as Node 22.15 and later can. */
const recording = {
  skip:
    'registerHooks' in nodeModule
      ? false
      : 'this Node cannot hook module loading in-thread (module.registerHooks)',
};

/** What only the dashboard, the summary's table or the metrics endpoint need. */
const notOnTheWay = [
  'ink',
  'react',
  'react-reconciler',
  'yoga-layout',
  'chalk',
  '@alcalzone/ink-table',
  'asciichart',
  'prom-client',
  'node:http',
  'node:worker_threads',
];

type Loaded = {
  /** Packages (by name) and Node's modules (`node:…`) whose code ran. */
  readonly names: Set<string>;
  /** Files read from node_modules rather than from the bundle. */
  readonly fromNodeModules: string[];
  readonly files: number;
};

function packageOf(file: string): string | undefined {
  const at = file.lastIndexOf('node_modules/');
  if (at === -1) {
    return undefined;
  }

  const parts = file.slice(at + 'node_modules/'.length).split('/');
  return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
}

/** The packages in the URLs the recorder wrote: bundled ones by the sources of each file's map. */
async function readLoaded(file: string): Promise<Loaded> {
  const text = await readFile(file, 'utf8');
  const urls = text.split('\n').filter(Boolean);
  const names = new Set<string>();
  const fromNodeModules: string[] = [];
  for (const url of urls) {
    if (url.startsWith('node:')) {
      names.add(url);
      continue;
    }

    const filePath = fileURLToPath(url);
    const name = packageOf(filePath);
    if (name !== undefined) {
      fromNodeModules.push(filePath);
      names.add(name);
      continue;
    }

    if (existsSync(`${filePath}.map`)) {
      const map = JSON.parse(
        await readFile(`${filePath}.map`, 'utf8'),
      ) as SourceMapPayload;
      for (const source of map.sources) {
        const bundled = packageOf(source);
        if (bundled !== undefined) {
          names.add(bundled);
        }
      }
    }
  }

  return {names, fromNodeModules, files: urls.length};
}

/** The environment that preloads the recorder into the CLI, writing to files named from `base`. */
function recordingInto(base: string): NodeJS.ProcessEnv {
  return {
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${pathToFileURL(recorder).href}`,
    RECORD_LOADS_FILE: base,
  };
}

async function withFolder(
  action: (folder: string) => Promise<void>,
): Promise<void> {
  const folder = await mkdtemp(path.join(tmpdir(), 'udp-heartbeat-startup-'));
  try {
    await action(folder);
  } finally {
    await rm(folder, {recursive: true, force: true});
  }
}

test(
  'a headless server is bound, from the bundle alone, before it loads Ink, React or prom-client',
  recording,
  async () => {
    await withFolder(async (folder) => {
      const base = path.join(folder, 'loads');
      const port = await freePort();
      const cli = new CliProcess(
        [
          '--output',
          'text',
          '--port',
          String(port),
          '--loss',
          '0',
          '--idle-timeout',
          '0',
        ],
        recordingInto(base),
      );
      const peer = await UdpPeer.open();
      try {
        await cli.waitForLine(/\bstart\b/v);
        // Its start line means it is bound: it answers.
        const reply = await peer.request(`1 ${new Date().toISOString()}`, port);
        assert.match(reply, /^Packet delivery delay = /v);
      } finally {
        await peer.close();
        cli.child.kill('SIGTERM');
      }

      assert.equal(await cli.exit(), 0, cli.stderr);
      const before = await readLoaded(`${base}.first`);
      assert.deepEqual(before.fromNodeModules, [], 'everything is bundled');
      // The recorder sees inside the bundle: meow parses the flags.
      assert.ok(before.names.has('meow'), [...before.names].join(' '));
      for (const name of notOnTheWay) {
        assert.ok(!before.names.has(name), `${name} loaded before the bind`);
      }

      // And it sees them when they load: the summary at exit is drawn with Ink.
      const atExit = await readLoaded(`${base}.exit`);
      for (const name of ['ink', 'react']) {
        assert.ok(atExit.names.has(name), `${name} loaded for the summary`);
      }
    });
  },
);

test(
  'the client sends its first heartbeat without Ink, React or prom-client in the process',
  recording,
  async () => {
    await withFolder(async (folder) => {
      const base = path.join(folder, 'loads');
      const socket = dgram.createSocket('udp4');
      socket.bind(0, '127.0.0.1');
      await once(socket, 'listening');
      try {
        const heartbeat = once(socket, 'message');
        const run = runCli(
          [
            'client',
            '--port',
            String(socket.address().port),
            '--count',
            '1',
            '--timeout',
            '0.2',
          ],
          recordingInto(base),
        );
        const [message] = (await heartbeat) as [Buffer];
        assert.match(message.toString(), /^1\s/v);
        // Nothing answers: the client says so and exits 1.
        const {code} = await run;
        assert.equal(code, 1);
      } finally {
        socket.close();
      }

      const loaded = await readLoaded(`${base}.exit`);
      assert.deepEqual(loaded.fromNodeModules, [], 'everything is bundled');
      for (const name of notOnTheWay) {
        assert.ok(!loaded.names.has(name), `${name} loaded by the client`);
      }
    });
  },
);

test('every file of the bundle has a source map holding its sources', async () => {
  const files = await readdir(dist, {recursive: true});
  const scripts = files.filter((file) => file.endsWith('.js'));
  assert.ok(scripts.includes('cli.js'));
  for (const script of scripts) {
    const map = JSON.parse(
      await readFile(path.join(dist, `${script}.map`), 'utf8'),
    ) as SourceMapPayload;
    assert.equal(
      map.sourcesContent?.length,
      map.sources.length,
      `${script}.map carries its sources`,
    );
  }

  // A line of dist/cli.js leads back to the line of cli.tsx it was built from.
  const builtText = await readFile(cliPath, 'utf8');
  const built = builtText.split('\n');
  const line = built.findIndex((text) => text.startsWith('function fail('));
  assert.ok(line > 0, 'dist/cli.js defines fail');
  const map = new SourceMap(
    JSON.parse(await readFile(`${cliPath}.map`, 'utf8')) as SourceMapPayload,
  );
  const entry = map.findEntry(line, 0);
  assert.ok('originalSource' in entry, 'the line is mapped');
  assert.equal(path.basename(entry.originalSource), 'cli.tsx');
  const sourceText = await readFile(path.join(root, 'cli.tsx'), 'utf8');
  const source = sourceText.split('\n');
  assert.match(source[entry.originalLine]!, /^function fail\(/v);
});

test('with --enable-source-maps, a mistake is still one line, and a stack leads to the TypeScript', async () => {
  const mistake = await runCli(['--port', '80'], {
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --enable-source-maps`,
  });
  assert.equal(mistake.code, 2);
  assert.equal(mistake.stderr.trim().split('\n').length, 1, mistake.stderr);
  assert.match(mistake.stderr, /^udp-heartbeat: --port: /v);

  // An error thrown inside the bundle, as a stack shows it.
  const script = `
    import {startWorkerEngine} from ${JSON.stringify(pathToFileURL(path.join(dist, 'source', 'engine', 'worker-engine.js')).href)};
    try {
      await startWorkerEngine(undefined, 'test');
    } catch (error) {
      console.log(error.stack);
    }
  `;
  // The child's output is all this needs, and it ends at once: blocking for it harms nothing.
  const stack = (flags: string[]): string =>
    execFileSync(
      process.execPath,
      [...flags, '--input-type=module', '--eval', script],
      {encoding: 'utf8'},
    );
  assert.match(
    stack(['--enable-source-maps']),
    /at startWorkerEngine \(.*source\/engine\/worker-engine\.ts:\d+:\d+\)/v,
  );
  assert.match(
    stack([]),
    /at startWorkerEngine \(.*dist\/source\/engine\/worker-engine\.js:\d+:\d+\)/v,
  );
});
