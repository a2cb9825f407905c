#!/usr/bin/env bash
# Times a 200-way GPU foreach on a private loopback Slurm cluster two ways: as one job array (ArrayGpuFlow,
# [Slurm(MaxParallel = 8)]) and as one job per task (GpuFlow, [Slurm(JobArray = false)]), and prints both wall times,
# their ratio and how many sbatch submissions each made. Needs root, slurm-wlm and munge (as the Slurm tests do).
#   bench/slurm/array-vs-jobs.sh [WIDTH]     (run from anywhere; builds the test flows in Release first)
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
width=${1:-200}
work=$(mktemp -d -t sharpflow-slurm-bench-XXXXXX)
cluster=""
cleanup() {
  if [ -n "$cluster" ]; then kill -TERM "$cluster" 2>/dev/null || true; wait "$cluster" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

dotnet build -c Release "$repo/tests/Sharpflow.TestFlows" -o "$work/flows" >/dev/null
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
mkfifo "$work/up"
bash "$repo/tests/slurm/start-slurm.sh" "$work/cluster" "$(free_port)" "$(free_port)" >"$work/up" 2>"$work/cluster.err" &
cluster=$!
grep -q -m1 '^slurm up$' <"$work/up" || { echo "the Slurm cluster did not start:" >&2; cat "$work/cluster.err" >&2; exit 1; }
export SLURM_CONF="$work/cluster/slurm.conf" SHARPFLOW_SHARED_DIR="$work/shared"

# Runs one flow; prints its wall seconds and how many sbatch submissions it made (each has its own folder under jobs/).
timed_run() {
  local flow=$1; shift
  local before after start end
  before=$(submissions)
  start=$(date +%s.%N)
  (cd "$work" && dotnet "$work/flows/Sharpflow.TestFlows.dll" "$flow" run --datastore "$work/ds-$flow" --quiet --max-num-splits "$width" "$@" >"$work/$flow.out" 2>&1) \
    || { echo "$flow failed:" >&2; tail -20 "$work/$flow.out" >&2; exit 1; }
  end=$(date +%s.%N)
  after=$(submissions)
  echo "$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }') $((after - before))"
}
submissions() { if [ -d "$work/shared/jobs" ]; then find "$work/shared/jobs" -mindepth 1 -maxdepth 1 -type d | wc -l; else echo 0; fi; }

read -r array_wall array_jobs < <(timed_run ArrayGpuFlow --width "$width" --fail-item -1 --max-workers 2)
read -r single_wall single_jobs < <(timed_run GpuFlow --width "$width" --hold 0 --max-workers 2)
printf '%-44s %10s %12s\n' "scenario ($width-way GPU foreach, 2 GPUs)" "wall (s)" "sbatch calls"
printf '%-44s %10.1f %12d\n' "one job array (ArrayGpuFlow)" "$array_wall" "$array_jobs"
printf '%-44s %10.1f %12d\n' "one job per task (GpuFlow)" "$single_wall" "$single_jobs"
awk -v a="$array_wall" -v s="$single_wall" 'BEGIN { printf "array / per-task wall ratio: %.2f\n", a / s }'
