// `npm run build`: bundles the CLI into dist with esbuild, after `tsc --noEmit` has type-checked
// it. A bundle starts faster than a tree of modules (one file to resolve, read and compile rather
// than a hundred), and code splitting keeps what only some runs need (the dashboard with Ink and
// React, the metrics endpoint with prom-client, replay, the alert hooks) in chunks of their own
// that load on first use. docs/design.md, "Start-up", says why and how it is measured.
//
// dist/cli.js is the `bin`; the chunks sit beside it, each with its source map. The engine's
// thread is an entry of its own: worker-engine.ts starts it by a URL relative to itself, so both
// are entries at their source paths (dist/source/engine/), and the build checks that every output
// naming the worker file has it beside it. worker-engine.js being an entry also lets a test start
// the worker engine from the build.
import {existsSync} from 'node:fs';
import {readFile, rm} from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';
import {fileURLToPath} from 'node:url';
import {build} from 'esbuild';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const outdir = path.join(root, 'dist');

// Chunks from an earlier build carry other hashes: start from nothing.
await rm(outdir, {recursive: true, force: true});

/*
meow's bundled dependencies build normalize-package-data (with its licence and semver tables) as
soon as they load, for a package.json this CLI never asks meow for: that is about a quarter of the
time from launch to a bound socket. Built on first use instead. Should meow change so that the
lines are not found, the bundle is built from meow as it is, only slower to start, and says so.
*/
const eagerNormalize = `var normalizeExports = requireNormalize();
const normalizePackageData = getDefaultExportFromCjs(normalizeExports);`;
const lazyNormalize = `const normalizePackageData = (...parameters) => getDefaultExportFromCjs(requireNormalize())(...parameters);`;

/** @type {import('esbuild').Plugin} */
const lazyMeowNormalize = {
  name: 'lazy-meow-normalize',
  setup(build) {
    build.onLoad(
      // esbuild runs the filter as a Go regular expression, which takes no `u` or `v` flag.
      // eslint-disable-next-line require-unicode-regexp
      {filter: /[/\\]meow[/\\]build[/\\]dependencies\.js$/},
      async ({path: file}) => {
        const text = await readFile(file, 'utf8');
        if (!text.includes(eagerNormalize)) {
          return {
            contents: text,
            warnings: [
              {
                text: "meow's normalize-package-data is no longer where the build looks: it loads eagerly",
              },
            ],
          };
        }

        return {contents: text.replace(eagerNormalize, lazyNormalize)};
      },
    );
  },
};

const result = await build({
  absWorkingDir: root,
  entryPoints: {
    cli: 'cli.tsx',
    'source/engine/engine-worker': 'source/engine/engine-worker.ts',
    'source/engine/worker-engine': 'source/engine/worker-engine.ts',
    // The demo's thread likewise: demo-thread.ts starts demo-worker.js beside it.
    'source/client/demo-thread': 'source/client/demo-thread.ts',
    'source/client/demo-worker': 'source/client/demo-worker.ts',
  },
  outdir,
  chunkNames: '[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // React picks its build by NODE_ENV when it loads (source/production-mode.ts), not at build time.
  sourcemap: true,
  sourcesContent: true,
  // Optional peers that nothing here uses: React's devtools (development only) and prom-client's
  // tracing hook. Left to a runtime import that never happens.
  external: ['react-devtools-core', '@opentelemetry/api'],
  // Bundled CommonJS (prom-client, React) calls `require` for Node's own modules.
  banner: {
    js: "import {createRequire as __createRequire} from 'node:module';\nconst require = __createRequire(import.meta.url);",
  },
  legalComments: 'linked',
  plugins: [lazyMeowNormalize],
  metafile: true,
  logLevel: 'warning',
});

// A worker is started by a URL the bundler does not follow (`new URL('x.js', import.meta.url)`):
// check that each script so named is where the output that names it looks for it.
const scriptUrl = /new URL\("(?<name>[^"]+\.js)", import\.meta\.url\)/gv;
for (const output of Object.keys(result.metafile.outputs)) {
  if (!output.endsWith('.js')) {
    continue;
  }

  const file = path.join(root, output);
  const text = await readFile(file, 'utf8');
  for (const match of text.matchAll(scriptUrl)) {
    const name = match.groups?.name ?? '';
    if (!existsSync(path.join(path.dirname(file), name))) {
      console.error(`build: ${output} starts ${name}, which is not beside it`);
      process.exitCode = 1;
    }
  }
}
