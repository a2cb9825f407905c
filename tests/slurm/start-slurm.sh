#!/usr/bin/env bash
# Starts a one-node Slurm cluster on loopback for the remote-compute tests: munged, slurmctld and slurmd, with two
# "GPUs" declared through gres.conf on character devices this script creates (Slurm then sets CUDA_VISIBLE_DEVICES
# per job). Needs root and the Debian packages slurm-wlm and munge. Idempotent: an already running cluster is kept.
#   tests/slurm/start-slurm.sh STATE_DIR
set -euo pipefail
state=${1:?usage: start-slurm.sh STATE_DIR}
mkdir -p "$state"/{spool,ctld,log}
host=$(hostname -s)
if scontrol ping 2>/dev/null | grep -q 'is UP' && sinfo -h -o %T 2>/dev/null | grep -qE 'idle|mixed|alloc' \
    && sinfo -h -o %R 2>/dev/null | grep -qx gpu; then
  echo "slurm already running"; exit 0
fi

# Munge: a key and the daemon.
if [ ! -f /etc/munge/munge.key ]; then
  (mungekey --create --keyfile=/etc/munge/munge.key 2>/dev/null || dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none)
fi
chown munge:munge /etc/munge/munge.key 2>/dev/null || true
chmod 400 /etc/munge/munge.key
mkdir -p /run/munge && chown munge:munge /run/munge 2>/dev/null || true
pgrep -x munged >/dev/null || su -s /bin/sh munge -c /usr/sbin/munged 2>/dev/null || /usr/sbin/munged --force

# Two GPU device nodes (character devices: Slurm ignores plain files).
for i in 0 1; do
  [ -c "$state/gpu$i" ] || mknod "$state/gpu$i" c 195 "$i"
done

cpus=$(nproc)
mem=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 - 512 ))
cat > /etc/slurm/slurm.conf <<CONF
ClusterName=sharpflow
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
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
cat > /etc/slurm/gres.conf <<CONF
NodeName=$host Name=gpu File=$state/gpu[0-1]
CONF

if pgrep -x slurmctld >/dev/null; then scontrol reconfigure; else slurmctld; fi
pgrep -x slurmd >/dev/null || slurmd
for _ in $(seq 1 60); do
  if sinfo -h -o %T 2>/dev/null | grep -qE 'idle|mixed|alloc'; then echo "slurm up"; exit 0; fi
  scontrol update nodename="$host" state=resume >/dev/null 2>&1 || true
  sleep 0.5
done
echo "slurm did not come up:" >&2; sinfo >&2 || true; tail -20 "$state/log/slurmctld.log" "$state/log/slurmd.log" >&2 || true
exit 1
