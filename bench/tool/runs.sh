#!/usr/bin/env bash
# Times `sharpflow runs` (the Sharpflow.Cli tool, Release) listing the runs of a local datastore and of an S3 datastore
# (s3rver on loopback, tests/s3-server), each with RUNS HelloFlow runs, with farm-bench (whole process, medians): the
# native linux-x64 program the tool's package installs here, paired against the framework-dependent one (the package
# for every other platform), and against a .NET "hello world" (the runtime's own floor).
#   bench/tool/runs.sh [RUNS]        (default 20; needs node and tests/s3-server's npm packages)
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
runs=${1:-20}
work=$(mktemp -d -t sharpflow-tool-bench-XXXXXX)
server=""
cleanup() {
  if [ -n "$server" ]; then exec 7>&- || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

dotnet build -c Release "$repo/src/Cli" -o "$work/tool" >/dev/null
dotnet publish -c Release -r linux-x64 "$repo/src/Cli" -o "$work/native" >/dev/null
# HelloFlow makes the runs; built beside the tool, it finds the S3 add-on there (add-ons are found beside the app).
dotnet build -c Release "$repo/examples/HelloFlow" -o "$work/tool" >/dev/null
mkdir -p "$work/floor" && cat >"$work/floor/floor.csproj" <<'XML'
<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><ImportDirectoryBuildProps>false</ImportDirectoryBuildProps></PropertyGroup></Project>
XML
echo 'System.Console.WriteLine("hello");' >"$work/floor/Program.cs"
dotnet build -c Release "$work/floor" -o "$work/floor/out" >/dev/null

# The S3-compatible server: stays up while its stdin (fd 7) is open.
[ -d "$repo/tests/s3-server/node_modules" ] || npm ci --prefix "$repo/tests/s3-server" --no-audit --no-fund >/dev/null
mkfifo "$work/s3-in"
(cd "$repo/tests/s3-server" && exec node --openssl-legacy-provider server.mjs "$work/s3-data" sharpflow-bench 0 <"$work/s3-in" >"$work/s3-out" 2>"$work/s3-err") &
server=$!
exec 7>"$work/s3-in"
for _ in $(seq 100); do grep -q '^listening ' "$work/s3-out" 2>/dev/null && break; sleep 0.1; done
export SHARPFLOW_S3_ENDPOINT="http://127.0.0.1:$(sed -n 's/^listening //p' "$work/s3-out")" AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER

for i in $(seq "$runs"); do
  dotnet "$work/tool/HelloFlow.dll" run --datastore "$work/local" --quiet >"$work/run.log" 2>&1 || { cat "$work/run.log" >&2; exit 1; }
  dotnet "$work/tool/HelloFlow.dll" run --datastore s3://sharpflow-bench/runs --quiet >"$work/run.log" 2>&1 || { cat "$work/run.log" >&2; exit 1; }
done
listed=$(dotnet "$work/tool/Sharpflow.Cli.dll" runs --datastore s3://sharpflow-bench/runs | wc -l)
[ "$listed" -eq $((runs + 1)) ] || { echo "expected $runs runs listed from S3, got $((listed - 1))" >&2; exit 1; }

native="$work/native/Sharpflow.Cli"
echo "== sharpflow runs, local datastore ($runs runs): native vs framework-dependent"
farm-bench -n 11 --vs "dotnet $work/tool/Sharpflow.Cli.dll runs --datastore $work/local" -- "$native" runs --datastore "$work/local"
echo "== sharpflow runs, S3 datastore on loopback ($runs runs): native vs framework-dependent"
farm-bench -n 11 --vs "dotnet $work/tool/Sharpflow.Cli.dll runs --datastore s3://sharpflow-bench/runs" -- "$native" runs --datastore s3://sharpflow-bench/runs
echo "== the runtime's floor: a .NET hello world vs the native tool on S3"
farm-bench -n 11 --vs "dotnet $work/floor/out/floor.dll" -- "$native" runs --datastore s3://sharpflow-bench/runs
