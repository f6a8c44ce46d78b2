#!/usr/bin/env bash
# bench/lockstep.sh BIN: lockstep TFTP (windowsize 1, what PXE ROMs, pxelinux
# and iPXE do) of `BIN serve` against tftpd-hpa: LOCKSTEP_CLIENTS clients
# (default 64) at blksize 1468 and 512, each fetching a 4 MiB file again and
# again for SECONDS_PER_RUN seconds, driven by one single-threaded epoll
# generator (bench/storm-load.c in its lockstep mode, built here with cc -O2)
# so that the generator is not what limits the figure; its CPU is reported.
#
# Server CPU is counted over the whole process tree: each server runs in a
# cpuacct cgroup of its own (v1 or v2), which also holds tftpd-hpa's forked
# per-transfer children after they exit; without cgroups, /proc's utime,
# stime, cutime and cstime of the parent (children it has reaped).
#
# Both listen on 127.0.0.1 high ports; only the PIDs started here are stopped.
# Output, one line per figure:
#   bench: lockstep-c64-bN          MiB/s vs tftpd-hpa
#   bench: lockstep-cpu-per-block-c64-bN  server us per block vs tftpd-hpa
#   bench: lockstep-load-cpu-c64-bN the generator's share of one core
set -euo pipefail

BIN=${1:?usage: bench/lockstep.sh PATH-TO-RELEASE-pxefarm}
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
source "$(dirname "$0")/lib.sh"
SECONDS_PER_RUN=${SECONDS_PER_RUN:-6}
CLIENTS=${LOCKSTEP_CLIENTS:-64}
BLKSIZES=${BLKSIZES:-"1468 512"}
FILE_SIZE=$((4 * 1024 * 1024))
PXEFARM_PORT=${PXEFARM_PORT:-16911}
HPA_PORT=${HPA_PORT:-16912}

if ! command -v in.tftpd >/dev/null; then
    echo "bench: skipped lockstep: in.tftpd is not installed (apt-get install tftpd-hpa)" >&2
    exit 0
fi
bench_work lockstep
tftp_fixture "$CLIENTS" "$FILE_SIZE"

# make_cgroup NAME PID: a cpuacct cgroup holding PID (and its future children)
# in GROUP, or GROUP empty where there is none (in this shell, not a subshell,
# so that the cleanup knows it).
CGROOT=
if [ -f /sys/fs/cgroup/cpuacct/cpuacct.usage ]; then CGROOT=/sys/fs/cgroup/cpuacct
elif [ -f /sys/fs/cgroup/cgroup.controllers ]; then CGROOT=/sys/fs/cgroup; fi
make_cgroup() {
    GROUP=
    [ -n "$CGROOT" ] || return 0
    mkdir "$CGROOT/pxefarm-bench-$1-$$" 2>/dev/null || return 0
    CGROUPS+=("$CGROOT/pxefarm-bench-$1-$$")
    echo "$2" > "$CGROOT/pxefarm-bench-$1-$$/cgroup.procs" 2>/dev/null || return 0
    GROUP=$CGROOT/pxefarm-bench-$1-$$
}
# Server CPU in microseconds so far: the cgroup's, or the process's and its reaped children's.
server_cpu_us() {   # PID CGROUP-or-empty
    if [ -n "$2" ] && [ -f "$2/cpuacct.usage" ]; then awk '{printf "%.0f", $1 / 1000}' "$2/cpuacct.usage"
    elif [ -n "$2" ] && [ -f "$2/cpu.stat" ]; then awk '/^usage_usec/ {print $2}' "$2/cpu.stat"
    else awk -v hz="$(getconf CLK_TCK)" '{printf "%.0f", ($14 + $15 + $16 + $17) / hz * 1e6}' "/proc/$1/stat"; fi
}

declare -A MIBPS USPB GEN
measure() {   # NAME PORT PID CGROUP
    local name=$1 port=$2 pid=$3 group=$4 b before after line blocks
    for b in $BLKSIZES; do
        before=$(server_cpu_us "$pid" "$group")
        line=$("$WORK/storm-load" lockstep - "$WORK/clients" "$FILE_SIZE" 0 "$b" 0 1000 "$SECONDS_PER_RUN" 127.0.0.1 "$port" linux.1)
        sleep 0.3   # tftpd-hpa's last children exit and are counted
        after=$(server_cpu_us "$pid" "$group")
        blocks=$(awk -v bytes="$(field "$line" bytes)" -v b="$b" 'BEGIN { printf "%.0f", bytes / b }')
        MIBPS[$name/$b]=$(field "$line" mibps)
        USPB[$name/$b]=$(awk -v us=$((after - before)) -v n="$blocks" 'BEGIN { if (n > 0) printf "%.2f", us / n; else print 0 }')
        GEN[$name/$b]=$(field "$line" cpu_core_pct)
        echo "run: $name clients=$CLIENTS blksize=$b $line server_cpu_us=$((after - before)) blocks=$blocks" >&2
        [ "$(field "$line" failures)" = 0 ] || echo "run: $name had failed transfers" >&2
    done
}

"$BIN" serve "$WORK/farm.yaml" --out "$WORK/out" --address 127.0.0.1 --tftp-port "$PXEFARM_PORT" --no-dhcp --no-http --mtftp-port 0 2>"$WORK/pxefarm.log" &
pid=$!
PIDS+=("$pid")
make_cgroup pxefarm "$pid"
group=$GROUP
wait_for_udp_port "" "$PXEFARM_PORT"
measure pxefarm "$PXEFARM_PORT" "$pid" "$group"
kill "$pid"; wait "$pid" 2>/dev/null || true

in.tftpd -L -a "127.0.0.1:$HPA_PORT" -s "$WORK/out/tftpboot" &
pid=$!
PIDS+=("$pid")
make_cgroup tftpd-hpa "$pid"
group=$GROUP
[ -n "$group" ] || echo "bench: no cpuacct cgroup here: tftpd-hpa's CPU is its own and its reaped children's (/proc)" >&2
wait_for_udp_port "" "$HPA_PORT"
measure tftpd-hpa "$HPA_PORT" "$pid" "$group"
kill "$pid"; wait "$pid" 2>/dev/null || true

for b in $BLKSIZES; do
    echo "bench: lockstep-c$CLIENTS-b$b ${MIBPS[pxefarm/$b]} MiB/s vs tftpd-hpa ${MIBPS[tftpd-hpa/$b]} MiB/s ratio $(ratio "${MIBPS[pxefarm/$b]}" "${MIBPS[tftpd-hpa/$b]}")"
    echo "bench: lockstep-cpu-per-block-c$CLIENTS-b$b ${USPB[pxefarm/$b]} us/block vs tftpd-hpa ${USPB[tftpd-hpa/$b]} us/block ratio $(ratio "${USPB[pxefarm/$b]}" "${USPB[tftpd-hpa/$b]}")"
    echo "bench: lockstep-load-cpu-c$CLIENTS-b$b ${GEN[pxefarm/$b]} %core vs tftpd-hpa ${GEN[tftpd-hpa/$b]} %core ratio $(ratio "${GEN[pxefarm/$b]}" "${GEN[tftpd-hpa/$b]}")"
done
