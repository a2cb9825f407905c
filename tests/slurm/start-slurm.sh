#!/usr/bin/env bash
# Runs a private one-node Slurm cluster on loopback for the remote-compute tests, in the foreground: its own munged
# (private key and socket), slurmctld and slurmd on the given ports, with two "GPUs" declared through gres.conf on
# character devices this script creates (Slurm then sets CUDA_VISIBLE_DEVICES per job). Everything lives in STATE_DIR
# (config, keys, spool, logs); nothing of the machine's own Slurm or munge is used or touched. Prints "slurm up" once
# the node takes jobs; clients reach the cluster with SLURM_CONF=STATE_DIR/slurm.conf. The caller owns this process and
# ends it with SIGTERM: it cancels the jobs left and stops its daemons (its children: none forks into the background).
# Needs root and the Debian packages slurm-wlm and munge.
#   tests/slurm/start-slurm.sh STATE_DIR SLURMCTLD_PORT SLURMD_PORT
set -euo pipefail
state=$(realpath -m "${1:?usage: start-slurm.sh STATE_DIR SLURMCTLD_PORT SLURMD_PORT}")
ctld_port=${2:?usage: start-slurm.sh STATE_DIR SLURMCTLD_PORT SLURMD_PORT}
slurmd_port=${3:?usage: start-slurm.sh STATE_DIR SLURMCTLD_PORT SLURMD_PORT}
mkdir -p "$state"/{spool,ctld,log,munge}
chmod 700 "$state/munge"
host=$(hostname -s)
children=()
stop() {
  # Jobs still running (their slurmstepd is not a child of this script): cancelled through this cluster's own config.
  [ ! -f "$state/slurm.conf" ] || SLURM_CONF="$state/slurm.conf" scancel --user="$(id -un)" >/dev/null 2>&1 || true
  [ ${#children[@]} -eq 0 ] || kill "${children[@]}" 2>/dev/null || true
  wait || true
}
trap stop EXIT
trap 'exit 143' TERM INT

# Munge: a private key and daemon (-F: foreground; --force: root and a socket outside /run/munge are fine here).
if [ ! -f "$state/munge/munge.key" ]; then
  mungekey --create --keyfile="$state/munge/munge.key" 2>/dev/null || dd if=/dev/urandom of="$state/munge/munge.key" bs=1024 count=1 status=none
fi
chmod 400 "$state/munge/munge.key"
socket="$state/munge/munge.socket"
munged -F --force --key-file="$state/munge/munge.key" --socket="$socket" --pid-file="$state/munge/munged.pid" \
  --seed-file="$state/munge/munged.seed" --log-file="$state/log/munged.log" >>"$state/log/munged.out" 2>&1 &
children+=($!)

# Two GPU device nodes (character devices: Slurm ignores plain files).
for i in 0 1; do
  [ -c "$state/gpu$i" ] || mknod "$state/gpu$i" c 195 "$i"
done

cpus=$(nproc)
mem=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 - 512 ))
cat > "$state/slurm.conf" <<CONF
ClusterName=sharpflow
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$socket
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
GresTypes=gpu
MpiDefault=none
ReturnToService=2
SlurmctldPidFile=$state/ctld/slurmctld.pid
SlurmdPidFile=$state/spool/slurmd.pid
SlurmdSpoolDir=$state/spool
StateSaveLocation=$state/ctld
SlurmctldLogFile=$state/log/slurmctld.log
SlurmdLogFile=$state/log/slurmd.log
SchedulerType=sched/backfill
MinJobAge=600
DefMemPerNode=1024
KillWait=5
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem Gres=gpu:2 State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP OverSubscribe=YES
PartitionName=gpu Nodes=$host Default=NO MaxTime=INFINITE State=UP OverSubscribe=YES
CONF
cat > "$state/gres.conf" <<CONF
NodeName=$host Name=gpu File=$state/gpu[0-1]
CONF
export SLURM_CONF="$state/slurm.conf"

for _ in $(seq 1 100); do [ -S "$socket" ] && break; sleep 0.1; done
[ -S "$socket" ] || { echo "munged did not start:" >&2; cat "$state/log/munged.log" >&2; exit 1; }
slurmctld -D -i -f "$SLURM_CONF" >>"$state/log/slurmctld.out" 2>&1 &
children+=($!)
slurmd -D -f "$SLURM_CONF" >>"$state/log/slurmd.out" 2>&1 &
children+=($!)

# Up when the node is idle (the controller answers and the node registered with its GPUs).
for _ in $(seq 1 240); do
  for child in "${children[@]}"; do
    kill -0 "$child" 2>/dev/null || { echo "a Slurm daemon exited:" >&2; tail -20 "$state"/log/*.log >&2; exit 1; }
  done
  if sinfo -h -o %T 2>/dev/null | grep -qE 'idle|mixed|alloc'; then
    echo "slurm up"
    wait
    exit 0
  fi
  scontrol update nodename="$host" state=resume >/dev/null 2>&1 || true
  sleep 0.25
done
echo "slurm did not come up:" >&2; sinfo >&2 || true; tail -20 "$state"/log/*.log >&2
exit 1
