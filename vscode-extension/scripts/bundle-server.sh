#!/usr/bin/env bash
# Publishes the language server self-contained for one runtime (default linux-x64) into server/<rid>, which the
# platform-specific VSIX carries: the extension then needs neither a Sharpflow checkout nor a .NET install to start it.
#   bash scripts/bundle-server.sh [RID]     e.g. osx-arm64, win-x64 (then: vsce package --target darwin-arm64 / win32-x64)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
rid=${1:-linux-x64}
rm -rf "$here/server"
dotnet publish "$here/../language-server" -c Release -r "$rid" --self-contained \
  -p:SatelliteResourceLanguages=en -p:DebugType=none -o "$here/server/$rid"
