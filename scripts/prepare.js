// `npm ci` in a clone builds dist, so the CLI runs at once. An install without the dev tools
// (`npm ci --omit=dev`, from a package that already carries dist) has no compiler or bundler and
// nothing to build: it skips, rather than fail for want of them.
import {execFileSync} from 'node:child_process';
import {createRequire} from 'node:module';
import process from 'node:process';

// npm pack and publish run prepare too, right after prepack has built.
if (['pack', 'publish'].includes(process.env.npm_command ?? '')) {
  process.exit(0);
}

// The build type-checks with TypeScript and bundles with esbuild: both are dev tools.
for (const tool of ['typescript', 'esbuild']) {
  try {
    createRequire(import.meta.url).resolve(tool);
  } catch {
    console.log(`prepare: ${tool} is not installed; dist is used as it is`);
    process.exit(0);
  }
}

execFileSync('npm', ['run', 'build'], {stdio: 'inherit'});
