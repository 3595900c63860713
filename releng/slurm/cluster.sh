#!/bin/sh
# A one-node Slurm on this machine, for the cluster integration test (../shared/slurm-notes.md: measured setup).
#   releng/slurm/cluster.sh start DIR    munged + slurmctld + slurmd with a generated DIR/slurm.conf; waits until the node is idle
#   releng/slurm/cluster.sh stop DIR     stops them by their pid files (never by name)
#   releng/slurm/cluster.sh install      slurm-wlm and munge from Debian's packages (root), if missing
# Everything lives in DIR (state, spool, logs, pids, the config); callers export SLURM_CONF=DIR/slurm.conf.
set -e
ACTION=$1
DIR=${2:-}
have() { command -v slurmctld >/dev/null 2>&1 && command -v slurmd >/dev/null 2>&1 && command -v sbatch >/dev/null 2>&1 && command -v munged >/dev/null 2>&1; }
case "$ACTION" in
  install)
    have && exit 0
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      echo "cluster.sh: installing slurm-wlm and munge (apt-get)" >&2
      export DEBIAN_FRONTEND=noninteractive
      { apt-get update -qq && apt-get install -y -qq slurm-wlm munge; } >/dev/null 2>&1 || true
    fi
    have || { echo "cluster.sh: Slurm is not installed and cannot be installed here (needs root and apt-get: apt-get install -y slurm-wlm munge)" >&2; exit 1; }
    ;;
  start)
    [ -n "$DIR" ] || { echo "usage: cluster.sh start DIR" >&2; exit 2; }
    mkdir -p "$DIR/state" "$DIR/spool" "$DIR/log" "$DIR/munge"
    HOST=$(hostname -s)
    # munge: the package's key, our own socket and pid, run as the munge user
    chown munge "$DIR/munge" 2>/dev/null || true
    su -s /bin/sh munge -c "/usr/sbin/munged --socket=$DIR/munge/munge.socket --pid-file=$DIR/munge/munged.pid --log-file=$DIR/munge/munged.log --seed-file=$DIR/munge/munged.seed"
    cat > "$DIR/slurm.conf" <<CONF
ClusterName=nopelab-test
SlurmctldHost=$HOST
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$DIR/munge/munge.socket
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool
SlurmctldPidFile=$DIR/slurmctld.pid
SlurmdPidFile=$DIR/slurmd.pid
SlurmctldLogFile=$DIR/log/slurmctld.log
SlurmdLogFile=$DIR/log/slurmd.log
SlurmctldPort=${SLURMCTLD_PORT:-6817}
SlurmdPort=${SLURMD_PORT:-6818}
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SwitchType=switch/none
MpiDefault=none
ReturnToService=2
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MinJobAge=600
NodeName=$HOST CPUs=$(nproc) RealMemory=4000 State=UNKNOWN
PartitionName=debug Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
CONF
    export SLURM_CONF="$DIR/slurm.conf"
    slurmctld
    slurmd
    # both must be ours and alive: another Slurm on these ports would answer sinfo instead
    for d in slurmctld slurmd; do
      j=0
      until [ -s "$DIR/$d.pid" ] && kill -0 "$(cat "$DIR/$d.pid")" 2>/dev/null; do
        j=$((j + 1))
        [ $j -le 40 ] || { echo "cluster.sh: $d did not start (is another Slurm using ports ${SLURMCTLD_PORT:-6817}/${SLURMD_PORT:-6818}?); see $DIR/log" >&2; exit 1; }
        sleep 0.25
      done
    done
    # wait for the node, not for a fixed time
    i=0
    while ! sinfo -h -o '%t' 2>/dev/null | grep -q '^idle'; do
      i=$((i + 1))
      [ $i -le 120 ] || { echo "cluster.sh: the node did not become idle within 60 s; see $DIR/log" >&2; sinfo >&2 || true; exit 1; }
      sleep 0.5
    done
    echo "cluster.sh: one-node Slurm up ($HOST, $(nproc) CPUs), SLURM_CONF=$DIR/slurm.conf" >&2
    ;;
  stop)
    [ -n "$DIR" ] || { echo "usage: cluster.sh stop DIR" >&2; exit 2; }
    for pid in "$DIR/slurmd.pid" "$DIR/slurmctld.pid" "$DIR/munge/munged.pid"; do
      [ -f "$pid" ] && kill "$(cat "$pid")" 2>/dev/null || true
    done
    ;;
  *) echo "usage: cluster.sh install | start DIR | stop DIR" >&2; exit 2 ;;
esac
