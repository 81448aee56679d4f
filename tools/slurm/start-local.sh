#!/usr/bin/env bash
# Starts a real single-node Slurm on this machine for the grid tests (tests/AmuroChar.Tests/Grid/SlurmGridTests.cs):
# installs Debian's slurm-wlm and munge with apt when missing (needs root), writes a minimal slurm.conf for this host,
# and starts munged, slurmctld and slurmd without systemd. Idempotent: when the cluster already answers it exits in
# well under a second. Prints the config path; clients read /etc/slurm/slurm.conf (the packages' default).
set -euo pipefail

state="${AMUROCHAR_SLURM_STATE:-/tmp/amurochar-slurm}"
conf=/etc/slurm/slurm.conf

if command -v scontrol >/dev/null && scontrol ping 2>/dev/null | grep -q 'is UP' \
   && sinfo -h -o '%T' 2>/dev/null | grep -Eq '^(idle|mixed|allocated)'; then
  echo "slurm: already running ($conf)"; exit 0
fi

if [ "$(id -u)" -ne 0 ]; then echo "slurm: start-local.sh must run as root (apt install, SlurmUser=root)" >&2; exit 1; fi

if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq slurm-wlm munge >/dev/null
fi

host="$(hostname -s)"
# Memory Slurm may hand out: what `free` reports, less 2 GB for everything else on the machine.
mem=$(( $(free -m | awk '/^Mem:/ {print $2}') - 2048 ))
mkdir -p "$state"/{ctld,d,log} /etc/slurm /run/munge /var/lib/munge /var/log/munge
if [ ! -s /etc/munge/munge.key ]; then
  dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key status=none; chmod 400 /etc/munge/munge.key
fi
chown -R munge:munge /etc/munge /run/munge /var/lib/munge /var/log/munge 2>/dev/null || true

cat > "$conf.tmp" <<CONF
# Written by tools/slurm/start-local.sh: one node, no systemd, no cgroups, no accounting database.
ClusterName=amurochar
SlurmctldHost=$host
SlurmUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU_Memory
SchedulerType=sched/backfill
StateSaveLocation=$state/ctld
SlurmdSpoolDir=$state/d
SlurmctldPidFile=$state/slurmctld.pid
SlurmdPidFile=$state/slurmd.pid
SlurmctldLogFile=$state/log/slurmctld.log
SlurmdLogFile=$state/log/slurmd.log
ReturnToService=2
MaxArraySize=10001
MinJobAge=3600
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
JobAcctGatherType=jobacct_gather/none
NodeName=$host CPUs=2 RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
mv "$conf.tmp" "$conf"

pgrep -x munged >/dev/null || runuser -u munge -- /usr/sbin/munged || /usr/sbin/munged --force
for i in $(seq 50); do munge -n </dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.1; done
pgrep -x slurmctld >/dev/null || /usr/sbin/slurmctld
pgrep -x slurmd >/dev/null || /usr/sbin/slurmd
for i in $(seq 100); do
  if sinfo -h -o '%T' 2>/dev/null | grep -Eq '^(idle|mixed|allocated)'; then echo "slurm: started ($conf, state $state)"; exit 0; fi
  sleep 0.2
done
echo "slurm: the node did not come up; see $state/log/slurmctld.log and slurmd.log" >&2
sinfo >&2 || true
exit 1
