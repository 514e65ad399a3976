#!/bin/sh
# A one-node Slurm cluster on this host, for the sharding tests and
# benchmarks: Debian's slurmctld, slurmd and munge, configured in a
# directory of its own (nothing in /etc/slurm is touched; the client
# commands find it through SLURM_CONF).
#
#   scripts/slurm-local.sh start DIR   configure and start; prints SLURM_CONF=DIR/slurm.conf
#   scripts/slurm-local.sh stop DIR    stop what start started
#
# Needs root (slurmd runs jobs as their submitter) and the packages slurmd,
# slurmctld, slurm-client and munge (scripts/test-deps.sh installs them).
# No cgroups are needed: processes are tracked by /proc (proctrack/linuxproc),
# tasks are not bound (task/none), there is no accounting. On a machine where
# the daemons cannot start, start exits 1 with the reason from their logs.
set -eu
cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }

pidof_file() { [ -f "$1" ] && cat "$1" 2>/dev/null || true; }

stop() {
  for f in "$dir/slurmd.pid" "$dir/slurmctld.pid"; do
    p=$(pidof_file "$f")
    [ -n "$p" ] && kill "$p" 2>/dev/null || true
  done
  # munged is ours only when start started it (its pid file in dir)
  p=$(pidof_file "$dir/munge/munged.pid")
  [ -n "$p" ] && kill "$p" 2>/dev/null || true
  i=0
  while [ $i -lt 50 ]; do
    alive=""
    for f in "$dir/slurmd.pid" "$dir/slurmctld.pid" "$dir/munge/munged.pid"; do
      p=$(pidof_file "$f")
      [ -n "$p" ] && kill -0 "$p" 2>/dev/null && alive=1
    done
    [ -z "$alive" ] && break
    sleep 0.1
    i=$((i + 1))
  done
  rm -f "$dir/slurmd.pid" "$dir/slurmctld.pid" "$dir/munge/munged.pid"
}

if [ "$cmd" = stop ]; then
  stop
  exit 0
fi
[ "$cmd" = start ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || { echo "slurm-local: needs root (slurmd runs jobs as their submitter)" >&2; exit 1; }
for b in slurmctld slurmd munged sbatch sinfo; do
  command -v "$b" >/dev/null 2>&1 || [ -x "/usr/sbin/$b" ] || { echo "slurm-local: $b is missing (scripts/test-deps.sh installs slurmd, slurmctld, slurm-client, munge)" >&2; exit 1; }
done
PATH=$PATH:/usr/sbin

mkdir -p "$dir/state" "$dir/spool"
stop

# munge: the system's daemon when it answers, else one of ours
if ! munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1; then
  [ -f /etc/munge/munge.key ] || { echo "slurm-local: /etc/munge/munge.key is missing (reinstall munge)" >&2; exit 1; }
  mkdir -p /run/munge && chown munge:munge /run/munge 2>/dev/null || true
  # (its pid file in a directory munge may write to)
  mkdir -p "$dir/munge" && chown munge:munge "$dir/munge" 2>/dev/null || true
  runuser -u munge -- munged --pid-file="$dir/munge/munged.pid" 2>"$dir/munged.err" ||
    munged --force --pid-file="$dir/munge/munged.pid" 2>>"$dir/munged.err" ||
    { echo "slurm-local: munged does not start: $(tail -n 1 "$dir/munged.err")" >&2; exit 1; }
  i=0
  until munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1; do
    i=$((i + 1))
    [ $i -gt 50 ] && { echo "slurm-local: munged does not answer" >&2; exit 1; }
    sleep 0.1
  done
fi

host=$(hostname -s)
# the node as slurmd sees it (CPUs, cores, memory), so it is not drained for a mismatch
node=$(slurmd -C | head -n 1)
case "$node" in NodeName=*) ;; *) echo "slurm-local: slurmd -C says: $node" >&2; exit 1 ;; esac
cat >"$dir/slurm.conf" <<EOF
ClusterName=ioaio
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
SlurmctldPort=${IOAIO_SLURMCTLD_PORT:-6817}
SlurmdPort=${IOAIO_SLURMD_PORT:-6818}
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SwitchType=switch/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MaxArraySize=1001
$node State=UNKNOWN
PartitionName=ioaio Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF="$dir/slurm.conf"

slurmctld -f "$SLURM_CONF" 2>"$dir/slurmctld.err" || { echo "slurm-local: slurmctld does not start: $(tail -n 2 "$dir/slurmctld.log" "$dir/slurmctld.err" 2>/dev/null | tr '\n' ' ')" >&2; stop; exit 1; }
slurmd -f "$SLURM_CONF" 2>"$dir/slurmd.err" || { echo "slurm-local: slurmd does not start: $(tail -n 2 "$dir/slurmd.log" "$dir/slurmd.err" 2>/dev/null | tr '\n' ' ')" >&2; stop; exit 1; }

# up when the node takes jobs
i=0
until sinfo -h -o '%t' 2>/dev/null | grep -Eq '^(idle|mix|alloc)'; do
  i=$((i + 1))
  if [ $i -gt 150 ]; then
    echo "slurm-local: the node did not come up: $(sinfo -h -o '%t %E' 2>&1 | head -n 1); $(tail -n 3 "$dir/slurmd.log" 2>/dev/null | tr '\n' ' ')" >&2
    stop
    exit 1
  fi
  sleep 0.2
done
echo "SLURM_CONF=$SLURM_CONF"
