import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {cp, mkdir, mkdtemp, readdir, rm, symlink} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import test from 'node:test';
import {fileURLToPath} from 'node:url';

/** Runs a command to its end (this file holds one test: blocking harms nobody) and returns its output. */
function run(
  command: string,
  args: readonly string[],
  options: {cwd?: string} = {},
): {stdout: string} {
  return {
    stdout: execFileSync(command, args, {
      ...options,
      encoding: 'utf8',
      maxBuffer: 16 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  };
}

const root = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
);

/** What a clean clone has: the sources and the project files, without dist. */
const cloneFiles = [
  'cli.tsx',
  'source',
  'scripts',
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'tsconfig.build.json',
  'LICENSE',
  'README.md',
];

type PackResult = {filename: string; files: Array<{path: string}>};

test('npm pack from a clean clone builds dist, and npm ci --omit=dev installs the package without TypeScript', async () => {
  const folder = await mkdtemp(path.join(tmpdir(), 'udp-heartbeat-pack-'));
  try {
    const clone = path.join(folder, 'clone');
    await mkdir(clone);
    for (const file of cloneFiles) {
      await cp(path.join(root, file), path.join(clone, file), {
        recursive: true,
      });
    }

    // The dev tools of this checkout stand in for `npm ci` in the clone; dist is not copied.
    await symlink(
      path.join(root, 'node_modules'),
      path.join(clone, 'node_modules'),
    );
    const packed = run(
      'npm',
      ['pack', '--json', '--pack-destination', folder],
      {cwd: clone},
    );
    const [result] = JSON.parse(
      packed.stdout.slice(packed.stdout.indexOf('[')),
    ) as PackResult[];
    assert.ok(result);
    const files = result.files.map((file) => file.path);
    for (const file of [
      'dist/cli.js',
      'LICENSE',
      'README.md',
      'package.json',
    ]) {
      assert.ok(files.includes(file), `${file} is packed: ${files.join(' ')}`);
    }

    assert.ok(
      !files.some((file) => /^(?:test|source|bench)\//v.test(file)),
      'neither tests nor TypeScript sources are packed',
    );

    // The package as a user gets it, with the lock that pins its dependencies.
    const installed = path.join(folder, 'package');
    run('tar', ['-xzf', path.join(folder, result.filename), '-C', folder]);
    await cp(
      path.join(root, 'package-lock.json'),
      path.join(installed, 'package-lock.json'),
    );
    run(
      'npm',
      ['ci', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline'],
      {cwd: installed},
    );
    const modules = await readdir(path.join(installed, 'node_modules'));
    assert.ok(!modules.includes('typescript'), 'no TypeScript installed');
    assert.ok(modules.includes('meow'), 'the runtime dependencies are');
    const version = run(process.execPath, ['dist/cli.js', '--version'], {
      cwd: installed,
    });
    assert.match(version.stdout.trim(), /^\d+\.\d+\.\d+$/v);
    const help = run(process.execPath, ['dist/cli.js', '--help'], {
      cwd: installed,
    });
    assert.match(help.stdout, /--port, -p/v);
  } finally {
    await rm(folder, {recursive: true, force: true});
  }
});
